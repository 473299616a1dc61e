// The bench's results as one JSON document (reports/bench.json), its summaries and its targets.
import type { ChecklistMeasure } from "./checklist-runs.ts";
import type { ContainerMemory, ContainerTimes } from "./docker-facts.ts";
import type { PairResult, SideResult } from "./pairs.ts";
import type { RssPeak } from "./rss.ts";
import { median, ratio, s, summarize, type Summary } from "./stats.ts";
import type { UpProfile } from "./up-profile.ts";

export interface SideBySide {
  harness: Summary;
  compose: Summary;
  /** Median over the pairs of harness / Compose (each pair ran on the same host state). */
  medianRatio: number;
  /** Median harness / median Compose. */
  ratioOfMedians: number;
}

/**
 * Where a stack-up's time goes, on the waves both sides share (ms, medians over the pairs), by
 * each container's start (Compose creates every container up front and starts each once its
 * dependencies are healthy; the harness creates each just before it starts it).
 */
export interface Waves {
  /** From spawn to the first container's start. */
  beforeFirstContainerMs: number;
  /** probe, MongoDB, MeiliSearch, mock LLM: from the first container's start to LibreChat's. */
  dataServicesReadyMs: number;
  /** From LibreChat's start to the first stub's. */
  librechatReadyMs: number;
  /** From the first stub's start to the process's exit. */
  stubsReadyAndExitMs: number;
}

export interface Target {
  what: string;
  limit: string;
  value: string;
  met: boolean;
}

export interface BenchResults {
  generatedAt: string;
  host: { cpus: number; loadAverage: number[] };
  images: Record<string, string>;
  librechatVersion: string;
  pairs: number;
  stackUp: SideBySide;
  teardown: SideBySide;
  upPhases: { loadingMs: number; preflightMs: number; startMs: number };
  waves: { harness: Waves; compose: Waves };
  upProfile: UpProfile["steps"];
  loadCosts: { what: string; ms: number }[];
  memory: { harness: ContainerMemory[]; compose: ContainerMemory[] };
  upRss: { harness: RssPeak | undefined; compose: RssPeak | undefined };
  checklist: ChecklistMeasure[];
  warm: { first: ChecklistMeasure; second: ChecklistMeasure; removed: string[] } | undefined;
  parallel: { wallMs: number; allGreen: boolean; runs: ChecklistMeasure[] } | undefined;
  targets: Target[];
  pairDetails: PairResult[];
}

export function sideBySide(pairs: PairResult[], pick: (side: SideResult) => number): SideBySide {
  const harness = pairs.map((p) => pick(p.harness));
  const compose = pairs.map((p) => pick(p.compose));
  const perPair = pairs.map((p) => pick(p.harness) / pick(p.compose));
  return { harness: summarize(harness), compose: summarize(compose), medianRatio: Math.round(median(perPair) * 100) / 100, ratioOfMedians: ratio(median(harness), median(compose)) };
}

function wavesOf(timeline: ContainerTimes[], upMs: number, librechatRole: string, stubRoles: string[]): Waves {
  const first = Math.min(...timeline.map((t) => t.startedMs));
  const librechat = timeline.find((t) => t.role === librechatRole)?.startedMs ?? Number.NaN;
  const stubs = Math.min(...timeline.filter((t) => stubRoles.includes(t.role)).map((t) => t.startedMs));
  return { beforeFirstContainerMs: first, dataServicesReadyMs: librechat - first, librechatReadyMs: stubs - librechat, stubsReadyAndExitMs: upMs - stubs };
}

export function medianWaves(pairs: PairResult[], side: "harness" | "compose"): Waves {
  const all = pairs.map((p) => wavesOf(p[side].timeline, p[side].upMs, "librechat", ["django", "sveltekit"]));
  const pick = (key: keyof Waves) => Math.round(median(all.map((w) => w[key])));
  return { beforeFirstContainerMs: pick("beforeFirstContainerMs"), dataServicesReadyMs: pick("dataServicesReadyMs"), librechatReadyMs: pick("librechatReadyMs"), stubsReadyAndExitMs: pick("stubsReadyAndExitMs") };
}

export function medianUpPhases(pairs: PairResult[]): BenchResults["upPhases"] {
  const phases = pairs.flatMap((p) => (p.harness.upPhases ? [p.harness.upPhases] : []));
  const pick = (key: keyof BenchResults["upPhases"]) => Math.round(median(phases.map((p) => p[key])));
  return { loadingMs: pick("loadingMs"), preflightMs: pick("preflightMs"), startMs: pick("startMs") };
}

/** The targets, each met or missed with its numbers. */
export function targetsOf(r: Omit<BenchResults, "targets">): Target[] {
  const whole = r.checklist[0];
  const afterStack = whole && whole.stackReadyAtMs !== undefined ? whole.durationMs - whole.stackReadyAtMs : Number.NaN;
  const warm = r.warm?.second.reuse.reusedRunId ? (r.warm.second.firstVerdictAtMs ?? Number.NaN) : Number.NaN;
  const rssPeaks = [r.upRss.harness, ...r.checklist.map((c) => c.rss)].flatMap((p) => (p ? [p.peakMiB] : []));
  const rss = rssPeaks.length > 0 ? Math.max(...rssPeaks) : Number.NaN;
  const rssMB = Math.round(rss * 1.048576);
  return [
    { what: "stack-up: npm run up / docker compose up -d --wait (whole process, median ratio)", limit: "≤ 0.90×", value: `${r.stackUp.medianRatio.toFixed(2)}× (${s(r.stackUp.harness.medianMs)} s / ${s(r.stackUp.compose.medianMs)} s)`, met: r.stackUp.medianRatio <= 0.9 },
    { what: "teardown: npm run down / docker compose down (median ratio)", limit: "≤ 0.50×", value: `${r.teardown.medianRatio.toFixed(2)}× (${s(r.teardown.harness.medianMs)} s / ${s(r.teardown.compose.medianMs)} s)`, met: r.teardown.medianRatio <= 0.5 },
    { what: "whole checklist (npm test) ≤ its stack-up + 10 s", limit: "≤ 10 s after the stack is ready", value: whole ? `${s(afterStack)} s after "stack ready" (whole ${s(whole.durationMs)} s, stack ready at ${s(whole.stackReadyAtMs ?? Number.NaN)} s)` : "not measured", met: afterStack <= 10_000 },
    { what: "warm re-run (HARNESS_REUSE=1) to the first verdict", limit: "< 3 s", value: r.warm && !r.warm.second.reuse.reusedRunId ? "not measured: no run reused the stack" : `${s(warm)} s (to the end ${s(r.warm?.second.durationMs ?? Number.NaN)} s)`, met: warm < 3000 },
    { what: "3 stacks in parallel on this host: all green", limit: "all green", value: r.parallel ? `${r.parallel.allGreen ? "all green" : "not all green"} in ${s(r.parallel.wallMs)} s (exit ${r.parallel.runs.map((p) => p.exitCode).join(", ")})` : "not measured", met: r.parallel?.allGreen === true },
    { what: "harness peak RSS (process tree, npm run up and npm test)", limit: "< 200 MB", value: `${rssMB} MB (${rss} MiB)`, met: rssMB < 200 },
  ];
}
