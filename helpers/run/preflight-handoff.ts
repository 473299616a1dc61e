// `npm test` runs the preflight in its own process, so that bad input stops before vitest starts;
// the global setup in vitest's process used to run it a second time (the compose input loaded
// and merged again, every image checked again), then sweep and look up a reusable stack. Instead
// the wrapper hands what it established (prepare-run.ts) to the vitest process it starts, in a
// file named after the run id, and the global setup uses it only when it was written by its own
// parent for its own run, configuration and environment; otherwise (vitest started some other
// way, anything changed) it prepares the run itself, as before.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { OverrideTag, ResetTag } from "../compose/source.ts";
import { REPO_ROOT, type HarnessConfig } from "../config.ts";
import type { Log } from "./log.ts";
import type { PreparedRun } from "./prepare-run.ts";

/** Git ignores .harness/. */
export const HANDOFF_DIR = path.join(REPO_ROOT, ".harness", "preflight");

/**
 * The run id is the wrapper's, and vitest sets TEST and VITEST in its own process before the
 * global setup runs; every other variable the wrapper passed on must be the same.
 */
const HANDOFF_IGNORED_ENV = new Set(["HARNESS_RUN_ID", "TEST", "VITEST"]);

interface Handoff {
  runId: string;
  writerPid: number;
  config: string;
  /** The variables the wrapper gave the vitest process (names only) and a hash of their values. */
  envKeys: string[];
  envHash: string;
  prepared: PreparedRun;
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

function configFingerprint(config: HarnessConfig): string {
  return sha256(JSON.stringify({ ...config, runId: undefined }));
}

function envHash(env: NodeJS.ProcessEnv, keys: readonly string[]): string {
  return sha256(keys.map((key) => `${key}=${env[key] ?? "\u0000unset"}`).join("\n"));
}

// The compose model holds Maps (each file's line index) and the `!reset`/`!override` tags: JSON
// with a marker keeps them what they were.
const MARK = "$librechat-harness";

function encode(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { [MARK]: "map", entries: [...value.entries()] };
  if (value instanceof ResetTag) return { [MARK]: "reset" };
  if (value instanceof OverrideTag) return { [MARK]: "override", value: value.value };
  return value;
}

function decode(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || !(MARK in value)) return value;
  const marked = value as { [MARK]: string; entries?: [unknown, unknown][]; value?: unknown };
  if (marked[MARK] === "map") return new Map(marked.entries);
  if (marked[MARK] === "reset") return new ResetTag();
  if (marked[MARK] === "override") return new OverrideTag(marked.value);
  return value;
}

/** The handoff's encoding on its own, for the tests: what goes in comes out. */
export const handoffCodec = {
  stringify: (value: unknown): string => JSON.stringify(value, encode),
  parse: (text: string): unknown => JSON.parse(text, decode),
};

const handoffFile = (dir: string, runId: string): string => path.join(dir, `${runId}.json`);

/** Files of wrappers that were killed before they could remove them (another wrapper may be removing its own). */
function removeStale(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 3_600_000) rmSync(file, { force: true });
  }
}

/**
 * Writes what the wrapper established for the vitest process started with `childEnv`; returns
 * the file, which the wrapper removes once vitest has ended.
 */
export function writeHandoff(config: HarnessConfig, childEnv: NodeJS.ProcessEnv, prepared: PreparedRun, dir = HANDOFF_DIR): string {
  const runId = prepared.runId;
  const envKeys = Object.keys(childEnv)
    .filter((key) => childEnv[key] !== undefined && !HANDOFF_IGNORED_ENV.has(key))
    .sort();
  const handoff: Handoff = { runId, writerPid: process.pid, config: configFingerprint(config), envKeys, envHash: envHash(childEnv, envKeys), prepared };
  // It holds the compose input, whose environment may carry the project's secrets: this user only.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  removeStale(dir);
  const file = handoffFile(dir, runId);
  writeFileSync(file, handoffCodec.stringify(handoff), { mode: 0o600 });
  return file;
}

export function removeHandoff(runId: string, dir = HANDOFF_DIR): void {
  rmSync(handoffFile(dir, runId), { force: true });
}

function mismatch(handoff: Handoff, config: HarnessConfig, env: NodeJS.ProcessEnv, parentPid: number): string | undefined {
  if (handoff.runId !== config.runId || handoff.prepared.runId !== config.runId) return `it is for run ${handoff.runId}`;
  if (handoff.writerPid !== parentPid) return `it was written by process ${handoff.writerPid}, not by this process's parent ${parentPid}`;
  if (handoff.config !== configFingerprint(config)) return "the configuration differs";
  if (handoff.envHash !== envHash(env, handoff.envKeys)) return "a variable differs";
  return undefined;
}

/**
 * What this run's wrapper established, when it applies to this process (its parent wrote it for
 * this run id, with this configuration and these variables); undefined when there is none or it
 * does not apply (said in one line), and the caller runs the preflight itself.
 */
export function readHandoff(config: HarnessConfig, env: NodeJS.ProcessEnv, log: Log, options: { dir?: string; parentPid?: number } = {}): PreparedRun | undefined {
  if (!config.runId) return undefined;
  let handoff: Handoff;
  try {
    handoff = handoffCodec.parse(readFileSync(handoffFile(options.dir ?? HANDOFF_DIR, config.runId), "utf8")) as Handoff;
  } catch {
    return undefined;
  }
  const why = mismatch(handoff, config, env, options.parentPid ?? process.ppid);
  if (why === undefined) return handoff.prepared;
  log(`preflight: the check of npm test's wrapper does not apply here (${why}); checking again`);
  return undefined;
}
