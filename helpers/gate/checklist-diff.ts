// The checklist on both sides, item by item: an item that fails on the candidate and did not
// fail on the baseline is a regression; fail → pass is an improvement; everything else is shown
// for what it is, with both diagnoses.
import { CHECKLIST } from "../report/checklist.ts";
import type { ChecklistReport, ReportItem } from "../report/report.ts";
import type { ItemChange, ItemChangeKind } from "./types.ts";

type Seen = ItemChange["baseline"];

const MISSING: Seen = { status: "missing", detail: "no report" };

/**
 * An item that was not judged: the host was too slow (helpers/suite/evidence.ts words it
 * "inconclusive:"), it was blocked by a failure before it ("blocked:"), or its side wrote no report.
 */
export function isUnjudged(seen: Seen): boolean {
  return seen.status === "missing" || (seen.status === "skip" && /^(inconclusive|blocked):/.test(seen.detail));
}

/**
 * pass (or anything but fail) → fail is a regression; fail → pass an improvement; an item the
 * candidate could not be judged on is inconclusive, whatever the baseline said: a gate passes on
 * evidence, never on the absence of it.
 */
export function classify(baseline: Seen, candidate: Seen): ItemChangeKind {
  if (candidate.status === "fail") return baseline.status === "fail" ? "still-failing" : "regression";
  if (isUnjudged(candidate)) return "inconclusive";
  if (baseline.status === "fail" && candidate.status === "pass") return "improvement";
  if (baseline.status === candidate.status) return "same";
  return "changed";
}

function seenIn(report: ChecklistReport | undefined, id: string): Seen {
  const item: ReportItem | undefined = report?.items.find((i) => i.id === id);
  return item ? { status: item.status, detail: item.detail } : MISSING;
}

/** Every checklist id (in the checklist's order, then any other ids the reports carry), compared. */
export function diffItems(baseline: ChecklistReport | undefined, candidate: ChecklistReport | undefined): ItemChange[] {
  const ids: string[] = CHECKLIST.map((entry) => entry.id);
  for (const report of [baseline, candidate]) for (const item of report?.items ?? []) if (!ids.includes(item.id)) ids.push(item.id);
  return ids.map((id) => {
    const b = seenIn(baseline, id);
    const c = seenIn(candidate, id);
    const title = CHECKLIST.find((entry) => entry.id === id)?.title ?? candidate?.items.find((i) => i.id === id)?.title ?? baseline?.items.find((i) => i.id === id)?.title ?? id;
    return { id, title, baseline: b, candidate: c, change: classify(b, c), explanations: [] };
  });
}

export function countChanges(changes: ItemChange[]): Record<ItemChangeKind, number> {
  const counts: Record<ItemChangeKind, number> = { regression: 0, improvement: 0, same: 0, changed: 0, "still-failing": 0, inconclusive: 0 };
  for (const change of changes) counts[change.change] += 1;
  return counts;
}
