import type { ChecklistReport } from "../report/report.ts";
import type { FaultDefinition } from "./catalog.ts";

export interface FaultRow {
  fault: string;
  expectedItem: string;
  detected: boolean;
  falseAlarms: string[];
  message: string;
  /** Items the host was too slow to judge: neither a detection nor a false alarm, but not a clean row. */
  inconclusive: string[];
}

/** An item skipped because the host was too slow to judge it (suite/evidence.ts). */
export function isInconclusive(item: { status: string; detail: string }): boolean {
  return item.status === "skip" && item.detail.startsWith("inconclusive:");
}

export interface FaultOutcome {
  definition: FaultDefinition;
  row: FaultRow;
  durationMs: number;
}

function firstLines(text: string, count = 4): string {
  return text.trim().split("\n").slice(0, count).join("\n");
}

/** Judges one fault's run: caught on the right item, with the true cause, and nothing else failing. */
export function judge(definition: FaultDefinition, report: ChecklistReport | undefined, preflight: { code: number; output: string } | undefined): FaultRow {
  const base = { fault: definition.id, expectedItem: definition.expectedItem };
  if (definition.expectedItem === "preflight") {
    const output = preflight?.output ?? "";
    const detected = (preflight?.code ?? 0) !== 0 && definition.message.test(output) && !report;
    const line = output.split("\n").find((l) => definition.message.test(l)) ?? firstLines(output, 2);
    return { ...base, detected, falseAlarms: [], message: line.trim(), inconclusive: [] };
  }
  if (!report) return { ...base, detected: false, falseAlarms: [], message: `no report was written:\n${firstLines(preflight?.output ?? "", 6)}`, inconclusive: [] };
  const item = report.items.find((i) => i.id === definition.expectedItem);
  const detected = item?.status === "fail" && definition.message.test(item.detail);
  const allowed = new Set([definition.expectedItem, ...definition.alsoFails]);
  const falseAlarms = report.items.filter((i) => i.status === "fail" && !allowed.has(i.id)).map((i) => i.id);
  const excerpt = item ? `${item.status}: ${firstLines(item.detail)}` : "item missing from the report";
  return { ...base, detected, falseAlarms, message: excerpt, inconclusive: report.items.filter(isInconclusive).map((i) => i.id) };
}

/** The healthy stack's row: every item must pass (or skip with a reason). */
export function healthyRow(report: ChecklistReport | undefined): FaultRow {
  const failing = report?.items.filter((i) => i.status === "fail").map((i) => i.id) ?? ["(no report)"];
  const inconclusive = report?.items.filter(isInconclusive).map((i) => i.id) ?? [];
  const message =
    failing.length > 0 ? `failing: ${failing.join(", ")}` : inconclusive.length > 0 ? `inconclusive: ${inconclusive.join(", ")}` : `all ${report?.items.length ?? 0} items passed or skipped with a reason`;
  return { fault: "healthy", expectedItem: "(none)", detected: false, falseAlarms: failing, message, inconclusive };
}

/** How a row reads in the log: a row the host was too slow to judge is undecided, never "missed". */
export function verdictLabel(row: FaultRow): "caught" | "MISSED" | "UNDECIDED" {
  if (caught(row)) return "caught";
  return !row.detected && row.inconclusive.includes(row.expectedItem) ? "UNDECIDED" : "MISSED";
}

export function caught(row: FaultRow): boolean {
  return row.detected && row.falseAlarms.length === 0 && row.inconclusive.length === 0;
}

/** The healthy stack's row is clean: nothing failed and nothing was left unjudged. */
export function clean(row: FaultRow): boolean {
  return row.falseAlarms.length === 0 && row.inconclusive.length === 0;
}
