// The two waits of the run, each evidence until a deadline (helpers/docker/until.ts), never a sleep.
import { answer, noAnswer, until } from "../docker/until.ts";
import { recordOf, type CommandRecord } from "./record.ts";
import { couldNotRun, sh, type ShellOptions } from "./shell.ts";

const READY_PROBE = "docker exec django-dev curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://librechat-api:3080/health";

/**
 * Waits until LibreChat answers 200 on its real health route from django-dev (the harness's wait,
 * not a command of the guide's): the guide's checks are only worth recording against a LibreChat that is up.
 */
export async function waitForLibreChat(shell: ShellOptions, deadlineMs: number): Promise<CommandRecord> {
  const outcome = await until(
    async () => {
      const r = await sh(READY_PROBE, { ...shell, timeoutMs: 15_000 });
      const why = couldNotRun(r);
      return why ? noAnswer<string>(why) : answer(r.stdout.trim());
    },
    { deadlineMs, wanted: (code) => code === "200", confirmations: Number.POSITIVE_INFINITY, intervalMs: 1000 },
  );
  const last = await sh(READY_PROBE, { ...shell, timeoutMs: 15_000 });
  const seconds = Math.round(outcome.waitedMs / 1000);
  const where = "the harness's wait before the checks (not in the guide)";
  if (outcome.kind === "wanted") {
    return recordOf(last, { id: "librechat-answers", where, finding: `LibreChat answered 200 on /health after ${seconds} s (${outcome.attempts} attempts)` });
  }
  const logs = await sh("docker logs --tail 30 librechat-api", shell);
  const seen = outcome.kind === "unwanted" ? `its last answer was HTTP ${outcome.value}` : `no attempt answered (${outcome.why})`;
  return {
    ...recordOf(last, { id: "librechat-answers", where, couldNotRun: `LibreChat did not answer 200 on /health within ${seconds} s: ${seen}; the guide's checks are not run against a LibreChat that is not up` }),
    evidence: [{ command: logs.command, exitCode: logs.exitCode, output: `${logs.stdout}${logs.stderr}`.trim().split("\n").slice(-30).join("\n") }],
  };
}

interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

interface HealthState {
  Status?: string;
  FailingStreak?: number;
  Log?: { End?: string; ExitCode?: number; Output?: string }[];
}

const HEALTH = "docker inspect --format '{{json .State.Health}}' librechat-api";
const NS_PER_MS = 1e6;

function parsed<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** How long Docker may take to settle the healthcheck: its start period, then `retries` failing probes (one more for the first). */
function settleDeadlineMs(config: HealthConfig): number {
  const interval = (config.Interval ?? 30e9) / NS_PER_MS;
  const timeout = (config.Timeout ?? 30e9) / NS_PER_MS;
  return (config.StartPeriod ?? 0) / NS_PER_MS + (interval + timeout) * ((config.Retries ?? 3) + 1) + 30_000;
}

/** The guide's "Health check passes": the overlay's healthcheck as Docker runs it, once Docker has settled it. */
export async function healthRecord(shell: ShellOptions): Promise<CommandRecord> {
  const configRun = await sh("docker inspect --format '{{json .Config.Healthcheck}}' librechat-api", shell);
  const config = parsed<HealthConfig>(configRun.stdout.trim()) ?? {};
  const outcome = await until(
    async () => {
      const r = await sh(HEALTH, shell);
      const state = parsed<HealthState>(r.stdout.trim());
      return state?.Status ? answer(state.Status) : noAnswer<string>(couldNotRun(r) ?? `no health state: ${r.stdout.trim() || r.stderr.trim()}`);
    },
    { deadlineMs: settleDeadlineMs(config), wanted: (status) => status !== "starting", confirmations: Number.POSITIVE_INFINITY, intervalMs: 2000 },
  );
  const result = await sh(HEALTH, shell);
  const state = parsed<HealthState>(result.stdout.trim()) ?? {};
  const lastProbe = state.Log?.at(-1);
  const startedAt = Date.parse((await sh("docker inspect --format '{{.State.StartedAt}}' librechat-api", shell)).stdout.trim());
  const settledAt = Date.parse(lastProbe?.End ?? "");
  const after = Number.isFinite(startedAt) && Number.isFinite(settledAt) ? `${Math.round((settledAt - startedAt) / 1000)} s after the container started` : `after a ${Math.round(outcome.waitedMs / 1000)} s wait`;
  const timing = `start period ${(config.StartPeriod ?? 0) / 1e9} s, interval ${(config.Interval ?? 0) / 1e9} s, retries ${config.Retries ?? "?"}`;
  const status = outcome.kind === "no-answer" ? `no health state (${outcome.why})` : (state.Status ?? "no health state");
  const finding =
    state.Status === "healthy"
      ? `healthy ${after} (${timing})`
      : `${status} ${after} (${timing}); failing streak ${state.FailingStreak ?? "?"}; last probe: exit ${lastProbe?.ExitCode ?? "?"}, ${(lastProbe?.Output ?? "").trim()}`;
  return {
    ...recordOf(result, {
      id: "healthcheck-passes",
      where: "Testing Checklist: Health check passes (the overlay's healthcheck: curl -f http://localhost:${PORT:-3080}/api/health)",
      guide: "(no command in the guide: the status Docker reports for the overlay's healthcheck)",
      expected: { kind: "stated", text: "healthy" },
      matches: state.Status === "healthy",
      finding,
    }),
    evidence: [{ command: configRun.command, exitCode: configRun.exitCode, output: configRun.stdout.trim() }],
  };
}
