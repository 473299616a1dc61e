import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { GenericContainer } from "testcontainers";
import { afterAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../config.ts";
import { docker, LABELS } from "../docker/client.ts";
import { execIn } from "../docker/exec.ts";
import { STANDIN_IMAGES } from "../images/catalog.ts";
import { FIXTURES } from "../images/fixtures.ts";
import { HarnessContainer } from "./harness-container.ts";
import { createNetwork } from "./networks.ts";
import { newRunId } from "./run-id.ts";
import { removeRun, sweepDeadRuns } from "./teardown.ts";

// These self-tests need only the probe image (built by `npm run images:build` or the selftest).
const PROBE = FIXTURES.probe.tag;
const created: string[] = [];

function labels(runId: string, pid: number): Record<string, string> {
  return { [LABELS.harness]: "true", [LABELS.runId]: runId, [LABELS.pid]: String(pid), [LABELS.host]: os.hostname(), [LABELS.role]: "probe" };
}

async function leftovers(runId: string): Promise<number> {
  const filter = { label: [`${LABELS.runId}=${runId}`] };
  return (await docker().listContainers({ all: true, filters: filter })).length + (await docker().listNetworks({ filters: filter })).length;
}

function standinImageEnv(): Record<string, string> {
  return { LIBRECHAT_IMAGE: STANDIN_IMAGES.librechat, MONGO_IMAGE: STANDIN_IMAGES.mongodb, MEILI_IMAGE: STANDIN_IMAGES.meilisearch };
}

afterAll(async () => {
  for (const runId of created) await removeRun(runId);
});

describe("isolation", () => {
  test("a container attached through HarnessContainer joins only its own networks, and a backend-only container reaches the internal one neither by name nor by IP", async () => {
    const runId = newRunId();
    created.push(runId);
    const internal = await createNetwork("librechat-internal", `${runId}-internal`, false, labels(runId, process.pid));
    const backend = await createNetwork("backend", `${runId}-backend`, false, labels(runId, process.pid));
    const start = (name: string, ...attachments: { network: string; aliases: string[] }[]) =>
      new HarnessContainer(PROBE, name).withName(`${runId}-${name}`).withLabels(labels(runId, process.pid)).onNetworks(...attachments).start();
    const [target, both, outsider] = await Promise.all([
      start("target", { network: internal.name, aliases: ["mongodb"] }),
      start("both", { network: backend.name, aliases: ["librechat-api"] }, { network: internal.name, aliases: [] }),
      start("outsider", { network: backend.name, aliases: ["django-dev"] }),
    ]);
    const networksOf = async (id: string) => Object.keys((await docker().getContainer(id).inspect()).NetworkSettings.Networks).sort();
    expect(await networksOf(target.getId())).toEqual([internal.name]);
    expect(await networksOf(both.getId())).toEqual([backend.name, internal.name].sort());
    expect(await networksOf(outsider.getId())).toEqual([backend.name]);
    const targetIp = (await docker().getContainer(target.getId()).inspect()).NetworkSettings.Networks[internal.name]!.IPAddress;
    // A listener on the target, so that "unreachable" means isolation and not a closed port.
    await execIn(target.getId(), ["sh", "-c", "node -e \"require('net').createServer(s=>s.end()).listen(27017)\" >/dev/null 2>&1 &"]);
    const fromBoth = await execIn(both.getId(), ["probe", "tcp", "mongodb", "27017", "2000"]);
    expect(JSON.parse(fromBoth.stdout).ok).toBe(true);
    const byName = JSON.parse((await execIn(outsider.getId(), ["probe", "tcp", "mongodb", "27017", "2000"])).stdout);
    const byIp = JSON.parse((await execIn(outsider.getId(), ["probe", "tcp", targetIp, "27017", "2000"])).stdout);
    expect(byName).toMatchObject({ ok: false, error: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
    expect(byIp).toMatchObject({ ok: false, error: expect.stringMatching(/ETIMEDOUT|EHOSTUNREACH|ECONNREFUSED/) });
  });

  test("the trap this class avoids: Testcontainers' network aliases leave the container on the default bridge", async () => {
    const runId = newRunId();
    created.push(runId);
    const network = await createNetwork("backend", `${runId}-backend`, false, labels(runId, process.pid));
    const plain = await new GenericContainer(PROBE)
      .withName(`${runId}-plain`)
      .withLabels(labels(runId, process.pid))
      .withNetworkMode(network.name)
      .withNetworkAliases("django-dev")
      .start();
    const networks = Object.keys((await docker().getContainer(plain.getId()).inspect()).NetworkSettings.Networks);
    expect(networks).toContain("bridge");
  });
});

describe("lifecycle", () => {
  test("the sweeper removes a dead run's leftovers and leaves a live run alone", async () => {
    const dead = newRunId();
    const live = newRunId();
    created.push(dead, live);
    // A pid that cannot be running: higher than the kernel's pid_max.
    await createNetwork("backend", `${dead}-backend`, false, labels(dead, 4_194_305));
    await createNetwork("backend", `${live}-backend`, false, labels(live, process.pid));
    const result = await sweepDeadRuns("");
    expect(result.removedRuns).toContain(dead);
    expect(result.liveRuns).toContain(live);
    expect(await leftovers(dead)).toBe(0);
    expect(await leftovers(live)).toBe(1);
  });

  test("after a run is killed with SIGKILL mid-start, the next run's sweeper removes everything it left", async () => {
    const runId = newRunId();
    created.push(runId);
    const child = spawn(process.execPath, ["helpers/stack/hold-stack.ts", runId, PROBE], { cwd: REPO_ROOT, stdio: "ignore" });
    // Mid-start: as soon as the first container of the run exists.
    const deadline = Date.now() + 60_000;
    while ((await docker().listContainers({ all: true, filters: { label: [`${LABELS.runId}=${runId}`] } })).length === 0) {
      if (Date.now() > deadline) throw new Error("the child run created no container within 60 s");
      await delay(100);
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await leftovers(runId)).toBeGreaterThan(0);
    const result = await sweepDeadRuns(newRunId());
    expect(result.removedRuns).toContain(runId);
    expect(await leftovers(runId)).toBe(0);
  });

  test("Ctrl-C during a run removes everything the run created", async () => {
    // A terminal's Ctrl-C reaches the whole foreground process group: the same here.
    const child = spawn(process.execPath, ["scripts/harness.mjs", "checklist", "suites/librechat-starts.test.ts"], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...standinImageEnv(), HARNESS_REPORT_DIR: path.join(os.tmpdir(), `lch-ctrl-c-${process.pid}`) },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + 120_000;
    while (!/stack ready/.test(output)) {
      if (Date.now() > deadline) throw new Error(`the run never became ready:\n${output}`);
      await delay(100);
    }
    const runId = /starting run (lch-[0-9a-f]+)/.exec(output)?.[1];
    expect(runId).toBeDefined();
    created.push(runId!);
    expect(await leftovers(runId!)).toBeGreaterThan(0);
    process.kill(-child.pid!, "SIGINT");
    await exited;
    expect(await leftovers(runId!)).toBe(0);
  });
});
