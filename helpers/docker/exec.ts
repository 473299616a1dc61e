import { PassThrough } from "node:stream";
import { docker, errorText } from "./client.ts";

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The command was still running at the deadline (then exitCode is 124, like timeout(1)). */
  timedOut: boolean;
}

export class ExecError extends Error {
  override name = "ExecError";
}

/**
 * Runs a command inside a running container, as `docker exec` does, and collects its output.
 * A command still running at the deadline is reported as exit code 124 (like timeout(1)).
 */
export async function execIn(
  containerId: string,
  cmd: string[],
  options: { timeoutMs?: number; user?: string; env?: string[] } = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const container = docker().getContainer(containerId);
  let exec;
  try {
    exec = await container.exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      ...(options.user ? { User: options.user } : {}),
      ...(options.env ? { Env: options.env } : {}),
    });
  } catch (error) {
    throw new ExecError(`docker exec ${containerId.slice(0, 12)} ${cmd.join(" ")} could not start: ${errorText(error)}`);
  }
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  docker().modem.demuxStream(stream, stdout, stderr);
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve(false);
    }, timeoutMs);
    stream.on("end", () => {
      clearTimeout(timer);
      resolve(true);
    });
    stream.on("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
    stream.on("error", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  const text = { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
  if (!finished) return { exitCode: 124, ...text, stderr: `${text.stderr}\n(still running after ${timeoutMs} ms)`, timedOut: true };
  const inspected = await exec.inspect();
  return { exitCode: inspected.ExitCode ?? -1, ...text, timedOut: false };
}
