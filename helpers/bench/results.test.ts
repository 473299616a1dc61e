import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { ChecklistMeasure } from "./checklist-runs.ts";
import { memoryOf } from "./docker-facts.ts";
import { benchMarkdown } from "./markdown.ts";
import type { PairResult, SideResult } from "./pairs.ts";
import { medianWaves, sideBySide, targetsOf, type BenchResults } from "./results.ts";
import { processTree, sampleRss } from "./rss.ts";
import { median, summarize } from "./stats.ts";

const side = (upMs: number, downMs: number, startOffset = 0): SideResult => ({
  upMs,
  downMs,
  upPhases: { loadingMs: 500, preflightMs: 800, startMs: upMs - 1300 },
  timeline: [
    { role: "mongodb", createdMs: 1000 + startOffset, startedMs: 1100 + startOffset },
    { role: "probe", createdMs: 1000 + startOffset, startedMs: 1050 + startOffset },
    { role: "librechat", createdMs: 3000 + startOffset, startedMs: 3100 + startOffset },
    { role: "django", createdMs: 6000 + startOffset, startedMs: 6100 + startOffset },
    { role: "sveltekit", createdMs: 6000 + startOffset, startedMs: 6200 + startOffset },
  ],
  healthyMs: {},
  upRss: undefined,
});

const pair = (index: number, harness: SideResult, compose: SideResult): PairResult => ({ index, order: ["harness", "compose"], harness, compose, memory: undefined });

const measure = (over: Partial<ChecklistMeasure>): ChecklistMeasure => ({
  name: "checklist", args: [], env: {}, runId: "lch-1", exitCode: 0, durationMs: 20_000, stackReadyMs: 9000, stackReadyAtMs: 11_000, firstVerdictAtMs: 12_000,
  verdicts: { pass: 15, fail: 0, skip: 0 }, items: [], suites: [], rss: undefined, left: 0, reuse: { keptRunId: undefined, reusedRunId: undefined }, ...over,
});

function results(pairs: PairResult[], over: Partial<BenchResults> = {}): Omit<BenchResults, "targets"> {
  return {
    generatedAt: "now", host: { cpus: 2, loadAverage: [1, 1, 1] }, images: { librechat: "lc" }, librechatVersion: "v0.8.7", pairs: pairs.length,
    stackUp: sideBySide(pairs, (s) => s.upMs), teardown: sideBySide(pairs, (s) => s.downMs),
    upPhases: { loadingMs: 1, preflightMs: 1, startMs: 1 }, waves: { harness: medianWaves(pairs, "harness"), compose: medianWaves(pairs, "compose") },
    upProfile: [], loadCosts: [], memory: { harness: [], compose: [] }, upRss: { harness: undefined, compose: undefined },
    checklist: [measure({})], warm: { first: measure({}), second: measure({ firstVerdictAtMs: 2500, durationMs: 9000, reuse: { keptRunId: undefined, reusedRunId: "lch-1" } }), removed: ["lch-1"] },
    parallel: { wallMs: 40_000, allGreen: true, runs: [measure({}), measure({}), measure({})] }, pairDetails: pairs, ...over,
  };
}

describe("the bench's summaries", () => {
  it("takes min, median and max, and the median of the per-pair ratios", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(summarize([5, 1, 3])).toEqual({ n: 3, minMs: 1, medianMs: 3, maxMs: 5 });
    const pairs = [pair(1, side(8000, 1000), side(10_000, 10_000)), pair(2, side(9000, 2000), side(10_000, 10_000)), pair(3, side(30_000, 1000), side(12_000, 10_000))];
    const up = sideBySide(pairs, (s) => s.upMs);
    expect(up.medianRatio).toBe(0.9);
    expect(up.ratioOfMedians).toBe(0.9);
  });

  it("splits a stack-up into the waves both sides share, by container start", () => {
    const waves = medianWaves([pair(1, side(8000, 1000), side(8000, 1000, 500))], "harness");
    expect(waves).toEqual({ beforeFirstContainerMs: 1050, dataServicesReadyMs: 2050, librechatReadyMs: 3000, stubsReadyAndExitMs: 1900 });
  });

  it("marks each target met or missed with its numbers", () => {
    const met = targetsOf(results([pair(1, side(8000, 1000), side(10_000, 10_000))]));
    expect(met.map((t) => t.met)).toEqual([true, true, true, true, true, false]);
    const missed = targetsOf(results([pair(1, side(12_000, 6000), side(10_000, 10_000))], { checklist: [measure({ durationMs: 30_000 })] }));
    expect(missed.slice(0, 3).map((t) => t.met)).toEqual([false, false, false]);
    expect(missed[0]!.value).toBe("1.20× (12.0 s / 10.0 s)");
    expect(missed[2]!.value).toContain("19.0 s after");
  });

  it("writes the ratios and targets before the details", () => {
    const r = results([pair(1, side(8000, 1000), side(10_000, 10_000))]);
    const text = benchMarkdown({ ...r, targets: targetsOf(r) });
    expect(text.indexOf("median ratio")).toBeLessThan(text.indexOf("## Targets"));
    expect(text.indexOf("## Targets")).toBeLessThan(text.indexOf("## Where stack-up goes"));
    expect(text).toContain("| stack-up (npm run up / compose up -d --wait) | 8.0 / 8.0 / 8.0 | 10.0 / 10.0 / 10.0 | 0.80× | 0.80× |");
  });

  it("reads memory as docker stats does, on cgroup v1 and v2", () => {
    expect(memoryOf({ memory_stats: { usage: 100 * 1024 * 1024, stats: { total_inactive_file: 20 * 1024 * 1024 } } })).toBe(80);
    expect(memoryOf({ memory_stats: { usage: 50 * 1024 * 1024, stats: { inactive_file: 10 * 1024 * 1024 } } })).toBe(40);
  });
});

describe.runIf(process.platform === "linux")("peak RSS of a process tree", () => {
  it("sums the process and its descendants", async () => {
    const child = spawn("sh", ["-c", "sleep 2 & sleep 2; wait"], { stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processTree(child.pid!).length).toBeGreaterThanOrEqual(2);
    const sampler = sampleRss(process.pid);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const peak = sampler.stop();
    child.kill();
    expect(peak?.peakMiB).toBeGreaterThan(10);
    expect(peak?.processes).toBeGreaterThanOrEqual(3);
  });
});
