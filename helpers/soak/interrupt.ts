// A run interrupted at a random point, as a user's Ctrl-C (SIGINT to the process group) or the
// OOM killer (SIGKILL to it) would stop it, and what it left behind.
import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { REPO_ROOT } from "../config.ts";
import { newRunId } from "../docker/labels.ts";
import { answer, until } from "../docker/until.ts";
import { sweepDeadRuns } from "../run/sweep.ts";
import { countRunResources } from "../stack/teardown.ts";

export interface Interrupted {
  signal: "SIGINT" | "SIGKILL";
  runId: string;
  /** How long after its start the run was stopped. */
  afterMs: number;
  /** What the run left right after it ended. */
  leftAtExit: number;
  /** What was left after the next run's sweep (only a SIGKILLed run needs one). */
  leftAfterSweep: number;
}

const total = (c: { containers: number; networks: number; volumes: number }): number => c.containers + c.networks + c.volumes;

/**
 * Starts `npm test` in its own process group and stops the whole group at a random moment in
 * [minMs, maxMs]. A SIGINT run must have removed everything itself; a SIGKILLed one cannot,
 * so the sweep every later run begins with must remove what it left.
 */
export async function interruptedRun(env: NodeJS.ProcessEnv, signal: Interrupted["signal"], window: { minMs: number; maxMs: number }): Promise<Interrupted> {
  const runId = newRunId();
  const afterMs = randomInt(window.minMs, window.maxMs);
  const child = spawn(process.execPath, ["scripts/harness.mjs", "checklist"], { cwd: REPO_ROOT, env: { ...env, HARNESS_RUN_ID: runId }, detached: true, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const finishedFirst = await Promise.race([exited.then(() => true), delay(afterMs).then(() => false)]);
  if (!finishedFirst) {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group ended on its own just now
    }
    await exited;
  }
  const leftAtExit = total(await countRunResources(runId));
  if (signal === "SIGINT") return { signal, runId, afterMs, leftAtExit, leftAfterSweep: leftAtExit };
  // A create the killed process had sent may still land after it died: sweep until none is left.
  const swept = await until(
    async () => {
      await sweepDeadRuns("");
      return answer(total(await countRunResources(runId)));
    },
    { deadlineMs: 30_000, wanted: (left) => left === 0, confirmations: Number.POSITIVE_INFINITY, intervalMs: 500 },
  );
  return { signal, runId, afterMs, leftAtExit, leftAfterSweep: swept.kind === "no-answer" ? -1 : swept.value };
}
