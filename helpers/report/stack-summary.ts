import { standinRoles } from "../images/catalog.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import type { ChecklistReport, ReportItem } from "./report.ts";

/** The report of one checklist run on a stack: DESIGN.md's keys, then runId, standins and harnessSettings. */
export function checklistReport(stack: StackDescriptor, items: ReportItem[], finishedAt: number): ChecklistReport {
  return {
    librechat: { image: stack.images.librechat.ref, version: stack.librechat.version, origin: stack.librechat.origin, commit: stack.librechat.commit },
    profile: stack.profile,
    startedAt: stack.startedAt,
    durationMs: finishedAt - Date.parse(stack.startedAt),
    items,
    runId: stack.runId,
    standins: standinRoles(stack.images),
    harnessSettings: stack.librechat.settings.map((s) => ({ name: s.name, outcome: s.outcome, value: s.shownValue, reason: s.reason })),
    deviations: stack.deviations,
  };
}
