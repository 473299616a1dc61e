// The air-gapped build: upstream's root Dockerfile steps (npm ci, the frontend script, prune)
// run on the host in a staging copy of the checkout, then the built tree becomes /app of an
// image on the air-gapped base in one `docker import`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ContextEntry } from "./librechat-context.ts";
import { importLibreChatImage } from "./librechat-image.ts";
import { processAlive } from "./librechat-lock.ts";
import { type PhaseRunner, runCommand } from "./librechat-progress.ts";
import { ensureRuntimeRootfs } from "./librechat-runtime.ts";

/** Directories upstream's Dockerfile creates for volumes, and its empty .env. */
const RUNTIME_DIRS = ["client/public/images", "logs", "uploads", "skill"];
/** Upstream's NODE_MAX_OLD_SPACE_SIZE default; the React client build runs out of heap without it. */
const CLIENT_NODE_OPTIONS = "--max-old-space-size=6144";
/** stage-<hash12>-<pid>-<random> while a build runs; trash-<pid>-<random> while it is removed. */
const STAGE_NAME = /^(?:stage-[0-9a-f]+|trash)-(\d+)-[0-9a-f]+$/;

export interface AirgappedBuild {
  checkoutDir: string;
  entries: ContextEntry[];
  baseImage: string;
  workDir: string;
  tag: string;
  inputsHash: string;
  labels: Record<string, string>;
  runner: PhaseRunner;
}

/** Runs the build; returns the image id. The staging tree is removed whatever happens. */
export async function buildAirgapped(build: AirgappedBuild): Promise<string> {
  const { runner, workDir } = build;
  sweepStaleStages(workDir);
  const stageDir = path.join(workDir, `stage-${build.inputsHash.slice(0, 12)}-${process.pid}-${randomBytes(4).toString("hex")}`);
  const app = path.join(stageDir, "app");
  try {
    await runner.run("stage", async (tail) => {
      stageCheckout(build.checkoutDir, build.entries, app);
      tail.push(`staged ${build.entries.length} entries of ${build.checkoutDir} in ${app}\n`);
    });
    const env = childEnv({});
    await runner.run("npm ci", (tail) => runCommand("npm", ["ci", "--no-audit", "--no-fund"], { cwd: app, env }, tail));
    const steps = frontendSteps(app);
    const buildEnv = childEnv({ NODE_OPTIONS: CLIENT_NODE_OPTIONS });
    if (steps.packages.length > 0) {
      await runner.run("packages", (tail) => runCommand("sh", ["-c", steps.packages.join(" && ")], { cwd: app, env: buildEnv }, tail));
    }
    await runner.run("client", async (tail) => {
      await runCommand("sh", ["-c", steps.client.join(" && ")], { cwd: app, env: buildEnv }, tail);
      if (!existsSync(path.join(app, "client", "dist", "index.html"))) {
        throw new Error("the client build ended without client/dist/index.html, and LibreChat does not boot without it");
      }
    });
    await runner.run("prune", (tail) => runCommand("npm", ["prune", "--omit=dev", "--no-audit", "--no-fund"], { cwd: app, env }, tail));
    const runtime = await runner.run("runtime", (tail) => ensureRuntimeRootfs(build.baseImage, workDir, tail));
    return await runner.run("image", (tail) =>
      importLibreChatImage(runtime.file, stageDir, build.tag, { baseEnv: runtime.env, labels: build.labels }, tail),
    );
  } finally {
    const started = Date.now();
    removeInBackground(workDir, stageDir);
    runner.phases.push({ name: "cleanup", durationMs: Date.now() - started });
  }
}

/**
 * Unlinking the ~150,000 files of a built tree takes about 25 s on a disk: the tree is renamed
 * out of the way at once (so nothing reads it again) and removed by a detached `rm -rf`. A
 * removal cut short (the machine stopped) is finished by the next build's sweep.
 */
