// `npm run selftest:faults`: starts deliberately broken stacks and checks that the harness
// fails exactly where the deployment is broken, with the true cause, and nowhere else.
// Writes reports/faults.json and reports/faults.md and prints the matrix's total time.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, readConfig } from "../helpers/config.ts";
import { errorText } from "../helpers/docker/client.ts";
import { FAULTS, type FaultDefinition } from "../helpers/faults/catalog.ts";
import {
  BASELINE_OVERLAY,
  freshDir,
  holdPort,
  judge,
  readReport,
  runAgainstStack,
  runHarness,
  scriptLlm,
  variantStack,
  warmUpLogins,
  writeOverlay,
  type FaultOutcome,
  type FaultRow,
} from "../helpers/faults/run.ts";
import { resolveImages, STANDIN_IMAGES } from "../helpers/images/catalog.ts";
import { FIXTURES } from "../helpers/images/fixtures.ts";
import { preflight } from "../helpers/run/checklist-run.ts";
import { configuredStack } from "../helpers/run/stack-options.ts";
import { loadLibreChatInput } from "../helpers/stack/compose-input.ts";
import { newRunId } from "../helpers/stack/run-id.ts";
import { removeRun } from "../helpers/stack/teardown.ts";

const CONCURRENCY = Number(process.env.HARNESS_FAULT_CONCURRENCY) || 3;

function log(line: string): void {
  process.stdout.write(`[faults] ${line}\n`);
}

/** A fault that needs its own stack (or is stopped before one): one `npm test` with its configuration. */
async function runOwnStack(definition: FaultDefinition, reportRoot: string): Promise<FaultOutcome> {
  const started = Date.now();
  const dir = freshDir(path.join(reportRoot, definition.id));
  const overlay = writeOverlay(definition, dir);
  const runId = newRunId();
  const release = definition.holdHostPort ? await holdPort(definition.holdHostPort, FIXTURES.probe.tag, runId) : undefined;
  try {
    const result = await runHarness({ ...definition.env, LIBRECHAT_OVERLAY: overlay, HARNESS_REPORT_DIR: dir }, path.join(dir, "vitest.log"));
    const row = judge(definition, readReport(dir), result);
    return { definition, row, durationMs: Date.now() - started };
  } finally {
    await release?.();
    await removeRun(runId);
  }
}

