// Evidence until a deadline: every check repeats its probe until it sees the wanted answer, an
// unwanted one holds, or its deadline passes; a probe that could not run or finish counts as
// nothing. When nothing is known by the deadline the item is inconclusive, in one sentence,
// and skipped: the host was too slow to judge, which is never the deployment's fault.
import type { TestContext } from "vitest";
import type { ExecResult } from "../docker/exec.ts";
import { execIn } from "../docker/exec.ts";
import { answer, noAnswer, SLOW_HOST_FIX, until, type Observation, type Outcome } from "../docker/until.ts";
import { runInfo } from "./context.ts";

export { answer, noAnswer, type Observation, type Outcome };

/** A check's evidence window before HARNESS_TIME_SCALE. */
export const EVIDENCE_WINDOW_MS = 60_000;

/** `ms` times HARNESS_TIME_SCALE: every deadline and probe timeout goes through here. */
export function scaled(ms: number): number {
  return Math.round(ms * runInfo().timeScale);
}

/** Thrown when nothing could be judged by the deadline; `check` turns it into a skip that says so. */
export class InconclusiveError extends Error {
  override name = "InconclusiveError";
}

/** The one sentence of an inconclusive item, and what to do. */
export function tooSlow(what: string, why: string): InconclusiveError {
  return new InconclusiveError(`inconclusive: the host was too slow to judge ${what}: ${why.replace(/\.$/, "")}. ${SLOW_HOST_FIX}`);
}

/** A checklist test body whose inconclusive evidence ends as a skip with its sentence, not as a failure. */
export function check(body: (ctx: TestContext) => Promise<void>): (ctx: TestContext) => Promise<void> {
  return async (ctx) => {
    try {
      await body(ctx);
    } catch (error) {
      if (error instanceof InconclusiveError) ctx.skip(error.message);
      throw error;
    }
  };
}

/** Repeats `attempt` until the wanted answer, a held unwanted one, or the deadline (60 s × scale unless given). */
export function observe<T>(attempt: () => Promise<Observation<T>>, wanted: (value: T) => boolean, options: { deadlineMs?: number; confirmations?: number } = {}): Promise<Outcome<T>> {
  return until(attempt, { deadlineMs: options.deadlineMs ?? scaled(EVIDENCE_WINDOW_MS), wanted, confirmations: options.confirmations ?? 3 });
}

/** The answer an outcome ended on; an outcome without any answer makes the item inconclusive. */
export function answered<T>(what: string, outcome: Outcome<T>): T {
  if (outcome.kind === "no-answer") throw tooSlow(what, `${outcome.why} (${outcome.attempts} attempts in ${(outcome.waitedMs / 1000).toFixed(0)} s)`);
  return outcome.value;
}

/** `observe` then `answered`: the answer the check is judged on. */
export async function evidenceOf<T>(what: string, attempt: () => Promise<Observation<T>>, wanted: (value: T) => boolean, options?: { deadlineMs?: number; confirmations?: number }): Promise<T> {
  return answered(what, await observe(attempt, wanted, options));
}

/** A command inside a container that must merely finish: retried while it times out, until the deadline. */
export async function finishedInside(what: string, containerId: string, cmd: string[], timeoutMs = 30_000): Promise<ExecResult> {
  const attempt = async (): Promise<Observation<ExecResult>> => {
    const result = await execIn(containerId, cmd, { timeoutMs: scaled(timeoutMs) });
    return result.timedOut ? noAnswer(`\`${cmd.join(" ")}\` did not finish within ${scaled(timeoutMs)} ms`) : answer(result);
  };
  return evidenceOf(what, attempt, () => true);
}
