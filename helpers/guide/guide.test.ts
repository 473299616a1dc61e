// The guide-commands runner without Docker: the layout it writes, and its verdicts on outputs real
// LibreChat v0.8.7 gave (guide-commands.docker.test.ts runs them for real).
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadComposeBuiltin } from "../compose/load.ts";
import { REPO_ROOT } from "../config.ts";
import { hasUpstream, upstreamDir } from "../testing/compose-files.ts";
import { DOCKER_PS, GUIDE_CHECKS, NETWORK_LS } from "./checks.ts";
import { couldNotRun, trimmed, type ShellResult } from "./shell.ts";
import { createWorkspace, guideDotenv } from "./workspace.ts";

const result = (stdout: string, extra: Partial<ShellResult> = {}): ShellResult => ({ command: "x", exitCode: 0, stdout, stderr: "", durationMs: 1, timedOut: false, ...extra });
const check = (id: string) => GUIDE_CHECKS.find((c) => c.id === id)!;
const ctx = { composeArgs: "", project: "p", librechatAddress: "192.168.208.2" };

describe.runIf(hasUpstream("v0.8.7"))("the guide's layout", () => {
  const images = { librechat: "localhost/librechat-harness/librechat-built:v0.8.7-x", mongodb: "mongo-standin", meilisearch: "meili-standin" };
  const source = {
    composeFile: path.join(upstreamDir("v0.8.7"), "docker-compose.yml"),
    envExample: path.join(upstreamDir("v0.8.7"), "env.example"),
    overlay: path.join(REPO_ROOT, "fixtures", "compose.librechat.yaml"),
  };

  it("puts LibreChat's files in backend/LibreChat-main and the overlay two levels up; the images file only swaps images, the host port and labels", () => {
    const ws = createWorkspace(source, images, { "io.librechat-harness": "true" });
    expect(path.relative(ws.librechatDir, ws.overlay)).toBe(path.join("..", "..", "compose.librechat.yaml"));
    expect(readFileSync(path.join(ws.librechatDir, "docker-compose.yml"), "utf8")).toBe(readFileSync(source.composeFile, "utf8"));
    const model = loadComposeBuiltin({ librechatDir: ws.librechatDir, baseFiles: [path.join(ws.librechatDir, "docker-compose.yml"), ws.overlay, ws.imagesFile], env: {} });
    const api = model.services.api!;
    expect(api.image).toBe(images.librechat);
    expect(api.ports).toEqual([{ hostIp: "127.0.0.1", container: 3080, protocol: "tcp" }]);
    expect(api.containerName).toBe("librechat-api");
    expect(api.healthcheck?.test).toEqual(["CMD", "curl", "-f", "http://localhost:3080/api/health"]);
    expect([model.stack.mongodb?.image, model.stack.meilisearch?.image]).toEqual(["mongo-standin", "meili-standin"]);
    expect(api.merged.labels).toEqual({ "io.librechat-harness": "true" });
    rmSync(ws.root, { recursive: true, force: true });
  });

  it("writes the guide's PORT, HOST and MONGO_URI into env.example's own lines", () => {
    const env = guideDotenv(readFileSync(source.envExample, "utf8"));
    expect(env.match(/^(PORT|HOST|MONGO_URI)=.*$/gm)).toEqual(["HOST=0.0.0.0", "PORT=3080", "MONGO_URI=mongodb://mongodb:27017/LibreChat"]);
    expect(guideDotenv("A=1")).toBe("A=1\nPORT=3080\nHOST=0.0.0.0\nMONGO_URI=mongodb://mongodb:27017/LibreChat\n");
  });
});

