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

/** Compose's own merged, interpolated model: `<cli> -f a -f b config --format json`. Needs no Docker engine. */
export async function composeConfigJson(
  cli: ComposeCli,
  files: readonly string[],
  options: { env: Record<string, string | undefined>; cwd: string },
  run: Runner = execRunner,
): Promise<Record<string, unknown>> {
  if (cli.kind !== "v2") throw new Error(`Compose ${cli.version} cannot print its model as JSON; use the built-in merge`);
  const argv = [...cli.argv, ...files.flatMap((f) => ["-f", f]), "config", "--format", "json"];
  // Compose needs PATH/HOME to run; interpolation must see exactly the given variables plus those.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  const result = await run(argv, { env, cwd: options.cwd, timeoutMs: 60_000 });
  if (result.code !== 0) {
    throw new ComposeInputError(`\`${argv.join(" ")}\` failed: ${result.stderr.trim() || `exit code ${result.code}`}`, { file: files[files.length - 1] });
  }
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new ComposeInputError(`\`${argv.join(" ")}\` printed something that is not JSON`, { file: files[files.length - 1] });
  }
}