export function removeInBackground(workDir: string, dir: string): void {
  if (!existsSync(dir)) return;
  const trash = path.join(workDir, `trash-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    renameSync(dir, trash);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const child = spawn("rm", ["-rf", trash], { detached: true, stdio: "ignore", env: { PATH: process.env.PATH } });
  child.on("error", () => rmSync(trash, { recursive: true, force: true }));
  child.unref();
}

/** Copies the build's inputs into `app` (modes kept), then adds upstream's .env and volume dirs. */
export function stageCheckout(checkoutDir: string, entries: ContextEntry[], app: string): void {
  mkdirSync(app, { recursive: true });
  chmodSync(app, 0o755);
  for (const entry of entries) {
    const from = path.join(checkoutDir, entry.rel);
    const to = path.join(app, entry.rel);
    if (entry.kind === "dir") mkdirSync(to, { recursive: true, mode: entry.mode });
    else if (entry.kind === "symlink") symlinkSync(readlinkSync(from), to);
    else {
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(from, to);
      chmodSync(to, entry.mode);
    }
  }
  if (!existsSync(path.join(app, ".env"))) writeFileSync(path.join(app, ".env"), "");
  for (const dir of RUNTIME_DIRS) mkdirSync(path.join(app, dir), { recursive: true });
}

export interface FrontendSteps {
  /** data-provider, data-schemas and api: up to and including the build:api step. */
  packages: string[];
  /** the rest: client-package, then the React client. */
  client: string[];
}

/**
 * The checkout's own `frontend` script (upstream's Dockerfile runs `npm run frontend`), split
 * after its build:api step so that the packages and the client are timed apart. A script of
 * another shape runs whole as the client phase.
 */
export function frontendSteps(app: string): FrontendSteps {
  const manifest = JSON.parse(readFileSync(path.join(app, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const script = manifest.scripts?.frontend;
  if (!script) throw new Error(`${app}/package.json has no "frontend" script, which upstream's Dockerfile runs`);
  const segments = script.split("&&").map((segment) => segment.trim()).filter(Boolean);
  const split = segments.findLastIndex((segment) => /\bbuild:api\b/.test(segment));
  if (split < 0 || split === segments.length - 1 || segments.slice(0, split + 1).some((s) => s.startsWith("cd "))) {
    return { packages: [], client: [script] };
  }
  return { packages: segments.slice(0, split + 1), client: segments.slice(split + 1) };
}

/**
 * The environment of npm and the builds: the host's PATH (this Node first), HOME (npm's cache
 * and user config), the host's npm settings, proxy and CA variables; nothing else of the
 * caller's (no NODE_ENV, no NODE_OPTIONS) leaks into the build. Of the npm_config_* variables,
 * those an `npm run` exports about its own invocation are dropped: `npm run -s` would otherwise
 * silence npm ci (loglevel), and local_prefix names the caller's project.
 */
export function childEnv(extra: Record<string, string>, source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const keep = /^(HOME|USER|LOGNAME|TMPDIR|LANG|LC_ALL|SSL_CERT_FILE|SSL_CERT_DIR|NODE_EXTRA_CA_CERTS)$|^npm_config_|_proxy$/i;
  const invocation = /^npm_config_(loglevel|silent|quiet|local_prefix|call|argv|user_agent|npm_version|workspaces?|include_workspace_root)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && keep.test(key) && !invocation.test(key)) env[key] = value;
  }
  env.PATH = [path.dirname(process.execPath), source.PATH ?? ""].filter(Boolean).join(path.delimiter);
  return { ...env, ...extra };
}

/** Removes staging trees (and unfinished removals) whose process is gone, e.g. a build killed mid-way. */
export function sweepStaleStages(workDir: string): void {
  if (!existsSync(workDir)) return;
  for (const name of readdirSync(workDir)) {
    const match = STAGE_NAME.exec(name);
    if (match && !processAlive(Number(match[1]))) removeInBackground(workDir, path.join(workDir, name));
  }
}