describe("verdicts on what real LibreChat v0.8.7 answered", () => {
  it("backend-dev listed as the guide shows it", () => {
    expect(NETWORK_LS.judge!(result("c67ba677e1dc   backend-dev                            bridge    local\n"), [], ctx).matches).toBe(true);
    expect(NETWORK_LS.judge!(result(""), [], ctx).matches).toBe(false);
  });

  it("/api/health: 404 Endpoint not found is not the guide's {\"status\":\"ok\"}", () => {
    const judged = check("django-reaches-librechat").judge!(result('{"message":"Endpoint not found"}'), [result("404"), result("OK (HTTP 200)")], ctx);
    expect(judged).toEqual({ matches: false, finding: 'LibreChat answers HTTP 404 {"message":"Endpoint not found"} on /api/health, not {"status":"ok"}; its health route is /health (OK (HTTP 200))' });
    expect(check("django-reaches-librechat").judge!(result('{"status":"ok"}'), [], ctx).matches).toBe(true);
  });

  it("env | grep: PORT comes from the bound .env, which `env` does not show", () => {
    const judged = check("env-port-mongo-uri").judge!(result("RAG_PORT=8000\nMONGO_URI=mongodb://mongodb:27017/LibreChat\n"), [result("HOST=0.0.0.0\nPORT=3080\n"), result("0.0.0.0")], ctx);
    expect(judged.matches).toBe(false);
    expect(judged.finding).toMatch(/PORT is not shown: .*\/app\/.env \(PORT=3080\).*RAG_PORT=8000/);
  });

  it("curl inside LibreChat: the image has no curl (Docker 20.10 prints the OCI error on stdout)", () => {
    const oci = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown';
    const judged = check("health-endpoint-inside-librechat").judge!(result(oci, { exitCode: 126 }), [result("curl: not found\n/usr/bin/wget")], ctx);
    expect(judged.finding).toMatch(/^the LibreChat image has no curl \(exit 126: OCI runtime exec failed.*\); in the image: curl: not found; \/usr\/bin\/wget$/);
    expect(couldNotRun(result(oci, { exitCode: 126 }))).toBeUndefined();
  });

  it("nslookup and ping against LibreChat's address on backend-dev", () => {
    expect(check("dns-resolves-librechat-api").judge!(result("Non-authoritative answer:\nName:\tlibrechat-api\nAddress: 192.168.208.2\n"), [], ctx).matches).toBe(true);
    expect(check("dns-resolves-librechat-api").judge!(result("Name:\tlibrechat-api\nAddress: 10.0.0.9\n"), [], ctx).matches).toBe(false);
    expect(check("ping-librechat-api").judge!(result("3 packets transmitted, 3 received, 0% packet loss"), [], ctx).matches).toBe(true);
  });

  it("docker ps | grep librechat: judged and shown by this run's own lines on a shared host", () => {
    const ps = [
      "f69d4eecd1d1   localhost/librechat-harness/librechat-double:local   \"node /app/main.mjs\"   13 seconds ago   Up 8 seconds   0.0.0.0:32868->3080/tcp   dev-lcconf-7c2950-insecure",
      "0c53aa503d98   localhost/librechat-harness/librechat-built:v0.8.7-x   \"node api/server/ind…\"   2 minutes ago   Up 2 minutes (unhealthy)   127.0.0.1:33027->3080/tcp   librechat-api",
    ].join("\n");
    expect(DOCKER_PS.judge!(result(ps), [], ctx)).toEqual({ matches: true, finding: "librechat-api: Up 2 minutes (unhealthy)" });
    expect(DOCKER_PS.shown!(ps)).toMatch(/librechat-api\n\(1 more lines: other containers/);
  });
});

describe("the shell runner's words", () => {
  it("tells a command that could not run from one that answered", () => {
    expect(couldNotRun(result("", { exitCode: 1, stderr: "Error response from daemon: Container abc is not running" }))).toMatch(/^what it names is not there/);
    expect(couldNotRun(result("", { exitCode: 1, stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." }))).toMatch(/^no Docker engine/);
    expect(couldNotRun(result("", { exitCode: 124, timedOut: true, durationMs: 60_000 }))).toBe("it did not finish within 60 s");
    expect(couldNotRun(result("", { exitCode: 1 }))).toBeUndefined(); // grep found nothing: an answer
    expect(trimmed("a\nb\nc", 2)).toBe("a\nb\n… (1 more lines)");
  });
});
