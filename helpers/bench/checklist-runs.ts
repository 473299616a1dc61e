// The checklist part of the bench: whole `npm test` runs on a fresh stack (at the configured
// worker count and at --maxWorkers=2 and 4), a warm re-run with HARNESS_REUSE=1, and three runs
// at once. Each is the process `npm test` runs, timed from spawn to exit; its stack-up time comes
// from the harness's "stack ready in" line and its per-item durations from its report.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";
import { newRunId } from "../docker/labels.ts";
import type { ChecklistReport } from "../report/report.ts";
import { onAbort } from "../run/abort.ts";
import { forgetKept } from "../run/keep.ts";
import { countRunResources, removeRun } from "../stack/teardown.ts";
import type { BenchContext } from "./pairs.ts";
import type { RssPeak } from "./rss.ts";
import { benchLog as log, firstLine, timed, type TimedRun } from "./timed.ts";

export interface ChecklistMeasure {
  name: string;
  args: string[];
  /** Variables set for this run beyond the configuration's (VITEST_MAX_WORKERS, HARNESS_REUSE). */
  env: Record<string, string>;
  runId: string;
  exitCode: number;
  durationMs: number;
  /** The harness's own "stack ready in X s" (undefined when it reused a stack or none started). */
  stackReadyMs: number | undefined;
  /** When that line came, after spawn (loading and preflight included). */
  stackReadyAtMs: number | undefined;
  firstVerdictAtMs: number | undefined;
  verdicts: { pass: number; fail: number; skip: number };
  items: { id: string; status: string; durationMs: number }[];
  /** Per suite file: its items and the sum of their durations (a file's tests run one after another). */
  suites: { file: string; items: string[]; durationMs: number }[];
  rss: RssPeak | undefined;
  /** Resources of the run still there after it ended (0 unless it kept its stack on purpose). */
  left: number;
  /** HARNESS_REUSE: the run whose stack stayed up, or was reused. */
  reuse: { keptRunId: string | undefined; reusedRunId: string | undefined };
}

const STACK_READY = /\[harness\] stack ready in ([\d.]+) s/;
const VERDICT = /checklist (PASS|FAIL|SKIP)/;

/** Which suite file holds each checklist id (the suites name their tests after the ids). */
export function suiteFiles(): Map<string, string> {
  const dir = path.join(REPO_ROOT, "suites");
  const files = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".test.ts"))) {
    for (const m of readFileSync(path.join(dir, file), "utf8").matchAll(/\b(?:test|it)(?:\.\w+)*\(\s*["']([a-z0-9-]+)["']/g)) files.set(m[1]!, file);
  }
  return files;
}

function suitesOf(items: ChecklistMeasure["items"]): ChecklistMeasure["suites"] {
  const files = suiteFiles();
  const suites = new Map<string, { file: string; items: string[]; durationMs: number }>();
  for (const item of items) {
    const file = files.get(item.id) ?? "(no suite file)";
    const suite = suites.get(file) ?? { file, items: [], durationMs: 0 };
    suite.items.push(item.id);
    suite.durationMs += item.durationMs;
    suites.set(file, suite);
  }
  return [...suites.values()].sort((a, b) => b.durationMs - a.durationMs);
}

function measureOf(name: string, args: string[], env: NodeJS.ProcessEnv, runId: string, run: TimedRun, report: ChecklistReport | undefined, left: number): ChecklistMeasure {
  const ready = firstLine(run, STACK_READY);
  const items = (report?.items ?? []).map((i) => ({ id: i.id, status: i.status, durationMs: i.durationMs }));
  const count = (status: string) => items.filter((i) => i.status === status).length;
  return {
    name, args, env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v ?? ""])), runId, exitCode: run.exitCode, durationMs: run.durationMs,
    stackReadyMs: ready ? Number(ready.match[1]) * 1000 : undefined,
    stackReadyAtMs: ready?.line.atMs,
    firstVerdictAtMs: firstLine(run, VERDICT)?.line.atMs,
    verdicts: { pass: count("pass"), fail: count("fail"), skip: count("skip") },
    items, suites: suitesOf(items), rss: run.rss, left,
    reuse: { keptRunId: firstLine(run, /HARNESS_REUSE: run (\S+) stays up/)?.match[1], reusedRunId: firstLine(run, /HARNESS_REUSE: reusing run (\S+)/)?.match[1] },
  };
}

