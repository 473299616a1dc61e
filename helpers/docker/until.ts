import { setTimeout as delay } from "node:timers/promises";

/** What to do when the host was too slow to judge something: its load, not the deployment, is the cause. */
export const SLOW_HOST_FIX = "Run again when the host is less busy, or give every deadline more room with HARNESS_TIME_SCALE (e.g. 3).";

/**
 * What one attempt of a check saw: an answer (which the check then judges), or no answer at all
 * because the probe could not run or finish in time (the exec timed out, the probe was starved),
 * which says nothing about the deployment.
 */
export type Observation<T> = { kind: "answer"; value: T } | { kind: "no-answer"; why: string };

export const answer = <T>(value: T): Observation<T> => ({ kind: "answer", value });
export const noAnswer = <T>(why: string): Observation<T> => ({ kind: "no-answer", why });

/** How a check ended: the wanted answer, an unwanted one that held, or nothing to judge by the deadline. */
export type Outcome<T> =
  | { kind: "wanted"; value: T; attempts: number; waitedMs: number }
  | { kind: "unwanted"; value: T; attempts: number; waitedMs: number }
  | { kind: "no-answer"; why: string; attempts: number; waitedMs: number };

export interface UntilOptions<T> {
  deadlineMs: number;
  wanted: (value: T) => boolean;
  /** This many unwanted answers in a row settle it before the deadline (default 3); no-answers in between do not count. */
  confirmations?: number;
  /** First pause between attempts; it doubles up to 2 s. */
  intervalMs?: number;
}

/**
 * Evidence until a deadline, the way goss retries: attempts repeat until one gives the wanted
 * answer, an unwanted answer repeats `confirmations` times in a row, or the deadline passes. At
 * the deadline the last answer decides; when no attempt answered at all, nothing is known.
 */
export async function until<T>(attempt: () => Promise<Observation<T>>, options: UntilOptions<T>): Promise<Outcome<T>> {
  const started = Date.now();
  const confirmations = options.confirmations ?? 3;
  let pause = options.intervalMs ?? 250;
  let attempts = 0;
  let lastAnswer: { value: T } | undefined;
  let inARow = 0;
  let why = "no attempt finished";
  for (;;) {
    attempts += 1;
    const seen = await attempt().catch((error: unknown): Observation<T> => noAnswer(error instanceof Error ? error.message : String(error)));
    const waitedMs = Date.now() - started;
    if (seen.kind === "answer") {
      if (options.wanted(seen.value)) return { kind: "wanted", value: seen.value, attempts, waitedMs };
      inARow += 1;
      lastAnswer = { value: seen.value };
      if (inARow >= confirmations) return { kind: "unwanted", value: seen.value, attempts, waitedMs };
    } else {
      why = seen.why;
    }
    if (waitedMs >= options.deadlineMs) {
      return lastAnswer ? { kind: "unwanted", value: lastAnswer.value, attempts, waitedMs } : { kind: "no-answer", why, attempts, waitedMs };
    }
    await delay(Math.min(pause, Math.max(0, options.deadlineMs - waitedMs)));
    pause = Math.min(pause * 2, 2000);
  }
}
