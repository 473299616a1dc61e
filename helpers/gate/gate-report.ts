// reports/gate/gate.json: what the gate compared and found, and the verdict derived from it.
// A regression fails the gate: an item that fails on the candidate and not on the baseline, a
// compose-lint finding (by rule and service) new in the candidate, an upgrade row that fails, or
// a candidate whose checklist wrote no report. The downgrade never fails it.
import type { StaticImpact } from "./static-impact.ts";
import type { GateVerdict, ItemChange, LintDiff, Regression, SideName, UpgradeResult, VersionedSideSummary } from "./types.ts";

export interface SideChecklist {
  code: number;
  durationMs: number;
  reportDir: string;
  counts: { pass: number; fail: number; skip: number } | undefined;
  runId: string | undefined;
}

export interface GateReport {
  verdict: GateVerdict;
  verdictLine: string;
  startedAt: string;
  durationMs: number;
  sides: Record<SideName, VersionedSideSummary>;
  configuration: { overlay: string; corrected: boolean; env: Record<string, string>; mongodb: string; meilisearch: string; standins: string[]; profile: string };
  checklist: { mode: string; durationMs: number; sides: Record<SideName, SideChecklist>; items: ItemChange[] };
  lint: LintDiff;
  upgrade: UpgradeResult;
  impact: StaticImpact;
  /** The version facts that separate the two releases, each with what this run saw of it on either side. */
  versionNotes: { id: string; how: string; text: string; items: string[]; seen: { baseline: string | undefined; candidate: string | undefined } | undefined }[];
  regressions: Regression[];
  improvements: Regression[];
  /** What could not be judged (the host was too slow, or the baseline itself failed first). */
  inconclusive: string[];
  timings: { prepareMs: number; staticMs: number; checklistMs: number; upgradeMs: number; totalMs: number };
  /** The host's cores and its 1-minute load average as each part began: a slow host explains slow starts. */
  host: { cores: number; load: { at: string; load1: number }[] };
}

/** The upgrade path's skip reason when the user asked for it: reported, never counted as unjudged. */
export const SKIPPED_ON_REQUEST = "--skip-upgrade was given";

export type GateFindings = Omit<GateReport, "verdict" | "verdictLine" | "regressions" | "improvements" | "inconclusive">;

const said = (status: string, detail: string): string => `${status}: ${detail.trim() || "(no detail)"}`;

export function regressionsOf(f: Pick<GateFindings, "checklist" | "lint" | "upgrade">): Regression[] {
  const out: Regression[] = [];
  for (const item of f.checklist.items.filter((i) => i.change === "regression")) {
    out.push({ kind: "checklist", id: item.id, title: item.title, baseline: said(item.baseline.status, item.baseline.detail), candidate: said(item.candidate.status, item.candidate.detail) });
  }
  if (f.checklist.items.every((i) => i.candidate.status === "missing")) {
    out.push({ kind: "checklist", id: "checklist-run", title: "The candidate's checklist run", baseline: f.checklist.sides.baseline.counts ? "wrote its report" : "wrote no report either", candidate: `wrote no report (vitest exit ${f.checklist.sides.candidate.code}); see its output above the gate's summary` });
  }
  for (const finding of f.lint.added) {
    out.push({ kind: "compose-lint", id: `${finding.rule} (${finding.service})`, title: `compose-lint ${finding.rule} on service ${finding.service}`, baseline: "no such finding", candidate: `${finding.where} [${finding.severity}] ${finding.message} — fix: ${finding.fix}` });
  }
  for (const row of f.upgrade.upgrade.filter((r) => r.status === "fail")) {
    out.push({ kind: "upgrade", id: row.id, title: `upgrade path: ${row.title}`, baseline: `the data was left by the baseline ${f.upgrade.from}: ${f.upgrade.seed.length} steps passed`, candidate: said(row.status, row.detail) });
  }
  return out;
}

