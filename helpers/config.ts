import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type Profile = "dev" | "prod";

/** `random`: Docker picks free host ports; `compose`: the compose file's own host ports (still on 127.0.0.1). */
export type HostPortMode = "random" | "compose";

export const IMAGE_ROLES = ["librechat", "mongodb", "meilisearch", "django", "sveltekit", "llm"] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];

/** Environment variable that overrides each role's image. */
export const IMAGE_ENV: Record<ImageRole, string> = {
  librechat: "LIBRECHAT_IMAGE",
  mongodb: "MONGO_IMAGE",
  meilisearch: "MEILI_IMAGE",
  django: "DJANGO_IMAGE",
  sveltekit: "SVELTEKIT_IMAGE",
  llm: "MOCK_LLM_IMAGE",
};

/** The harness's whole configuration, read once per process from the environment (the README's table). */
export interface HarnessConfig {
  profile: Profile;
  librechatDir: string | undefined;
  /** LIBRECHAT_BUILD: build LibreChat from LIBRECHAT_DIR (its Dockerfile, or air-gapped on HARNESS_BASE_IMAGE). */
  librechatBuild: boolean;
  /** HARNESS_BUILD_DIR: where the air-gapped LibreChat build stages its trees, locks and logs (a tmpfs makes npm ci faster). */
  librechatBuildDir: string;
  overlayPath: string;
  reportDir: string;
  keepOnFailure: boolean;
  reuseStack: boolean;
  /** Image overrides by role, exactly as the user wrote them. */
  imageOverrides: Partial<Record<ImageRole, string>>;
  /** Base image for building the fixtures; undefined means each Dockerfile's public default. */
  fixtureBaseImage: string | undefined;
  hostPorts: HostPortMode;
  /** HARNESS_STUB_ENV: extra environment for both stubs (the fault matrix's switches). */
  stubEnvironment: Record<string, string>;
  /** HARNESS_LLM_ENV: extra environment for the mock LLM. */
  llmEnvironment: Record<string, string>;
  startupTimeoutMs: number;
  /**
   * HARNESS_TIME_SCALE: one factor for every deadline (start-up waits, each check's evidence
   * window, each probe's own timeout), for hosts slower than the defaults assume.
   */
  timeScale: number;
  /** How many fault stacks the fault matrix runs at once (HARNESS_FAULT_CONCURRENCY). */
  faultConcurrency: number;
  /** HARNESS_FAULTS: the fault ids the matrix runs (comma-separated; all when empty). */
  faultFilter: string[];
  /** Internal: the run id the `npm test` wrapper chose for the vitest process it starts. */
  runId: string | undefined;
  /** Internal: a stack started and owned by another process (the fault matrix), as a descriptor file. */
  stackFile: string | undefined;
  /** GITHUB_STEP_SUMMARY: the job summary file reports are appended to on GitHub Actions. */
  jobSummaryFile: string | undefined;
}

export const DEFAULT_OVERLAY = path.join(REPO_ROOT, "fixtures", "compose.librechat.yaml");
/** Where the air-gapped LibreChat build stages by default (git ignores .harness/). */
export const DEFAULT_BUILD_DIR = path.join(REPO_ROOT, ".harness", "librechat-build");
/**
 * The guide's overlay with the one fix the harness proposes (its healthcheck): the fault
 * matrix's healthy baseline, and the "corrected overlay" of the real-LibreChat runs.
 */
export const CORRECTED_OVERLAY = path.join(REPO_ROOT, "fixtures", "faults", "baseline.yaml");
/**
 * The rest of the corrected configuration, as variables the compose files interpolate: LibreChat
 * v0.8.7's admin panel moves off host port 3000, the SvelteKit frontend's (compose-lint's fix;
 * older releases have no admin panel and ignore it).
 */
export const CORRECTED_ENV = { ADMIN_PANEL_PORT: "3001" } as const;

