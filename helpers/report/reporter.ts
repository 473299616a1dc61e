import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { readConfig } from "../config.ts";
import { CHECKLIST, isChecklistId } from "./checklist.ts";
import { completeItems, writeReport, type ChecklistReport, type ItemStatus, type ReportItem } from "./report.ts";
import { STACK_SUMMARY_FILE, type StackSummary } from "./stack-summary.ts";

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

/** Writes reports/checklist.{json,md,junit.xml} (and the GitHub job summary) and prints each item as it ends. */
export class ChecklistReporter implements Reporter {
  private readonly items = new Map<string, ReportItem>();
  private readonly started = Date.now();

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

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    if (this.items.size === 0) return;
    const { reportDir } = readConfig();
    const summaryPath = path.join(reportDir, STACK_SUMMARY_FILE);
    const summary: StackSummary | undefined = existsSync(summaryPath)
      ? (JSON.parse(readFileSync(summaryPath, "utf8")) as StackSummary)
      : undefined;
    const report: ChecklistReport = {
      librechat: { image: summary?.librechatImage ?? "unknown", version: summary?.librechatVersion ?? "unknown" },
      profile: summary?.profile ?? readConfig().profile,
      startedAt: summary?.startedAt ?? new Date(this.started).toISOString(),
      durationMs: Date.now() - (summary ? Date.parse(summary.startedAt) : this.started),
      items: completeItems(this.items),
      runId: summary?.runId ?? "unknown",
      standins: summary?.standins ?? [],
      harnessSettings: summary?.settings ?? [],
    };
    const files = writeReport(report, reportDir);
    const counts = report.items.reduce((acc, item) => ({ ...acc, [item.status]: acc[item.status] + 1 }), { pass: 0, fail: 0, skip: 0 });
    process.stdout.write(
      `\nchecklist verdicts: pass ${counts.pass}, fail ${counts.fail}, skip ${counts.skip}; report in ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`,
    );
  }
}
