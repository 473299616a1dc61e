import type { ChecklistReport } from "../report/report.ts";
import type { FaultDefinition } from "./catalog.ts";

export interface FaultRow {
  fault: string;
  expectedItem: string;
  detected: boolean;
  falseAlarms: string[];
  message: string;
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
    return { ...base, detected, falseAlarms: [], message: line.trim() };
  }
  if (!report) return { ...base, detected: false, falseAlarms: [], message: `no report was written:\n${firstLines(preflight?.output ?? "", 6)}` };
  const item = report.items.find((i) => i.id === definition.expectedItem);
  const detected = item?.status === "fail" && definition.message.test(item.detail);
  const allowed = new Set([definition.expectedItem, ...definition.alsoFails]);
  const falseAlarms = report.items.filter((i) => i.status === "fail" && !allowed.has(i.id)).map((i) => i.id);
  const excerpt = item ? `${item.status}: ${firstLines(item.detail)}` : "item missing from the report";
  return { ...base, detected, falseAlarms, message: excerpt };
}

/** The healthy stack's row: every item must pass (or skip with a reason). */
export function healthyRow(report: ChecklistReport | undefined): FaultRow {
  const failing = report?.items.filter((i) => i.status === "fail").map((i) => i.id) ?? ["(no report)"];
  return {
    fault: "healthy",
    expectedItem: "(none)",
    detected: false,
    falseAlarms: failing,
    message: failing.length === 0 ? `all ${report?.items.length ?? 0} items passed or skipped with a reason` : `failing: ${failing.join(", ")}`,
  };
}

export function caught(row: FaultRow): boolean {
  return row.detected && row.falseAlarms.length === 0;
}