/** One `npm test` (the process it runs), with its own run id and report folder. */
export async function checklistRun(ctx: BenchContext, name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<ChecklistMeasure> {
  const runId = newRunId();
  const reportDir = path.join(ctx.logDir, name);
  rmSync(reportDir, { recursive: true, force: true });
  const forget = extraEnv.HARNESS_REUSE ? () => undefined : onAbort(`run ${runId}`, () => removeRun(runId), log);
  const env = { ...ctx.env, ...extraEnv, HARNESS_RUN_ID: runId, HARNESS_REPORT_DIR: reportDir };
  const run = await timed([process.execPath, "scripts/harness.mjs", "checklist", ...args], { env, log: path.join(ctx.logDir, `${name}.log`), sampleRss: true });
  forget();
  const reportFile = path.join(reportDir, "checklist.json");
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, "utf8")) as ChecklistReport) : undefined;
  const c = await countRunResources(runId);
  const measure = measureOf(name, args, extraEnv, runId, run, report, c.containers + c.networks + c.volumes);
  const { pass, fail, skip } = measure.verdicts;
  log(`${name}: exit ${run.exitCode} in ${(run.durationMs / 1000).toFixed(1)} s (stack ready in ${((measure.stackReadyMs ?? Number.NaN) / 1000).toFixed(1)} s; pass ${pass}, fail ${fail}, skip ${skip}; peak RSS ${run.rss?.peakMiB ?? "?"} MiB)`);
  return measure;
}

/**
 * HARNESS_REUSE=1: the first run leaves its stack up, the next reuses it (the warm re-run). A
 * second run that started its own stack instead (the images changed in between, as when a fixture
 * was rebuilt) is tried once more. Every stack these runs kept is removed afterwards.
 */
export async function warmRerun(ctx: BenchContext): Promise<{ first: ChecklistMeasure; second: ChecklistMeasure; removed: string[] }> {
  const kept: string[] = [];
  const removeKept = async (): Promise<void> => {
    for (const runId of kept.splice(0)) {
      await removeRun(runId);
      forgetKept(runId);
    }
  };
  const forget = onAbort("the reusable stacks", removeKept, log);
  const run = async (name: string): Promise<ChecklistMeasure> => {
    const measure = await checklistRun(ctx, name, [], { HARNESS_REUSE: "1" });
    if (measure.reuse.keptRunId) kept.push(measure.reuse.keptRunId);
    return measure;
  };
  try {
    const first = await run("reuse-first");
    let second = await run("reuse-second");
    if (!second.reuse.reusedRunId) {
      log("the second HARNESS_REUSE run started its own stack (its configuration hash changed: an image changed in between); once more");
      second = await run("reuse-third");
    }
    if (!second.reuse.reusedRunId) log("no HARNESS_REUSE run reused a stack: the warm re-run is not measured");
    return { first, second, removed: [...kept] };
  } finally {
    await removeKept();
    forget();
  }
}

/** `count` runs at once: their wall time, and whether every one passed. */
export async function parallelRuns(ctx: BenchContext, count: number): Promise<{ wallMs: number; allGreen: boolean; runs: ChecklistMeasure[] }> {
  const t0 = performance.now();
  const runs = await Promise.all(Array.from({ length: count }, (_, i) => checklistRun(ctx, `parallel-${i + 1}`, [])));
  const wallMs = performance.now() - t0;
  return { wallMs, allGreen: runs.every((r) => r.exitCode === 0 && r.verdicts.fail === 0 && r.verdicts.pass > 0), runs };
}