/** Faults that are per-request or per-stub run against the one healthy stack, one after another. */
async function runShared(reportRoot: string, definitions: FaultDefinition[]): Promise<{ baseline: FaultRow; outcomes: FaultOutcome[]; runId: string }> {
  const config = readConfig({ ...process.env, LIBRECHAT_OVERLAY: BASELINE_OVERLAY });
  const input = await loadLibreChatInput(config);
  const runId = newRunId();
  const healthy = await configuredStack(config, input, resolveImages(config, input.composeImages), runId).start();
  const stack = healthy.descriptor;
  if (stack.startFailure) throw new Error(`the healthy baseline stack did not start:\n${stack.startFailure.message}`);
  log(`healthy stack ${runId} ready in ${(stack.startDurationMs / 1000).toFixed(1)} s`);
  const env = { LIBRECHAT_OVERLAY: BASELINE_OVERLAY };

  const baselineDir = freshDir(path.join(reportRoot, "healthy"));
  const started = Date.now();
  await runAgainstStack(stack, baselineDir, env);
  const report = readReport(baselineDir);
  const failing = report?.items.filter((i) => i.status === "fail").map((i) => i.id) ?? ["(no report)"];
  const baseline: FaultRow = {
    fault: "healthy",
    expectedItem: "(none)",
    detected: false,
    falseAlarms: failing,
    message: failing.length === 0 ? `all ${report?.items.length ?? 0} items passed or skipped with a reason` : `failing: ${failing.join(", ")}`,
  };
  log(`healthy baseline: ${baseline.message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const outcomes: FaultOutcome[] = [];
  for (const definition of definitions) {
    const t0 = Date.now();
    const dir = freshDir(path.join(reportRoot, definition.id));
    const variant = await variantStack(healthy, definition);
    if (definition.shared?.warmUpLogins && variant.stubs.djangoUrl) {
      log(`${definition.id}: ${await warmUpLogins(variant.stubs.djangoUrl, definition.shared.warmUpLogins)}`);
    }
    await scriptLlm(stack, definition.shared?.llmScript);
    try {
      await runAgainstStack(variant, dir, env);
    } finally {
      if (definition.shared?.llmScript) await scriptLlm(stack, undefined);
    }
    const outcome = { definition, row: judge(definition, readReport(dir), undefined), durationMs: Date.now() - t0 };
    report_(outcome);
    outcomes.push(outcome);
  }
  return { baseline, outcomes, runId };
}

function report_(outcome: FaultOutcome): void {
  const { row } = outcome;
  const verdict = row.detected && row.falseAlarms.length === 0 ? "caught " : "MISSED ";
  const alarms = row.falseAlarms.length > 0 ? `; false alarms: ${row.falseAlarms.join(", ")}` : "";
  log(`${verdict} ${row.fault} → ${row.expectedItem} (${(outcome.durationMs / 1000).toFixed(1)} s)${alarms}: ${row.message.split("\n")[0]}`);
}

async function pool(items: FaultDefinition[], size: number, work: (item: FaultDefinition) => Promise<FaultOutcome>): Promise<FaultOutcome[]> {
  const results: FaultOutcome[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const outcome = await work(items[next++]!);
      report_(outcome);
      results.push(outcome);
    }
  });
  await Promise.all(workers);
  return results;
}

function markdown(baseline: FaultRow, outcomes: FaultOutcome[], totalMs: number): string {
  const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    "# Fault matrix",
    "",
    `${outcomes.filter((o) => o.row.detected && o.row.falseAlarms.length === 0).length} of ${outcomes.length} faults caught on the right item; healthy stack: ${baseline.falseAlarms.length === 0 ? "no failure" : `failures on ${baseline.falseAlarms.join(", ")}`}; total ${(totalMs / 1000).toFixed(0)} s.`,
    "",
    "| fault | expected item | detected | false alarms | message (excerpt) | fix |",
    "|---|---|---|---|---|---|",
  ];
  for (const { definition, row } of outcomes) {
    lines.push(`| ${cell(definition.fault)} | \`${row.expectedItem}\` | ${row.detected ? "yes" : "**no**"} | ${row.falseAlarms.join(", ") || "none"} | ${cell(row.message.slice(0, 220))} | ${cell(definition.fix)} |`);
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  const started = Date.now();
  // The matrix runs on the stand-ins unless the image variables name other images.
  process.env.LIBRECHAT_IMAGE ??= STANDIN_IMAGES.librechat;
  process.env.MONGO_IMAGE ??= STANDIN_IMAGES.mongodb;
  process.env.MEILI_IMAGE ??= STANDIN_IMAGES.meilisearch;
  process.env.LIBRECHAT_OVERLAY = BASELINE_OVERLAY;
  const config = readConfig();
  await preflight(config);
  const reportRoot = freshDir(path.join(config.reportDir, "faults"));

  const own = FAULTS.filter((f) => f.mode !== "shared");
  const shared = FAULTS.filter((f) => f.mode === "shared");
  log(`${FAULTS.length} faults: ${own.length} on stacks of their own (${CONCURRENCY} at a time), ${shared.length} on one shared healthy stack`);
  const [ownOutcomes, sharedResult] = await Promise.all([
    pool(own, Math.max(1, CONCURRENCY - 1), (definition) => runOwnStack(definition, reportRoot)),
    runShared(reportRoot, shared).catch((error: unknown) => error as Error),
  ]);
  if (sharedResult instanceof Error) throw sharedResult;
  await removeRun(sharedResult.runId);

  const outcomes = FAULTS.map((f) => [...ownOutcomes, ...sharedResult.outcomes].find((o) => o.definition.id === f.id)!);
  const totalMs = Date.now() - started;
  writeFileSync(path.join(config.reportDir, "faults.json"), `${JSON.stringify(outcomes.map((o) => o.row), null, 2)}\n`);
  writeFileSync(path.join(config.reportDir, "faults.md"), markdown(sharedResult.baseline, outcomes, totalMs));
  const caught = outcomes.filter((o) => o.row.detected && o.row.falseAlarms.length === 0).length;
  const healthyOk = sharedResult.baseline.falseAlarms.length === 0;
  log(`${caught} of ${outcomes.length} faults caught on the right item with no false alarm; healthy stack ${healthyOk ? "clean" : `FAILED: ${sharedResult.baseline.message}`}`);
  log(`matrix time: ${(totalMs / 1000).toFixed(1)} s; reports/faults.json and reports/faults.md written`);
  const passed = caught + (healthyOk ? 1 : 0);
  console.log(`faults: ${passed} passed, ${outcomes.length + 1 - passed} failed`);
  return passed === outcomes.length + 1 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : errorText(error));
  process.exitCode = 1;
}
