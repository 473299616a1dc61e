// The LibreChat build's logic without Docker: the inputs hash, .dockerignore as Docker reads
// it, a checkout's version and commit, unpacking, progress lines, failure messages, the lock,
// and the image settings.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { childEnv, frontendSteps, stageCheckout } from "./librechat-airgapped.ts";
import { buildLabel, defaultTag } from "./librechat-build.ts";
import { LibreChatCheckoutError, readCheckout, unpackCheckout } from "./librechat-checkout.ts";
import { inputsHash, isIgnored, listInputs, parseDockerignore } from "./librechat-context.ts";
import { externalImages, imageOfStep } from "./librechat-dockerfile.ts";
import { importChanges, splitTag } from "./librechat-image.ts";
import { acquireLock } from "./librechat-lock.ts";
import { formatElapsed, LibreChatBuildError, OutputTail, PhaseRunner, runCommand } from "./librechat-progress.ts";
import { stripEndOfArchive } from "./librechat-runtime.ts";

const FRONTEND_087 =
  "npm run build:data-provider && npm run build:data-schemas && npm run build:api && npm run build:client-package && cd client && npm run build";
const DOCKERIGNORE = "**/.git\n**/node_modules\n\n# hidden\nlibrechat*\nDockerfile*\ndocs\n.*\n";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "librechat-build-test-"));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(root, { recursive: true, force: true });
});

function write(file: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
}

function fakeCheckout(dir = ""): string {
  const at = (file: string): string => path.join(dir, file);
  write(at("package.json"), JSON.stringify({ name: "LibreChat", version: "v0.8.7", scripts: { frontend: FRONTEND_087 } }));
  write(at("Dockerfile"), "FROM node:24.16.0-alpine AS node\n");
  write(at(".dockerignore"), DOCKERIGNORE);
  write(at("package-lock.json"), "{}");
  write(at("api/server/index.js"), "console.log('server')\n");
  write(at("client/src/main.tsx"), "export {}\n");
  write(at("client/.eslintrc"), "{}\n");
  write(at("node_modules/left-pad/index.js"), "module.exports = 1\n");
  write(at("client/dist/index.html"), "<html></html>\n");
  write(at("packages/api/dist/index.cjs"), "old build\n");
  write(at(".env"), "SECRET=1\n");
  write(at("librechat.yaml"), "version: 1\n");
  return path.join(root, dir);
}

describe("the inputs hash", () => {
  const hashOf = (dir: string, extras: Record<string, string> = { base: "sha256:aa" }): string => inputsHash(dir, listInputs(dir), extras);

  it("changes when a source file, the lockfile or the base image changes", () => {
    const dir = fakeCheckout();
    const first = hashOf(dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    write("api/server/index.js", "console.log('changed')\n");
    const second = hashOf(dir);
    expect(second).not.toBe(first);
    write("package-lock.json", '{"lockfileVersion":3}');
    expect(hashOf(dir)).not.toBe(second);
    expect(hashOf(dir, { base: "sha256:bb" })).not.toBe(hashOf(dir));
  });

  it("does not change with node_modules, build outputs or what .dockerignore leaves out", () => {
    const dir = fakeCheckout();
    const first = hashOf(dir);
    write("node_modules/left-pad/index.js", "module.exports = 2\n");
    write("api/node_modules/deep/index.js", "x\n");
    write("client/dist/index.html", "<html>new</html>\n");
    write("packages/api/dist/index.cjs", "new build\n");
    write(".env", "SECRET=2\n");
    write("librechat.yaml", "version: 2\n");
    expect(hashOf(dir)).toBe(first);
  });

  it("lists what Docker would send, minus build outputs", () => {
    const rels = listInputs(fakeCheckout()).map((entry) => entry.rel);
    expect(rels).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "api/server/index.js", "client/.eslintrc"]));
    for (const gone of ["Dockerfile", ".dockerignore", ".env", "librechat.yaml", "node_modules", "client/dist", "packages/api/dist"]) {
      expect(rels).not.toContain(gone);
    }
  });
});

