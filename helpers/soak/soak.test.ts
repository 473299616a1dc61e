import { describe, expect, it } from "vitest";
import { flakesOf, type FullRun } from "./soak.ts";

const run = (index: number, statuses: Record<string, string>): FullRun => ({ index, runId: `r${index}`, exitCode: 0, durationMs: 1, statuses, left: 0 });

describe("flakes", () => {
  it("counts the runs whose verdict differs from the item's usual one", () => {
    const items = flakesOf([run(1, { a: "pass", b: "fail" }), run(2, { a: "fail", b: "fail" }), run(3, { a: "pass", b: "fail" })]);
    expect(items.a).toEqual({ counts: { pass: 2, fail: 1 }, flakes: 1 });
    expect(items.b).toEqual({ counts: { fail: 3 }, flakes: 0 });
  });

  it("counts an item missing from a run's report as a flake of that run", () => {
    expect(flakesOf([run(1, { a: "pass" }), run(2, {})]).a).toEqual({ counts: { pass: 1, missing: 1 }, flakes: 1 });
  });
});
