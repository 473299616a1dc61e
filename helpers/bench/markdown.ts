// reports/bench.md: the ratios and targets first, then where the time and the memory go.
import { escapeCell } from "../report/markdown.ts";
import type { ChecklistMeasure } from "./checklist-runs.ts";
import type { BenchResults, SideBySide, Waves } from "./results.ts";
import type { RssPeak } from "./rss.ts";
import { s } from "./stats.ts";

const row = (cells: (string | number)[]): string => `| ${cells.map((c) => escapeCell(String(c))).join(" | ")} |`;
const table = (head: string[], rows: (string | number)[][]): string[] => [row(head), row(head.map(() => "---")), ...rows.map(row)];

function headline(r: BenchResults): string[] {
  const line = (what: string, m: SideBySide): (string | number)[] => [
    what, `${s(m.harness.minMs)} / ${s(m.harness.medianMs)} / ${s(m.harness.maxMs)}`, `${s(m.compose.minMs)} / ${s(m.compose.medianMs)} / ${s(m.compose.maxMs)}`, `${m.medianRatio.toFixed(2)}×`, `${m.ratioOfMedians.toFixed(2)}×`,
  ];
  return [
    `# Bench: the harness beside docker compose`,
    "",
    `LibreChat ${r.images.librechat} (${r.librechatVersion}); ${r.pairs} pair(s), alternating; ${r.host.cpus} CPUs, load average at the end ${r.host.loadAverage.map((l) => l.toFixed(1)).join(" ")}; ${r.generatedAt}.`,
    "",
    ...table(["", "harness min / median / max (s)", "compose min / median / max (s)", "median ratio", "ratio of medians"], [line("stack-up (npm run up / compose up -d --wait)", r.stackUp), line("teardown (npm run down / compose down -v)", r.teardown)]),
    "",
    "## Targets",
    "",
    ...table(["target", "limit", "measured", ""], r.targets.map((t) => [t.what, t.limit, t.value, t.met ? "met" : "**missed**"])),
  ];
}

function wavesRows(w: Waves): string[] {
  return [s(w.beforeFirstContainerMs), s(w.dataServicesReadyMs), s(w.librechatReadyMs), s(w.stubsReadyAndExitMs)];
}

function stackUpDetails(r: BenchResults): string[] {
  return [
    "## Where stack-up goes",
    "",
    `npm run up, by its own account (medians): loading ${s(r.upPhases.loadingMs)} s, preflight ${s(r.upPhases.preflightMs)} s, stack start ${s(r.upPhases.startMs)} s.`,
    "",
    ...table(["side (s, by container start)", "spawn → first container", "probe/MongoDB/MeiliSearch/LLM ready", "LibreChat ready", "stubs ready, exit"], [["harness", ...wavesRows(r.waves.harness)], ["compose", ...wavesRows(r.waves.compose)]]),
    "",
    "Each step before the first container, timed alone in a fresh process (`bench --profile-up`):",
    "",
    ...table(["step", "ms"], r.upProfile.map((p) => [p.step, p.ms])),
    "",
    "Loading alone (a fresh Node importing one module, median of 3):",
    "",
    ...table(["module", "ms"], r.loadCosts.map((l) => [l.what, l.ms])),
  ];
}

/** How a run was asked to run: its vitest arguments and its variables. */
function howRun(c: ChecklistMeasure): string {
  return [...c.args, ...Object.entries(c.env).map(([k, v]) => `${k}=${v}`)].join(" ") || "as configured";
}

function checklistRow(c: ChecklistMeasure): (string | number)[] {
  const afterStack = c.stackReadyAtMs !== undefined ? c.durationMs - c.stackReadyAtMs : Number.NaN;
  return [c.name, howRun(c), c.exitCode, s(c.durationMs), s(c.stackReadyMs ?? Number.NaN), s(afterStack), s(c.firstVerdictAtMs ?? Number.NaN), `${c.verdicts.pass}/${c.verdicts.fail}/${c.verdicts.skip}`, c.rss ? `${c.rss.peakMiB} (${c.rss.processes} proc.)` : "?"];
}

function checklistDetails(r: BenchResults): string[] {
  const runs = [...r.checklist, ...(r.warm ? [r.warm.first, r.warm.second] : []), ...(r.parallel?.runs ?? [])];
  const first = r.checklist[0];
  const suites = first ? first.suites.map((suite) => [suite.file, suite.items.join(", "), s(suite.durationMs)]) : [];
  const workers = r.checklist.map((c) => [howRun(c), s(c.durationMs), s(c.stackReadyAtMs !== undefined ? c.durationMs - c.stackReadyAtMs : Number.NaN), c.rss?.maxProcesses ?? "?", c.rss?.peakMiB ?? "?"]);
  return [
    "## The checklist",
    "",
    ...table(["run", "vitest args / variables", "exit", "whole (s)", "stack ready in (s)", "after stack-up (s)", "first verdict at (s)", "pass/fail/skip", "peak RSS MiB"], runs.map(checklistRow)),
    "",
    r.parallel ? `3 runs at once: wall time ${s(r.parallel.wallMs)} s, ${r.parallel.allGreen ? "all green" : "not all green"}.` : "",
    "",
    "Worker count (the checklist project sets maxWorkers to two per core, at least 4 and at most 16; vitest 4 passes no --maxWorkers flag to a project that sets its own, VITEST_MAX_WORKERS reaches it):",
    "",
    ...table(["workers", "whole (s)", "after stack-up (s)", "most processes at once", "peak RSS MiB"], workers),
    "",
    "Per suite, on the first run (the sum of its items' durations; the suites run at once):",
    "",
    ...table(["suite", "items", "s"], suites),
  ];
}

function kinds(p: RssPeak): string {
  return Object.entries(p.byKind).sort((a, b) => b[1].rssMiB - a[1].rssMiB).map(([kind, k]) => `${kind} ${k.count} × ${Math.round(k.rssMiB / k.count)} = ${k.rssMiB}`).join("; ");
}

function memoryDetails(r: BenchResults): string[] {
  const rss = [["npm run up", r.upRss.harness], ["docker compose up --wait", r.upRss.compose], ...r.checklist.map((c) => [`npm test (${howRun(c)})`, c.rss] as const)] as const;
  const roles = [...new Set([...r.memory.harness, ...r.memory.compose].map((m) => m.role))].sort();
  const mem = (list: BenchResults["memory"]["harness"], role: string) => list.find((m) => m.role === role)?.memoryMiB ?? "";
  return [
    "## Memory",
    "",
    "Peak RSS of each command's process tree (sum of VmRSS over the process and its descendants, sampled every 100 ms):",
    "",
    ...table(["command", "peak MiB", "processes", "at the peak, by kind (count × MiB)", "largest process (MiB)"], rss.map(([what, p]) => [what, p?.peakMiB ?? "?", p?.processes ?? "?", p ? kinds(p) : "?", p ? `${p.largest.rssMiB}: ${p.largest.command}` : "?"])),
    "",
    "Each container once its stack is up (docker stats, usage less inactive page cache, MiB):",
    "",
    ...table(["role", "harness", "compose"], roles.map((role) => [role, mem(r.memory.harness, role), mem(r.memory.compose, role)])),
  ];
}

export function benchMarkdown(r: BenchResults): string {
  return [...headline(r), "", ...stackUpDetails(r), "", ...checklistDetails(r), "", ...memoryDetails(r), ""].join("\n");
}