describe(".dockerignore as Docker reads it", () => {
  const rules = parseDockerignore(DOCKERIGNORE);

  it("matches ** at any depth, * and .* within the top level only, and whole directories", () => {
    expect(isIgnored("node_modules", rules)).toBe(true);
    expect(isIgnored("api/node_modules/x/index.js", rules)).toBe(true);
    expect(isIgnored(".env", rules)).toBe(true);
    expect(isIgnored("client/.eslintrc", rules)).toBe(false);
    expect(isIgnored("librechat.example.yaml", rules)).toBe(true);
    expect(isIgnored("config/librechat.yaml", rules)).toBe(false);
    expect(isIgnored("Dockerfile.multi", rules)).toBe(true);
    expect(isIgnored("docs/a/b.md", rules)).toBe(true);
    expect(isIgnored("api/server/index.js", rules)).toBe(false);
  });

  it("lets a later exception bring a file back, and drops leading slashes", () => {
    const withException = parseDockerignore("/docs\n!docs/keep.md\n*.log\n");
    expect(isIgnored("docs/drop.md", withException)).toBe(true);
    expect(isIgnored("docs/keep.md", withException)).toBe(false);
    expect(isIgnored("x.log", withException)).toBe(true);
    expect(isIgnored("api/x.log", withException)).toBe(false);
  });
});

describe("a checkout's identity", () => {
  it("reads the version as package.json writes it and the commit from .source-commit", () => {
    const dir = fakeCheckout();
    write(".source-commit", "9e74cc0e57b395926122bd4062c1fcedc48ed465\n");
    expect(readCheckout(dir)).toEqual({ dir, version: "v0.8.7", commit: "9e74cc0e57b395926122bd4062c1fcedc48ed465" });
  });

  it("falls back to git rev-parse HEAD, and to no commit at all", () => {
    const dir = fakeCheckout();
    expect(readCheckout(dir).commit).toBeUndefined();
    const git = (...args: string[]) => spawnSync("git", ["-C", dir, "-c", "user.email=t@t", "-c", "user.name=t", ...args], { encoding: "utf8" });
    if (git("init", "-q").status !== 0) return; // no git on this host
    git("add", "package.json");
    git("commit", "-q", "-m", "x");
    expect(readCheckout(dir).commit).toBe(git("rev-parse", "HEAD").stdout.trim());
  });

  it("says in one sentence what is missing", () => {
    write("empty/README.md", "");
    expect(() => readCheckout(path.join(root, "empty"))).toThrow(/is not a LibreChat checkout: it has no package.json and no Dockerfile at its top\.$/);
    expect(() => readCheckout(path.join(root, "nope"))).toThrow(LibreChatCheckoutError);
  });

  it("unpacks a tarball once, and again only when it changed", async () => {
    fakeCheckout("src/LibreChat-main");
    const tarball = path.join(root, "lc.tar.gz");
    const pack = () => spawnSync("tar", ["-czf", tarball, "-C", path.join(root, "src"), "LibreChat-main"]);
    pack();
    const dest = path.join(root, "unpacked");
    const dir = await unpackCheckout(tarball, dest);
    expect(dir).toBe(path.join(dest, "LibreChat-main"));
    writeFileSync(path.join(dir, "touched"), "");
    expect(await unpackCheckout(tarball, dest)).toBe(dir);
    expect(existsSync(path.join(dir, "touched"))).toBe(true);
    write("src/LibreChat-main/api/server/index.js", "changed\n");
    pack();
    await unpackCheckout(tarball, dest);
    expect(existsSync(path.join(dir, "touched"))).toBe(false);
    expect(readFileSync(path.join(dir, "api/server/index.js"), "utf8")).toBe("changed\n");
  });
});