/** A configuration mistake the user can fix; its message is one sentence saying what to do. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export type Env = Record<string, string | undefined>;

const TRUE = new Set(["1", "true", "yes"]);
const FALSE = new Set(["", "0", "false", "no"]);

function flag(env: Env, name: string): boolean {
  const value = (env[name] ?? "").trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ConfigError(`${name}=${env[name]} is not a switch; use 1 (or true) to turn it on, or leave it unset.`);
}

function positiveInteger(env: Env, name: string, fallback: number, unit: string): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
    throw new ConfigError(`${name}=${env[name]} is not a positive whole number of ${unit}; set it to e.g. ${fallback}, or unset it for the default (${fallback}).`);
  }
  return Number(raw);
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0)) {
    throw new ConfigError(`${name}=${env[name]} is not a positive number; set it to e.g. 2 (twice every deadline), or unset it for ${fallback}.`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = (env[name] ?? "").trim() || fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}=${raw} is not known; use ${allowed.map((a) => `"${a}"`).join(" or ")}.`);
  }
  return raw as T;
}

function existingPath(env: Env, name: string, kind: "file" | "directory"): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const resolved = path.resolve(raw);
  if (!existsSync(resolved)) {
    throw new ConfigError(`${name}=${raw} names a ${kind} that does not exist; fix the path or unset ${name}.`);
  }
  const isDir = statSync(resolved).isDirectory();
  if (kind === "directory" ? !isDir : isDir) {
    throw new ConfigError(`${name}=${raw} is not a ${kind}; point it at a ${kind}.`);
  }
  return resolved;
}

/**
 * `KEY=value` pairs separated by commas or new lines (HARNESS_STUB_ENV, HARNESS_LLM_ENV),
 * e.g. `FORWARD_CLIENT_HEADERS=false`.
 */
export function parseKeyValues(raw: string | undefined, variable: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (raw ?? "").split(/[,\n]/)) {
    const trimmed = pair.trim();
    if (!trimmed) continue;
    const index = trimmed.indexOf("=");
    if (index <= 0) throw new ConfigError(`${variable} entry "${trimmed}" is not KEY=value; write e.g. FORWARD_CLIENT_HEADERS=false.`);
    env[trimmed.slice(0, index).trim()] = trimmed.slice(index + 1).trim();
  }
  return env;
}

function imageOverrides(env: Env): Partial<Record<ImageRole, string>> {
  const overrides: Partial<Record<ImageRole, string>> = {};
  for (const role of IMAGE_ROLES) {
    const value = env[IMAGE_ENV[role]]?.trim();
    if (value) overrides[role] = value;
  }
  return overrides;
}

/** Reads and validates every variable of the README's table; a bad value throws one ConfigError sentence. */
export function readConfig(env: Env = process.env): HarnessConfig {
  const config = readValues(env);
  if (config.librechatBuild && !config.librechatDir) {
    throw new ConfigError("LIBRECHAT_BUILD=1 builds LibreChat from LIBRECHAT_DIR, which is unset: point LIBRECHAT_DIR at a LibreChat-main checkout.");
  }
  if (config.librechatBuild && config.imageOverrides.librechat) {
    throw new ConfigError(`LIBRECHAT_BUILD=1 and LIBRECHAT_IMAGE=${config.imageOverrides.librechat} both choose LibreChat's image; unset one of them.`);
  }
  return config;
}

function readValues(env: Env): HarnessConfig {
  return {
    profile: oneOf(env, "HARNESS_PROFILE", ["dev", "prod"] as const, "dev"),
    librechatDir: existingPath(env, "LIBRECHAT_DIR", "directory"),
    librechatBuild: flag(env, "LIBRECHAT_BUILD"),
    librechatBuildDir: path.resolve(env.HARNESS_BUILD_DIR?.trim() || DEFAULT_BUILD_DIR),
    overlayPath: existingPath(env, "LIBRECHAT_OVERLAY", "file") ?? DEFAULT_OVERLAY,
    reportDir: path.resolve(env.HARNESS_REPORT_DIR?.trim() || path.join(REPO_ROOT, "reports")),
    keepOnFailure: flag(env, "HARNESS_KEEP"),
    reuseStack: flag(env, "HARNESS_REUSE"),
    imageOverrides: imageOverrides(env),
    fixtureBaseImage: env.HARNESS_BASE_IMAGE?.trim() || undefined,
    hostPorts: oneOf(env, "HARNESS_HOST_PORTS", ["random", "compose"] as const, "random"),
    stubEnvironment: parseKeyValues(env.HARNESS_STUB_ENV, "HARNESS_STUB_ENV"),
    llmEnvironment: parseKeyValues(env.HARNESS_LLM_ENV, "HARNESS_LLM_ENV"),
    startupTimeoutMs: positiveInteger(env, "HARNESS_STARTUP_TIMEOUT_MS", 180_000, "milliseconds"),
    timeScale: positiveNumber(env, "HARNESS_TIME_SCALE", 1),
    faultConcurrency: positiveInteger(env, "HARNESS_FAULT_CONCURRENCY", 3, "stacks"),
    faultFilter: (env.HARNESS_FAULTS ?? "").split(",").map((id) => id.trim()).filter(Boolean),
    runId: env.HARNESS_RUN_ID?.trim() || undefined,
    stackFile: existingPath(env, "HARNESS_STACK_FILE", "file"),
    jobSummaryFile: env.GITHUB_STEP_SUMMARY?.trim() || undefined,
  };
}
