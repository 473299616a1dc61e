import { docker, errorText } from "../docker/client.ts";

/** Splits Docker's multiplexed log framing (8-byte headers) into text; plain TTY logs pass through. */
export function demuxDockerLogs(raw: Buffer): string {
  const chunks: string[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const streamType = raw[offset];
    const size = raw.readUInt32BE(offset + 4);
    if ((streamType !== 1 && streamType !== 2) || raw[offset + 1] !== 0 || offset + 8 + size > raw.length) {
      return raw.toString("utf8");
    }
    chunks.push(raw.subarray(offset + 8, offset + 8 + size).toString("utf8"));
    offset += 8 + size;
  }
  return offset === raw.length ? chunks.join("") : raw.toString("utf8");
}

export async function lastLogLines(containerId: string, lines = 100): Promise<string> {
  try {
    const raw = (await docker()
      .getContainer(containerId)
      .logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    return demuxDockerLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).trimEnd();
  } catch (error) {
    return `(logs unavailable: ${errorText(error)})`;
  }
}

export interface HealthProbe {
  exitCode: number;
  output: string;
  start: string;
}

export interface ContainerState {
  name: string;
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  /** How often Docker restarted it (its restart policy). */
  restartCount: number;
  health: { status: string; failingStreak: number; log: HealthProbe[] } | undefined;
}

export async function containerState(containerId: string): Promise<ContainerState> {
  const info = await docker().getContainer(containerId).inspect();
  const state = info.State;
  const health = (state as { Health?: { Status: string; FailingStreak: number; Log?: { ExitCode: number; Output: string; Start: string }[] } }).Health;
  return {
    name: info.Name.replace(/^\//, ""),
    status: state.Status,
    running: state.Running,
    exitCode: state.ExitCode,
    oomKilled: state.OOMKilled,
    error: state.Error,
    restartCount: info.RestartCount,
    health: health
      ? {
          status: health.Status,
          failingStreak: health.FailingStreak,
          log: (health.Log ?? []).map((entry) => ({ exitCode: entry.ExitCode, output: entry.Output.trim(), start: entry.Start })),
        }
      : undefined,
  };
}

export function formatHealthLog(log: HealthProbe[]): string {
  return log.map((probe) => `  [exit ${probe.exitCode}] ${probe.output.split("\n").slice(0, 3).join(" / ") || "(no output)"}`).join("\n");
}

/** State, health log and last log lines of a container, for an error message a person can act on. */
export async function describeContainer(containerId: string, logLines = 100): Promise<string> {
  let stateText: string;
  let healthText = "";
  try {
    const state = await containerState(containerId);
    stateText = `container ${state.name}: ${state.status}${state.running ? "" : `, exit code ${state.exitCode}`}${state.restartCount > 0 ? `, restarted ${state.restartCount} time(s)` : ""}${state.oomKilled ? ", killed for lack of memory" : ""}${state.error ? `, error: ${state.error}` : ""}`;
    if (state.health) {
      healthText = `\nhealth: ${state.health.status} (failing streak ${state.health.failingStreak})\n${formatHealthLog(state.health.log)}`;
    }
  } catch (error) {
    stateText = `container ${containerId.slice(0, 12)}: not inspectable (${errorText(error)})`;
  }
  const logs = await lastLogLines(containerId, logLines);
  return `${stateText}${healthText}\nlast ${logLines} log lines:\n${logs || "(no output)"}`;
}
