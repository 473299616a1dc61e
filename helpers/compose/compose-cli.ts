import { execFile } from "node:child_process";
import { ComposeInputError } from "./errors.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}
export type Runner = (argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number }) => Promise<RunResult>;

export const execRunner: Runner = (argv, options) =>
  new Promise((resolve) => {
    const [cmd, ...args] = argv;
    execFile(cmd as string, args, { env: options.env, cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });

export interface ComposeCli {
  /** v2 can print the merged model as JSON; v1 (Python, 1.x) cannot and rejects v2-only syntax. */
  kind: "v1" | "v2";
  argv: string[];
  version: string;
}

/** Finds `docker compose` (the v2 plugin) or a standalone `docker-compose` (v1, or v2 under the old name). */
export async function detectComposeCli(run: Runner = execRunner): Promise<ComposeCli | undefined> {
  for (const argv of [["docker", "compose"], ["docker-compose"]]) {
    const result = await run([...argv, "version"], { timeoutMs: 15_000 });
    if (result.code !== 0) continue;
    const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(result.stdout);
    if (!m) continue;
    return { kind: Number(m[1]) >= 2 ? "v2" : "v1", argv, version: `${m[1]}.${m[2]}.${m[3]}` };
  }
  return undefined;
}

/**
 * `config` writes every `$` of the model as `$$` so that its output parses as a compose file again
 * (docker/compose#8632, since v2.0.0); the container gets the single `$`. Undoes that, keys included.
 */
export function unescapeDollars(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("$$", "$");
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll("$$", "$"), unescapeDollars(v)]));
  }
  return value;
}

/** Compose's `level=warning msg="..."` lines on stderr, as the messages they carry. */
export function composeWarnings(stderr: string): string[] {
  const out = new Set<string>();
  for (const m of stderr.matchAll(/level=warning msg="((?:[^"\\]|\\.)*)"/g)) out.add((m[1] as string).replace(/\\(.)/g, "$1"));
  return [...out];
}

export interface ComposeConfigOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * Profiles to enable: `config` leaves out the services of a profile not enabled (and the networks
   * only they join), where the built-in model keeps every service with its `profiles`.
   */
  profiles?: readonly string[];
}

/** Compose's own merged, interpolated model (`$` unescaped) and its warnings: `<cli> -f a -f b [--profile p] config --format json`. Needs no Docker engine. */
export async function composeConfig(
  cli: ComposeCli,
  files: readonly string[],
  options: ComposeConfigOptions,
  run: Runner = execRunner,
): Promise<{ model: Record<string, unknown>; warnings: string[] }> {
  if (cli.kind !== "v2") throw new Error(`Compose ${cli.version} cannot print its model as JSON; use the built-in merge`);
  const profiles = (options.profiles ?? []).flatMap((p) => ["--profile", p]);
  const argv = [...cli.argv, ...files.flatMap((f) => ["-f", f]), ...profiles, "config", "--format", "json"];
  // Compose needs PATH/HOME to run; interpolation must see exactly the given variables plus those.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  const result = await run(argv, { env, cwd: options.cwd, timeoutMs: 60_000 });
  if (result.code !== 0) {
    const error = result.stderr.split("\n").filter((line) => !/level=warning/.test(line)).join("\n").trim();
    throw new ComposeInputError(`\`${argv.join(" ")}\` failed: ${error || `exit code ${result.code}`}`, { file: files[files.length - 1] });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new ComposeInputError(`\`${argv.join(" ")}\` printed something that is not JSON`, { file: files[files.length - 1] });
  }
  return { model: unescapeDollars(parsed) as Record<string, unknown>, warnings: composeWarnings(result.stderr) };
}

/** The model alone (see composeConfig). */
export async function composeConfigJson(cli: ComposeCli, files: readonly string[], options: ComposeConfigOptions, run: Runner = execRunner): Promise<Record<string, unknown>> {
  return (await composeConfig(cli, files, options, run)).model;
}