export function improvementsOf(f: Pick<GateFindings, "checklist" | "lint">): Regression[] {
  const out: Regression[] = [];
  for (const item of f.checklist.items.filter((i) => i.change === "improvement")) {
    out.push({ kind: "checklist", id: item.id, title: item.title, baseline: said(item.baseline.status, item.baseline.detail), candidate: said(item.candidate.status, item.candidate.detail) });
  }
  for (const finding of f.lint.removed) {
    out.push({ kind: "compose-lint", id: `${finding.rule} (${finding.service})`, title: `compose-lint ${finding.rule} on service ${finding.service} is gone`, baseline: `${finding.where} ${finding.message}`, candidate: "no such finding" });
  }
  return out;
}

export function inconclusiveOf(f: Pick<GateFindings, "checklist" | "upgrade" | "lint">): string[] {
  const out: string[] = [];
  // Items not judged for one reason (e.g. 13 blocked by a failed start) are one line.
  const unjudged = new Map<string, string[]>();
  for (const item of f.checklist.items.filter((i) => i.change === "inconclusive")) {
    const why = item.candidate.detail.split("\n")[0] ?? "";
    unjudged.set(why, [...(unjudged.get(why) ?? []), item.id]);
  }
  for (const [why, ids] of unjudged) out.push(`checklist on the candidate, not judged (${why}): ${ids.join(", ")}`);
  if (f.checklist.items.every((i) => i.baseline.status === "missing")) out.push(`the baseline's checklist wrote no report (vitest exit ${f.checklist.sides.baseline.code}), so no item could be compared`);
  const baselineBlocked = f.checklist.items.filter((i) => i.baseline.status !== "missing" && i.candidate.status !== "missing" && /^(inconclusive|blocked):/.test(i.baseline.detail) && i.baseline.status === "skip");
  if (baselineBlocked.length > 0) out.push(`checklist on the baseline, not judged: ${baselineBlocked.map((i) => i.id).join(", ")} (a failure the candidate shares would not show as a regression)`);
  if (f.upgrade.skipped && f.upgrade.skipped !== SKIPPED_ON_REQUEST) out.push(`upgrade path not run: ${f.upgrade.skipped.split("\n")[0]}`);
  for (const row of f.upgrade.upgrade.filter((r) => r.status === "inconclusive")) out.push(`upgrade path ${row.id}: ${row.detail.split("\n")[0]}`);
  if (f.lint.error) out.push(`compose-lint could not be compared: ${f.lint.error}`);
  return out;
}

function verdictLine(verdict: GateVerdict, f: GateFindings, regressions: Regression[], improvements: Regression[], inconclusive: string[]): string {
  const { baseline, candidate } = f.sides;
  const between = `baseline ${baseline.version} (\`${baseline.image}\`) → candidate ${candidate.version} (\`${candidate.image}\`)`;
  const upgradeRows = f.upgrade.upgrade.filter((r) => r.status !== "skip");
  const upgrade = f.upgrade.skipped ? "upgrade path not run" : `upgrade path ${upgradeRows.filter((r) => r.status === "pass").length} of ${upgradeRows.length} rows pass`;
  const tail = `${improvements.length} improvement${improvements.length === 1 ? "" : "s"}, ${upgrade}`;
  if (verdict === "fail") return `**Gate: FAIL** — ${regressions.length} regression${regressions.length === 1 ? "" : "s"} (${regressions.map((r) => `\`${r.id}\``).join(", ")}), ${between}; ${tail}.`;
  if (verdict === "inconclusive") return `**Gate: INCONCLUSIVE** — no regression found, but ${inconclusive.length} thing${inconclusive.length === 1 ? "" : "s"} could not be judged, ${between}; ${tail}.`;
  return `**Gate: PASS** — no regression, ${between}; ${tail}.`;
}

export function finishReport(f: GateFindings): GateReport {
  const regressions = regressionsOf(f);
  const improvements = improvementsOf(f);
  const inconclusive = inconclusiveOf(f);
  const verdict: GateVerdict = regressions.length > 0 ? "fail" : inconclusive.length > 0 ? "inconclusive" : "pass";
  return { verdict, verdictLine: verdictLine(verdict, f, regressions, improvements, inconclusive), ...f, regressions, improvements, inconclusive };
}

/** 0 pass, 1 a regression, 3 nothing regressed but something could not be judged. */
export function exitCodeOf(report: GateReport): number {
  return report.verdict === "pass" ? 0 : report.verdict === "fail" ? 1 : 3;
}
