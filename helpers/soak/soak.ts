// `npm run soak -- --runs N`: full checklist runs one after another, counting per item how often
// a verdict differs from the item's usual one (a flake), and after each run what it left behind
// (containers, networks, volumes: 0); between them, runs stopped at random points with SIGKILL
// or Ctrl-C, which must leave nothing either (a SIGKILLed run once the next run's sweep ran).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { HarnessConfig } from "../config.ts";
import { newRunId } from "../docker/labels.ts";
import { freshDir, readReport, runHarness } from "../faults/harness-runs.ts";
import { escapeCell } from "../report/markdown.ts";
import { countRunResources } from "../stack/teardown.ts";
import { interruptedRun, type Interrupted } from "./interrupt.ts";

export interface FullRun {
  index: number;
  runId: string;
  exitCode: number;
  durationMs: number;
  statuses: Record<string, string>;
  left: number;
}

export interface SoakReport {
  librechat: string;
  runs: FullRun[];
  interrupted: Interrupted[];
  /** Per item: how often each verdict came, and the runs whose verdict was not the usual one. */
  items: Record<string, { counts: Record<string, number>; flakes: number }>;
  flakes: number;
  leaks: number;
  durationMs: number;
}

const log = (line: string): void => void process.stdout.write(`[soak] ${line}\n`);

async function fullRun(env: NodeJS.ProcessEnv, reportRoot: string, index: number): Promise<FullRun> {
  const runId = newRunId();
  const dir = freshDir(path.join(reportRoot, `run-${index}`));
  const started = Date.now();
  const { code } = await runHarness({ ...env, HARNESS_RUN_ID: runId, HARNESS_REPORT_DIR: dir }, path.join(dir, "output.log"));
  const report = readReport(dir);
  const statuses = Object.fromEntries((report?.items ?? []).map((i) => [i.id, i.status]));
  const c = await countRunResources(runId);
  return { index, runId, exitCode: code, durationMs: Date.now() - started, statuses, left: c.containers + c.networks + c.volumes };
}

/** Each item's verdict counts; a flake is a run whose verdict is not the item's most frequent one. */
export function flakesOf(runs: FullRun[]): SoakReport["items"] {
  const items: SoakReport["items"] = {};
  const ids = [...new Set(runs.flatMap((r) => Object.keys(r.statuses)))];
  for (const id of ids) {
    const counts: Record<string, number> = {};
    for (const run of runs) counts[run.statuses[id] ?? "missing"] = (counts[run.statuses[id] ?? "missing"] ?? 0) + 1;
    const usual = Math.max(...Object.values(counts));
    items[id] = { counts, flakes: runs.length - usual };
  }
  return items;
}

export async function runSoak(config: HarnessConfig, env: NodeJS.ProcessEnv, runs: number, librechat: string): Promise<number> {
  const started = Date.now();
  const reportRoot = freshDir(path.join(config.reportDir, "soak"));
  const full: FullRun[] = [];
  const interrupted: Interrupted[] = [];
  for (let index = 1; index <= runs; index++) {
    const run = await fullRun(env, reportRoot, index);
    full.push(run);
    log(`run ${index}/${runs}: exit ${run.exitCode} in ${(run.durationMs / 1000).toFixed(0)} s, ${run.left} resource(s) left`);
    const signal = index % 2 === 1 ? "SIGKILL" : "SIGINT";
    const stopped = await interruptedRun(env, signal, { minMs: 1_000, maxMs: Math.max(2_000, Math.round(run.durationMs * 0.8)) });
    interrupted.push(stopped);
    log(`run ${index}/${runs} stopped with ${signal} after ${(stopped.afterMs / 1000).toFixed(1)} s: ${stopped.leftAtExit} left at exit, ${stopped.leftAfterSweep} after the sweep`);
  }
  const items = flakesOf(full);
  const flakes = Object.values(items).reduce((sum, item) => sum + item.flakes, 0);
  const leaks = full.reduce((sum, r) => sum + r.left, 0) + interrupted.reduce((sum, r) => sum + Math.abs(r.leftAfterSweep), 0);
  const report: SoakReport = { librechat, runs: full, interrupted, items, flakes, leaks, durationMs: Date.now() - started };
  writeReports(config.reportDir, report);
  log(`${runs} run(s), ${interrupted.length} interrupted: ${flakes} flake(s), ${leaks} leftover resource(s); reports/soak.json and soak.md written`);
  return flakes === 0 && leaks === 0 ? 0 : 1;
}

function writeReports(dir: string, report: SoakReport): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "soak.json"), `${JSON.stringify(report, null, 2)}\n`);
  const lines = [
    "# Soak",
    "",
    `LibreChat \`${report.librechat}\`: ${report.runs.length} full run(s) and ${report.interrupted.length} interrupted, ${(report.durationMs / 1000).toFixed(0)} s. **${report.flakes} flake(s), ${report.leaks} leftover resource(s).**`,
    "",
    "| item | verdicts | flakes |",
    "|---|---|---|",
    ...Object.entries(report.items).map(([id, item]) => `| \`${id}\` | ${escapeCell(Object.entries(item.counts).map(([s, n]) => `${s} ${n}`).join(", "))} | ${item.flakes} |`),
    "",
    "| run | exit | time | left |",
    "|---|---|---|---|",
    ...report.runs.map((r) => `| ${r.index} (${r.runId}) | ${r.exitCode} | ${(r.durationMs / 1000).toFixed(0)} s | ${r.left} |`),
    "",
    "| stopped with | after | left at exit | left after the sweep |",
    "|---|---|---|---|",
    ...report.interrupted.map((r) => `| ${r.signal} (${r.runId}) | ${(r.afterMs / 1000).toFixed(1)} s | ${r.leftAtExit} | ${r.leftAfterSweep} |`),
  ];
  writeFileSync(path.join(dir, "soak.md"), `${lines.join("\n")}\n`);
}
