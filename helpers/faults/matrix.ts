// `npm run selftest:faults`: starts deliberately broken stacks and checks that the harness
// fails exactly where the deployment is broken, with the true cause, and nowhere else.
// Writes reports/faults.json and reports/faults.md and prints the matrix's total time.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, type HarnessConfig } from "../config.ts";
import { newRunId } from "../docker/labels.ts";
import { FIXTURES } from "../images/fixtures.ts";
import { escapeCell } from "../report/markdown.ts";
import { onAbort } from "../run/abort.ts";
import { preflight } from "../run/preflight.ts";
import { removeRun } from "../stack/teardown.ts";
import { FAULTS, type FaultDefinition } from "./catalog.ts";
import { freshDir, readReport, runHarness, writeOverlay } from "./harness-runs.ts";
import { caught, clean, judge, verdictLabel, type FaultOutcome, type FaultRow } from "./judge.ts";
import { holdPort, runShared } from "./shared-stack.ts";

const log = (line: string): void => void process.stdout.write(`[faults] ${line}\n`);

function report(outcome: FaultOutcome): void {
  const { row } = outcome;
  const alarms = `${row.falseAlarms.length > 0 ? `; false alarms: ${row.falseAlarms.join(", ")}` : ""}${row.inconclusive.length > 0 ? `; inconclusive: ${row.inconclusive.join(", ")}` : ""}`;
  log(`${verdictLabel(row).padEnd(9)} ${row.fault} → ${row.expectedItem} (${(outcome.durationMs / 1000).toFixed(1)} s)${alarms}: ${row.message.split("\n")[0]}`);
}

/** A fault that needs its own stack (or is stopped before one): one `npm test` with its configuration. */
async function runOwnStack(definition: FaultDefinition, reportRoot: string, env: NodeJS.ProcessEnv): Promise<FaultOutcome> {
  const started = Date.now();
  const dir = freshDir(path.join(reportRoot, definition.id));
  const overlay = writeOverlay(definition, dir);
  const runId = newRunId();
  const release = definition.holdHostPort ? await holdPort(definition.holdHostPort, FIXTURES.probe.tag, runId) : undefined;
  const unregister = onAbort(`fault run ${runId}`, () => removeRun(runId));
  try {
    const result = await runHarness({ ...env, ...definition.env, LIBRECHAT_OVERLAY: overlay, HARNESS_REPORT_DIR: dir }, path.join(dir, "vitest.log"));
    return { definition, row: judge(definition, readReport(dir), result), durationMs: Date.now() - started };
  } finally {
    await release?.();
    await removeRun(runId);
    unregister();
  }
}

/** HARNESS_FAULTS picks faults by id (all when empty); an unknown id is one sentence. */
function selectFaults(filter: string[]): FaultDefinition[] {
  const unknown = filter.filter((id) => !FAULTS.some((f) => f.id === id));
  if (unknown.length > 0) throw new ConfigError(`HARNESS_FAULTS names unknown faults (${unknown.join(", ")}); known: ${FAULTS.map((f) => f.id).join(", ")}.`);
  return filter.length === 0 ? FAULTS : FAULTS.filter((f) => filter.includes(f.id));
}

async function pool(items: FaultDefinition[], size: number, work: (item: FaultDefinition) => Promise<FaultOutcome>): Promise<FaultOutcome[]> {
  const results: FaultOutcome[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const outcome = await work(items[next++]!);
      report(outcome);
      results.push(outcome);
    }
  });
  await Promise.all(workers);
  return results;
}

function markdown(baseline: FaultRow, outcomes: FaultOutcome[], totalMs: number): string {
  const lines = [
    "# Fault matrix",
    "",
    `${outcomes.filter((o) => caught(o.row)).length} of ${outcomes.length} faults caught on the right item; healthy stack: ${baseline.falseAlarms.length === 0 ? "no failure" : `failures on ${baseline.falseAlarms.join(", ")}`}; total ${(totalMs / 1000).toFixed(0)} s.`,
    "",
    "| fault | expected item | detected | false alarms | inconclusive | message (excerpt) | fix |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const { definition, row } of outcomes) {
    lines.push(`| ${escapeCell(definition.fault)} | \`${row.expectedItem}\` | ${row.detected ? "yes" : "**no**"} | ${row.falseAlarms.join(", ") || "none"} | ${row.inconclusive.join(", ") || "none"} | ${escapeCell(row.message.slice(0, 220))} | ${escapeCell(definition.fix)} |`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The whole matrix: faults with stacks of their own (a few at a time) beside the faults that
 * share one healthy stack. `env` is what every child run gets (the configuration's variables);
 * `config` is the same configuration, read once, with the baseline overlay.
 */
export async function runFaultMatrix(config: HarnessConfig, env: NodeJS.ProcessEnv): Promise<number> {
  const started = Date.now();
  const { input, catalog } = await preflight(config);
  const reportRoot = freshDir(path.join(config.reportDir, "faults"));
  const faults = selectFaults(config.faultFilter);
  const own = faults.filter((f) => f.mode !== "shared");
  const shared = faults.filter((f) => f.mode === "shared");
  log(`${faults.length} faults: ${own.length} on stacks of their own (${config.faultConcurrency} at a time), ${shared.length} on one shared healthy stack`);
  const [ownOutcomes, sharedResult] = await Promise.all([
    pool(own, Math.max(1, config.faultConcurrency - 1), (definition) => runOwnStack(definition, reportRoot, env)),
    runShared(config, input, catalog, { reportRoot, env, definitions: shared, log, report }).catch((error: unknown) => error as Error),
  ]);
  if (sharedResult instanceof Error) throw sharedResult;
  const outcomes = faults.map((f) => [...ownOutcomes, ...sharedResult.outcomes].find((o) => o.definition.id === f.id)!);
  const totalMs = Date.now() - started;
  writeFileSync(path.join(config.reportDir, "faults.json"), `${JSON.stringify(outcomes.map((o) => o.row), null, 2)}\n`);
  writeFileSync(path.join(config.reportDir, "faults.md"), markdown(sharedResult.baseline, outcomes, totalMs));
  const caughtCount = outcomes.filter((o) => caught(o.row)).length;
  const healthyOk = clean(sharedResult.baseline);
  const undecided = outcomes.filter((o) => verdictLabel(o.row) === "UNDECIDED").map((o) => o.row.fault);
  if (undecided.length > 0) log(`undecided (the host was too slow to judge the fault's own item; not a harness miss, run again on a quieter host): ${undecided.join(", ")}`);
  log(`${caughtCount} of ${outcomes.length} faults caught on the right item with no false alarm; healthy stack ${healthyOk ? "clean" : `FAILED: ${sharedResult.baseline.message}`}`);
  const written = path.relative(process.cwd(), path.join(config.reportDir, "faults")) || ".";
  log(`matrix time: ${(totalMs / 1000).toFixed(1)} s; ${written}.json and ${written}.md written`);
  const passed = caughtCount + (healthyOk ? 1 : 0);
  console.log(`faults: ${passed} passed, ${outcomes.length + 1 - passed} failed`);
  return passed === outcomes.length + 1 ? 0 : 1;
}
