// The in-container GET and the host-first readiness probe, in containers from the probe image
// (the air-gapped Debian bookworm base in CI: BusyBox 1.35, whose wget segfaults on -T).
import { Wait, type StartedTestContainer } from "testcontainers";
import { afterAll, describe, expect, test } from "vitest";
import { execIn } from "../docker/exec.ts";
import { newRunId } from "../docker/labels.ts";
import { CreatedRuns, PROBE, testLabels } from "../testing/runs.ts";
import { HarnessContainer } from "./harness-container.ts";
import { httpReadiness } from "./http-readiness.ts";
import { httpGetInside } from "./in-container.ts";
import { publishedPorts } from "./readiness.ts";

const created = new CreatedRuns();
afterAll(() => created.removeAll());

const PORT = 8080;
/** /health 200 OK, /readyz 503, /slow never answers. */
const SERVER = `require("http").createServer((q,s)=>{if(q.url==="/slow")return;const c=q.url==="/readyz"?503:q.url==="/health"?200:404;s.writeHead(c);s.end(c===200?"OK":"not ready")}).listen(${PORT},process.env.BIND,()=>console.log("listening"))`;

interface Shape {
  /** Where the server listens: 127.0.0.1 (HOST=localhost) or 0.0.0.0. */
  bind: string;
  /** Hide Node from later execs (the running server keeps it), and curl; add BusyBox's wget. */
  node: boolean;
  curl: boolean;
  wget: boolean;
}

/** A container whose server runs under Node, then loses the programs the shape says it lacks. */
async function serving(shape: Shape): Promise<StartedTestContainer> {
  const runId = newRunId();
  created.add(runId);
  const script = [
    'node -e "$SERVER" &',
    "while ! grep -q ':1F90 ' /proc/net/tcp; do sleep 0.1; done",
    shape.curl ? "" : "rm -f /usr/bin/curl /usr/local/bin/curl",
    shape.wget ? 'b=$(command -v busybox) && ln -sf "$b" /usr/local/bin/wget' : "",
    shape.node ? "" : 'mv "$(command -v node)" /opt/hidden-node',
    "echo shaped; wait",
  ].filter(Boolean).join("\n");
  return new HarnessContainer(PROBE, "shaped probe")
    .withName(`${runId}-shape`)
    .withLabels(testLabels(runId, process.pid))
    .withUser("0")
    .withEnvironment({ SERVER, BIND: shape.bind })
    .withLoopbackPorts(PORT)
    .withCommand(["sh", "-c", script])
    .withWaitStrategy(Wait.forLogMessage("shaped"))
    .start();
}

const has = async (container: StartedTestContainer, program: string): Promise<boolean> => (await execIn(container.getId(), ["sh", "-c", `command -v ${program}`])).exitCode === 0;
const url = (path: string): string => `http://localhost:${PORT}${path}`;

describe("httpGetInside", () => {
  test("without Node or curl, BusyBox wget (under timeout, never -T) gives the status, the body of a 200, and no answer for a GET that hangs", async (ctx) => {
    const container = await serving({ bind: "127.0.0.1", node: false, curl: false, wget: true });
    if (!(await has(container, "wget"))) ctx.skip("this probe image has no BusyBox");
    const id = container.getId();
    for (const errorBody of [true, false]) {
      expect(await httpGetInside(id, url("/health"), 2000, { errorBody })).toEqual({ kind: "answer", value: { ok: true, status: 200, body: "OK" } });
      expect(await httpGetInside(id, url("/readyz"), 2000, { errorBody })).toMatchObject({ kind: "answer", value: { ok: true, status: 503 } });
    }
    expect(await httpGetInside(id, "http://localhost:1/", 2000)).toMatchObject({ kind: "answer", value: { ok: false, error: expect.stringMatching(/refused/i) } });
    expect((await httpGetInside(id, url("/slow"), 1000)).kind).toBe("no-answer");
  });

  test("with Node and no curl, an error status keeps its body (Node) unless the caller needs no body; Node alone serves both", async () => {
    const withWget = await serving({ bind: "127.0.0.1", node: true, curl: false, wget: true });
    expect(await httpGetInside(withWget.getId(), url("/readyz"), 2000)).toEqual({ kind: "answer", value: { ok: true, status: 503, body: "not ready" } });
    const nodeOnly = await serving({ bind: "127.0.0.1", node: true, curl: false, wget: false });
    for (const errorBody of [false, false, true]) {
      expect(await httpGetInside(nodeOnly.getId(), url("/readyz"), 2000, { errorBody })).toEqual({ kind: "answer", value: { ok: true, status: 503, body: "not ready" } });
    }
    expect((await httpGetInside(nodeOnly.getId(), url("/slow"), 1000, { errorBody: false })).kind).toBe("no-answer");
  });

  test("with curl, the status and body of any answer, and curl's timeout is no answer", async (ctx) => {
    const container = await serving({ bind: "127.0.0.1", node: false, curl: true, wget: false });
    if (!(await has(container, "curl"))) ctx.skip("this probe image has no curl");
    expect(await httpGetInside(container.getId(), url("/readyz"), 2000, { errorBody: false })).toEqual({ kind: "answer", value: { ok: true, status: 503, body: "not ready" } });
    expect((await httpGetInside(container.getId(), url("/slow"), 1000, { errorBody: false })).kind).toBe("no-answer");
  });
});

describe("httpReadiness", () => {
  const probe = () =>
    httpReadiness({ port: PORT, path: "/health", timeoutMs: 2000, judge: async (seen, _again, where) => ({ ready: seen.ok && seen.status === 200, detail: `${seen.status ?? seen.error} ${where}` }) });

  test("asks from the host over the published port when the service listens on its interface", async () => {
    const container = await serving({ bind: "0.0.0.0", node: true, curl: true, wget: false });
    const seen = await probe()(container.getId(), await publishedPorts(container.getId()));
    expect(seen).toMatchObject({ ready: true, detail: expect.stringMatching(/^200 from the host at http:\/\/127\.0\.0\.1:\d+$/) });
  });

  test("a service listening only on its loopback (HOST=localhost) is ready all the same, by the in-container fallback", async () => {
    const container = await serving({ bind: "127.0.0.1", node: true, curl: true, wget: false });
    const seen = await probe()(container.getId(), await publishedPorts(container.getId()));
    expect(seen).toMatchObject({ ready: true, detail: expect.stringMatching(/from the host at .*: (ECONNRESET|ECONNREFUSED)[\s\S]*200 inside the container/) });
  });
});