describe("progress", () => {
  it("formats elapsed time for heartbeat lines", () => {
    expect([0, 42_000, 100_000, 3_723_000].map(formatElapsed)).toEqual(["0s", "42s", "1m40s", "1h02m03s"]);
  });

  it("says when a phase starts and ends, and beats while it runs", async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const runner = new PhaseRunner(buildLabel("v0.8.7", "airgapped"), (line) => lines.push(line), 15_000);
    const phase = runner.run("npm ci", async (tail) => {
      tail.push("added 3007 packages\n");
      await new Promise((resolve) => setTimeout(resolve, 31_000));
    });
    await vi.advanceTimersByTimeAsync(31_000);
    await phase;
    expect(lines).toEqual([
      "librechat build v0.8.7: npm ci …",
      "librechat build v0.8.7: npm ci … 15s (added 3007 packages)",
      "librechat build v0.8.7: npm ci … 30s (added 3007 packages)",
      "librechat build v0.8.7: npm ci done in 31s",
    ]);
    expect(runner.phases).toEqual([{ name: "npm ci", durationMs: 31_000 }]);
  });

  it("fails with the phase's name, then its last 30 lines", async () => {
    const runner = new PhaseRunner("librechat build v0.8.1", () => undefined);
    const failure = await runner
      .run("client", async (tail) => {
        for (let i = 1; i <= 40; i++) tail.push(`\u001b[31mline ${i}\u001b[39m\n`);
        throw new Error("`npm run build` exited with code 1");
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LibreChatBuildError);
    const error = failure as LibreChatBuildError;
    expect(error.phase).toBe("client");
    const [head, rule, ...rest] = error.message.split("\n");
    expect(head).toBe('librechat build v0.8.1 failed in phase "client": `npm run build` exited with code 1');
    expect(rule).toBe('--- last 30 lines of "client" ---');
    expect(rest).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 11}`));
  });

  it("writes every phase's whole output to the log file, and names it in the failure", async () => {
    const logFile = path.join(root, "logs", "v0.8.7-abc.log");
    const runner = new PhaseRunner("librechat build v0.8.7", () => undefined, 15_000, logFile);
    await runner.run("npm ci", async (tail) => tail.push("added 3007 packages\n"));
    const failure = (await runner.run("prune", async () => Promise.reject(new Error("boom"))).catch((e: unknown) => e)) as LibreChatBuildError;
    expect(failure.message).toBe('librechat build v0.8.7 failed in phase "prune": boom');
    const log = readFileSync(logFile, "utf8");
    expect(log).toMatch(/=== npm ci \(.*\) ===\nadded 3007 packages\n/);
    expect(log).toMatch(/=== prune /);
    const withOutput = await runner.run("client", async (tail) => {
      tail.push("vite: out of memory\n");
      throw new Error("exited with code 134");
    }).catch((e: unknown) => e as LibreChatBuildError);
    expect(withOutput.message.split("\n").at(-1)).toBe(`--- the whole output is in ${logFile}`);
  });

  it("shows the first error lines too when the cause is far above the last lines", async () => {
    const runner = new PhaseRunner("librechat build v0.8.1", () => undefined);
    const failure = (await runner
      .run("npm ci", async (tail) => {
        tail.push("npm error code EUSAGE\nnpm error\nnpm error `npm ci` can only install packages when your package.json and package-lock.json are in sync.\n");
        for (let i = 1; i <= 40; i++) tail.push(`npm error   usage line ${i}\n`);
        throw new Error("`npm ci --no-audit --no-fund` exited with code 1");
      })
      .catch((e: unknown) => e)) as LibreChatBuildError;
    const lines = failure.message.split("\n");
    expect(lines.slice(1, 4)).toEqual([
      "--- first error lines ---",
      "npm error code EUSAGE",
      "npm error `npm ci` can only install packages when your package.json and package-lock.json are in sync.",
    ]);
    expect(lines).toContain('--- last 30 lines of "npm ci" ---');
    expect(lines.indexOf('--- last 30 lines of "npm ci" ---')).toBeLessThanOrEqual(7);
  });

  it("keeps a command's stdout and stderr and reports its exit code", async () => {
    const tail = new OutputTail();
    const run = runCommand("sh", ["-c", "echo out; echo err >&2; exit 3"], { cwd: root, env: { PATH: process.env.PATH } }, tail);
    await expect(run).rejects.toThrow(/exited with code 3/);
    expect(tail.lines().sort()).toEqual(["err", "out"]);
  });
});

describe("the air-gapped steps", () => {
  it("splits the checkout's frontend script after build:api, and runs another shape whole", () => {
    const app = fakeCheckout();
    expect(frontendSteps(app)).toEqual({
      packages: ["npm run build:data-provider", "npm run build:data-schemas", "npm run build:api"],
      client: ["npm run build:client-package", "cd client", "npm run build"],
    });
    write("package.json", JSON.stringify({ version: "1", scripts: { frontend: "turbo run build" } }));
    expect(frontendSteps(app)).toEqual({ packages: [], client: ["turbo run build"] });
  });

  it("stages the inputs with upstream's empty .env and volume directories", () => {
    const dir = fakeCheckout();
    const app = path.join(root, "stage", "app");
    stageCheckout(dir, listInputs(dir), app);
    expect(readFileSync(path.join(app, ".env"), "utf8")).toBe("");
    for (const sub of ["client/public/images", "logs", "uploads", "skill", "api/server/index.js"]) expect(existsSync(path.join(app, sub))).toBe(true);
    expect(existsSync(path.join(app, "node_modules"))).toBe(false);
    expect(existsSync(path.join(app, "client/dist"))).toBe(false);
  });

  it("gives the builds the host's npm settings but not the caller's NODE_ENV or NODE_OPTIONS", () => {
    const env = childEnv({ NODE_OPTIONS: "--max-old-space-size=6144" }, {
      PATH: "/usr/bin",
      HOME: "/root",
      NODE_ENV: "test",
      NODE_OPTIONS: "--inspect",
      npm_config_cache: "/root/.npm",
      npm_config_loglevel: "silent",
      npm_config_local_prefix: "/work/main",
      https_proxy: "http://proxy:3128",
      LIBRECHAT_IMAGE: "x",
    });
    expect(env).toMatchObject({ HOME: "/root", npm_config_cache: "/root/.npm", https_proxy: "http://proxy:3128", NODE_OPTIONS: "--max-old-space-size=6144" });
    expect(env.NODE_ENV).toBeUndefined();
    expect(env.npm_config_loglevel).toBeUndefined();
    expect(env.npm_config_local_prefix).toBeUndefined();
    expect(env.LIBRECHAT_IMAGE).toBeUndefined();
    expect(env.PATH).toBe(`${path.dirname(process.execPath)}:/usr/bin`);
  });
});

describe("the image", () => {
  it("is tagged after the version and the inputs hash", () => {
    expect(defaultTag("v0.8.7", "fb5f2c2a4f6480be7b41")).toBe("localhost/librechat-harness/librechat-built:v0.8.7-fb5f2c2a4f64");
    expect(splitTag("localhost:5000/a/b:v1")).toEqual(["localhost:5000/a/b", "v1"]);
    expect(splitTag("localhost:5000/a/b")).toEqual(["localhost:5000/a/b", "latest"]);
  });

  it("gets upstream's runtime settings and no healthcheck", () => {
    const changes = importChanges({ baseEnv: ["PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8"], labels: { "org.opencontainers.image.version": "v0.8.7" } });
    expect(changes).toEqual([
      'ENV PATH="/usr/local/bin:/usr/bin"',
      'ENV LANG="C.UTF-8"',
      "ENV HOST=0.0.0.0",
      "ENV NODE_ENV=production",
      "WORKDIR /app",
      "USER node",
      "EXPOSE 3080",
      'CMD ["node","api/server/index.js"]',
      'LABEL org.opencontainers.image.version="v0.8.7"',
    ]);
  });

  it("is one tar stream: the runtime's tar cut after its last member, then the tree", () => {
    write("a/one.txt", "1".repeat(700));
    write("b/app/two.txt", "2");
    const first = path.join(root, "first.tar");
    spawnSync("tar", ["-cf", first, "-C", path.join(root, "a"), "one.txt"]);
    const cut = stripEndOfArchive(first);
    expect(cut).toBe(512 + 1024);
    const second = spawnSync("tar", ["-c", "-C", path.join(root, "b"), "app"]).stdout;
    const joined = path.join(root, "joined.tar");
    writeFileSync(joined, Buffer.concat([readFileSync(first), second]));
    expect(spawnSync("tar", ["-tf", joined], { encoding: "utf8" }).stdout.trim().split("\n")).toEqual(["one.txt", "app/", "app/two.txt"]);
  });
});

describe("the Dockerfile build's failure", () => {
  it("knows which images a Dockerfile pulls and which step was pulling one", () => {
    const dockerfile = "FROM node:24.16.0-alpine AS node\nCOPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /bin/\nFROM node AS second\nCOPY --from=node /app /app\n";
    const images = externalImages(dockerfile);
    expect(images).toEqual(["node:24.16.0-alpine", "ghcr.io/astral-sh/uv:0.9.5"]);
    expect(imageOfStep("Step 1/26 : FROM node:24.16.0-alpine AS node", images)).toBe("node:24.16.0-alpine");
    expect(imageOfStep("Step 7/26 : RUN npm ci", images)).toBeUndefined();
  });
});

describe("one build per inputs at a time", () => {
  it("makes a second taker wait until the first releases, and takes over a dead owner's lock", async () => {
    const dir = path.join(root, "locks");
    const release = await acquireLock(dir, "abc", () => undefined, 20);
    let second = false;
    const waits: number[] = [];
    const pending = acquireLock(dir, "abc", (pid) => waits.push(pid), 20).then((r) => {
      second = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second).toBe(false);
    expect(waits).toEqual([process.pid]);
    release();
    (await pending)();
    expect(second).toBe(true);
    writeFileSync(path.join(dir, "dead.lock"), "999999999\n");
    (await acquireLock(dir, "dead", () => undefined, 20))();
    expect(existsSync(path.join(dir, "dead.lock"))).toBe(false);
  });
});
