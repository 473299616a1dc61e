import { spawn } from "node:child_process";

/** One command as a user types it, run through `sh -c` (pipes and all), with what it printed. */
export interface ShellResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface ShellOptions {
  cwd: string;
  timeoutMs?: number;
  /** Added to the process environment (for values the command line must not show, such as secrets). */
  env?: Record<string, string>;
}

/** Runs `command` with `sh -c` in `cwd`; a command still running at the deadline is killed and reported as exit code 124. */
export function sh(command: string, options: ShellOptions): Promise<ShellResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole process group: `docker exec ... | grep` leaves no orphan behind.
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    const finish = (code: number): void => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString("utf8");
      resolve({ command, exitCode: timedOut ? 124 : code, stdout: Buffer.concat(out).toString("utf8"), stderr, durationMs: Date.now() - started, timedOut });
    };
    child.on("error", (error) => {
      err.push(Buffer.from(error.message));
      finish(127);
    });
    child.on("close", (code) => finish(code ?? 128));
  });
}

/**
 * Why a command did not run at all, which says nothing about LibreChat or the guide: it hung, the
 * Docker CLI or engine is missing, or the container or network it names is not there. `undefined`
 * when it ran, whatever it answered (a program missing inside a container is an answer).
 */
export function couldNotRun(result: ShellResult): string | undefined {
  if (result.timedOut) return `it did not finish within ${Math.round(result.durationMs / 1000)} s`;
  const stderr = result.stderr;
  if (/docker: (command )?not found|docker: No such file/.test(stderr)) return "the docker CLI is not installed";
  if (/Cannot connect to the Docker daemon|error during connect/.test(stderr)) return `no Docker engine: ${firstLine(stderr)}`;
  if (/No such container|is not running|No such network|No such object|is restarting/.test(stderr)) return `what it names is not there: ${firstLine(stderr)}`;
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "")?.trim() ?? "";
}

/** At most `maxLines` lines and `maxChars` characters of `text`, trimmed, saying what was left out. */
export function trimmed(text: string, maxLines = 40, maxChars = 4000): string {
  const lines = text.replace(/\r/g, "").trim().split("\n");
  let shown = lines.slice(0, maxLines).join("\n");
  if (shown.length > maxChars) shown = `${shown.slice(0, maxChars)}…`;
  const left = lines.length - Math.min(lines.length, maxLines);
  return left > 0 ? `${shown}\n… (${left} more lines)` : shown;
}
