import path from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import "./provided.ts";
import { CHECKLIST, isChecklistId } from "./checklist.ts";
import { completeItems, writeReport, type ItemStatus, type ReportItem } from "./report.ts";
import { checklistReport } from "./stack-summary.ts";

const COLOR: Record<ItemStatus, string> = { pass: "\u001b[32m", fail: "\u001b[31m", skip: "\u001b[33m" };
const RESET = "\u001b[0m";

function statusOf(testCase: TestCase): ItemStatus | undefined {
  const state = testCase.result().state;
  if (state === "passed") return "pass";
  if (state === "failed") return "fail";
  if (state === "skipped") return "skip";
  return undefined;
}

function detailOf(testCase: TestCase, status: ItemStatus): string {
  const result = testCase.result();
  const evidence = testCase.annotations().map((a) => a.message);
  if (status === "fail") {
    const errors = (result.errors ?? []).map((e) => e.message ?? String(e));
    return [...errors, ...(evidence.length > 0 ? ["", "what was seen before the failure:", ...evidence] : [])].join("\n");
  }
  if (status === "skip") return (result as { note?: string }).note ?? "skipped (no reason given)";
  return evidence.join("\n");
}

/**
 * Writes reports/checklist.{json,md,junit.xml} (and the GitHub job summary) and prints each item
 * as it ends. What it knows of the run comes from the global setup's provided context.
 */
export class ChecklistReporter implements Reporter {
  private readonly items = new Map<string, ReportItem>();

  onTestCaseResult(testCase: TestCase): void {
    if (testCase.project.name !== "checklist" || !isChecklistId(testCase.name)) return;
    const status = statusOf(testCase);
    if (!status) return;
    const durationMs = Math.round(testCase.diagnostic()?.duration ?? 0);
    const title = CHECKLIST.find((entry) => entry.id === testCase.name)?.title ?? testCase.name;
    const item: ReportItem = { id: testCase.name, title, status, detail: detailOf(testCase, status), durationMs };
    this.items.set(item.id, item);
    const note = status === "pass" ? "" : `: ${item.detail.split("\n")[0]}`;
    process.stdout.write(`${COLOR[status]}checklist ${status.toUpperCase().padEnd(4)}${RESET} ${item.id} (${(durationMs / 1000).toFixed(1)} s)${note}\n`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const provided = modules.find((m) => m.project.name === "checklist")?.project.getProvidedContext();
    if (this.items.size === 0 || !provided?.stack || !provided.run) return;
    const report = checklistReport(provided.stack, completeItems(this.items), Date.now());
    const files = writeReport(report, provided.run.reportDir, provided.run.jobSummaryFile);
    const counts = report.items.reduce((acc, item) => ({ ...acc, [item.status]: acc[item.status] + 1 }), { pass: 0, fail: 0, skip: 0 });
    process.stdout.write(
      `\nchecklist verdicts: pass ${counts.pass}, fail ${counts.fail}, skip ${counts.skip}; report in ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`,
    );
  }
}
