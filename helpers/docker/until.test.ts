import { describe, expect, it } from "vitest";
import { answer, noAnswer, until, type Observation } from "./until.ts";

function script<T>(...steps: Observation<T>[]): () => Promise<Observation<T>> {
  let i = 0;
  return async () => steps[Math.min(i++, steps.length - 1)]!;
}

describe("until", () => {
  it("returns the wanted answer as soon as one attempt gives it", async () => {
    const outcome = await until(script(noAnswer("exec timed out"), answer(503), answer(200)), { deadlineMs: 5000, wanted: (s) => s === 200, intervalMs: 1 });
    expect(outcome).toMatchObject({ kind: "wanted", value: 200, attempts: 3 });
  });

  it("settles an unwanted answer after it repeats, without waiting for the deadline", async () => {
    const outcome = await until(script(answer(404)), { deadlineMs: 60_000, wanted: (s) => s === 200, intervalMs: 1, confirmations: 3 });
    expect(outcome).toMatchObject({ kind: "unwanted", value: 404, attempts: 3 });
    expect(outcome.waitedMs).toBeLessThan(5000);
  });

  it("does not count attempts that could not run as evidence against the deployment", async () => {
    const outcome = await until(script<number>(noAnswer("probe starved")), { deadlineMs: 50, wanted: () => true, intervalMs: 5 });
    expect(outcome).toMatchObject({ kind: "no-answer", why: "probe starved" });
    expect(outcome.attempts).toBeGreaterThan(1);
  });

  it("judges by the last answer at the deadline when later attempts could not run", async () => {
    const outcome = await until(script<number>(answer(503), noAnswer("exec timed out")), { deadlineMs: 40, wanted: (s) => s === 200, intervalMs: 5 });
    expect(outcome).toMatchObject({ kind: "unwanted", value: 503 });
  });

  it("treats an attempt that throws as one that could not run", async () => {
    const outcome = await until<number>(async () => {
      throw new Error("docker exec could not start");
    }, { deadlineMs: 20, wanted: () => true, intervalMs: 5 });
    expect(outcome).toMatchObject({ kind: "no-answer", why: "docker exec could not start" });
  });
});
