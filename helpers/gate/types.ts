// The bump gate's shapes: the two sides it compares, and what each part of it found. Plain
// JSON throughout: reports/gate/gate.json is this report as it is.
import type { ItemStatus } from "../report/report.ts";

export type SideName = "baseline" | "candidate";
export const SIDES: readonly SideName[] = ["baseline", "candidate"];

/** What the user (or a default) chose for one side, before anything is built. */
export type SideSpec =
  | { kind: "image"; image: string; how: string }
  | { kind: "dir"; dir: string; how: string; /** a temporary export the gate removes at its end */ temporary?: string };

/** One side, ready to run: its image, its version and where that came from, and its environment. */
export interface PreparedSide {
  name: SideName;
  spec: SideSpec;
  image: string;
  version: string;
  /** "package.json", "image label org.opencontainers.image.version", "image tag", "/app/package.json inside the running image". */
  versionSource: string;
  origin: string;
  commit: string | undefined;
  /** The checkout, for the static impact; undefined for an image-only side. */
  checkoutDir: string | undefined;
  /** The compose input the side runs with (LIBRECHAT_DIR of its runs). */
  composeDir: string;
  build: { built: boolean; durationMs: number } | undefined;
  /** The environment of this side's runs (the gate's, plus LIBRECHAT_DIR, LIBRECHAT_IMAGE, HARNESS_REPORT_DIR). */
  env: NodeJS.ProcessEnv;
  reportDir: string;
}

/** How one checklist item changed from the baseline to the candidate. */
export type ItemChangeKind = "regression" | "improvement" | "same" | "changed" | "still-failing" | "inconclusive";

export interface ItemChange {
  id: string;
  title: string;
  baseline: { status: ItemStatus | "missing"; detail: string };
  candidate: { status: ItemStatus | "missing"; detail: string };
  change: ItemChangeKind;
  /** Version facts (contract.md) that explain this difference; never a change of verdict. */
  explanations: string[];
}

/** A compose-lint finding as the gate compares them: by rule and service. */
export interface FindingRef {
  rule: string;
  service: string;
  severity: string;
  message: string;
  fix: string;
  where: string;
}

export interface LintDiff {
  baseline: FindingRef[];
  candidate: FindingRef[];
  /** New in the candidate: regressions. */
  added: FindingRef[];
  /** Gone in the candidate: improvements. */
  removed: FindingRef[];
  /** Set when a side's files could not be linted. */
  error: string | undefined;
}

/** pass/fail rows of the upgrade path; "info" reports without judging, "inconclusive" had no answer by the deadline. */
export type RowStatus = "pass" | "fail" | "inconclusive" | "skip";

export interface UpgradeRow {
  id: string;
  title: string;
  status: RowStatus;
  detail: string;
}

export interface UpgradeResult {
  /** Why the upgrade path did not run (then the rows are empty). */
  skipped: string | undefined;
  from: string;
  to: string;
  seed: string[];
  upgrade: UpgradeRow[];
  downgrade: UpgradeRow[];
  /** Each phase's time: the baseline stack's start, the seeding, each replacement with its rows. */
  timings: { startMs: number; seedMs: number; upgradeMs: number; downgradeMs: number };
  /** The version each running LibreChat's /app/package.json states. */
  versionsInside: Partial<Record<SideName, string>>;
  durationMs: number;
}

export interface VersionedSideSummary {
  image: string;
  version: string;
  versionSource: string;
  origin: string;
  commit: string | undefined;
  how: string;
  checkoutDir: string | undefined;
  composeDir: string;
}

/** Something that fails the gate, named by what it is and with both sides' words. */
export interface Regression {
  kind: "checklist" | "compose-lint" | "upgrade";
  id: string;
  title: string;
  baseline: string;
  candidate: string;
}

export type GateVerdict = "pass" | "fail" | "inconclusive";
