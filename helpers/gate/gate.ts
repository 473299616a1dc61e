// `npm run gate`: a baseline and a candidate LibreChat compared in one report: the checklist on
// both item by item (and compose-lint's findings by rule and service), the upgrade path (the
// candidate on the baseline's data, then the downgrade), and the static impact of the two
// checkouts. Writes reports/gate/gate.{json,md,junit.xml} and the job summary; exits non-zero
// on any regression.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CORRECTED_OVERLAY, readConfig, type HarnessConfig } from "../config.ts";
import { assertDockerReachable } from "../docker/client.ts";
import { resolveImages, standinRoles } from "../images/catalog.ts";
import { onAbort } from "../run/abort.ts";
import { diffItems } from "./checklist-diff.ts";
import { runChecklists, type ChecklistMode, type ChecklistRuns } from "./checklist-runs.ts";
import { renderGateJUnit } from "./gate-junit.ts";
import { renderGateMarkdown } from "./gate-markdown.ts";
import { exitCodeOf, finishReport, SKIPPED_ON_REQUEST, type GateReport, type SideChecklist } from "./gate-report.ts";
import { diffFindings, lintInput } from "./lint-diff.ts";
import { baselineSpec, composeFallback, gateEnv, prepareSide, type Log } from "./prepare.ts";
import { candidateSpec, sideFromArgs, type SideArgs } from "./sides.ts";
import { staticImpact, type StaticImpact } from "./static-impact.ts";
import type { LintDiff, PreparedSide, SideName, SideSpec, UpgradeResult, VersionedSideSummary } from "./types.ts";
import { runUpgradePath } from "./upgrade.ts";
import { observed } from "./version-evidence.ts";
import { explainChanges, versionNotes } from "./versions.ts";

export interface GateOptions {
  baseline: SideArgs;
  candidate: SideArgs;
  /** parallel: both checklists at once; serial: one after the other. */
  checklistMode: ChecklistMode;
  /** false skips the upgrade path (it is then reported as not run). */
  upgrade: boolean;
}

/** Measured on the project's 2-core host (README "The bump gate"): the default. */
export const DEFAULT_CHECKLIST_MODE: ChecklistMode = "parallel";

export const gateLog: Log = (line) => void process.stdout.write(`[gate] ${line}\n`);

async function resolveSides(options: GateOptions, config: HarnessConfig, log: Log): Promise<Record<SideName, SideSpec>> {
  // Both sides' flags are checked before anything slow happens.
  sideFromArgs("baseline", options.baseline);
  const candidate = candidateSpec(options.candidate, config.librechatDir);
  await assertDockerReachable();
  return { baseline: await baselineSpec(options.baseline, candidate, config, log), candidate };
}

async function prepareSides(specs: Record<SideName, SideSpec>, config: HarnessConfig, env: NodeJS.ProcessEnv, reportRoot: string, log: Log): Promise<Record<SideName, PreparedSide>> {
  const ctx = { config, env, reportRoot, composeFallback: composeFallback(specs.candidate, config), log };
  // One build at a time: a build takes both cores for minutes; a reuse takes a second.
  const baseline = await prepareSide("baseline", specs.baseline, ctx);
  const candidate = await prepareSide("candidate", specs.candidate, ctx);
  for (const side of [baseline, candidate]) log(`${side.name}: ${side.image} (LibreChat ${side.version} from ${side.versionSource}, ${side.origin}${side.build ? (side.build.built ? ", built now" : ", reused") : ""})`);
  return { baseline, candidate };
}

async function lintDiff(sides: Record<SideName, PreparedSide>, config: HarnessConfig): Promise<LintDiff> {
  try {
    const [baseline, candidate] = await Promise.all([sides.baseline, sides.candidate].map((s) => lintInput(s.composeDir, config.overlayPath, s.env, config.profile)));
    return diffFindings(baseline!, candidate!);
  } catch (error) {
    return { baseline: [], candidate: [], added: [], removed: [], error: error instanceof Error ? error.message : String(error) };
  }
}

function impactOf(sides: Record<SideName, PreparedSide>, config: HarnessConfig, env: NodeJS.ProcessEnv): StaticImpact {
  const imageOnly = [sides.baseline, sides.candidate].filter((s) => !s.checkoutDir).map((s) => `the ${s.name} is the image ${s.image}, not a checkout`);
  const gateVars = Object.fromEntries(["ADMIN_PANEL_PORT", "PORT"].filter((k) => env[k]).map((k) => [k, env[k]!]));
  return staticImpact({ baseline: sides.baseline.checkoutDir, candidate: sides.candidate.checkoutDir }, config.overlayPath, gateVars, imageOnly.join("; ") || undefined);
}

function summary(side: PreparedSide, inside: string | undefined): VersionedSideSummary {
  const fromInside = inside && side.versionSource.startsWith("image tag");
  return {
    image: side.image,
    version: fromInside ? inside : side.version,
    versionSource: fromInside ? "/app/package.json inside the running image" : side.versionSource,
    origin: side.origin,
    commit: side.commit,
    how: side.spec.how,
    checkoutDir: side.checkoutDir,
    composeDir: side.composeDir,
  };
}

function checklistSide(side: PreparedSide, runs: ChecklistRuns): SideChecklist {
  const run = runs.runs[side.name];
  const items = run.report?.items;
  const count = (status: string): number => items?.filter((i) => i.status === status).length ?? 0;
  return { code: run.code, durationMs: run.durationMs, reportDir: side.reportDir, counts: items ? { pass: count("pass"), fail: count("fail"), skip: count("skip") } : undefined, runId: run.report?.runId };
}

function notRun(sides: Record<SideName, PreparedSide>): UpgradeResult {
  return { skipped: SKIPPED_ON_REQUEST, from: sides.baseline.image, to: sides.candidate.image, seed: [], upgrade: [], downgrade: [], timings: { startMs: 0, seedMs: 0, upgradeMs: 0, downgradeMs: 0 }, versionsInside: {}, durationMs: 0 };
}

type Load = GateReport["host"]["load"];

function sample(load: Load, at: string): void {
  load.push({ at, load1: Math.round((os.loadavg()[0] ?? 0) * 10) / 10 });
}

interface Parts {
  sides: Record<SideName, PreparedSide>;
  runs: ChecklistRuns;
  lint: LintDiff;
  impact: StaticImpact;
  upgrade: UpgradeResult;
  timings: GateReport["timings"];
  startedAt: number;
  load: Load;
}

function assemble(p: Parts, config: HarnessConfig, env: NodeJS.ProcessEnv): GateReport {
  const sides = { baseline: summary(p.sides.baseline, p.upgrade.versionsInside.baseline), candidate: summary(p.sides.candidate, p.upgrade.versionsInside.candidate) };
  const items = explainChanges(diffItems(p.runs.runs.baseline.report, p.runs.runs.candidate.report), sides.baseline.version, sides.candidate.version);
  const catalog = resolveImages(readConfig(p.sides.candidate.env));
  const corrected = config.overlayPath === CORRECTED_OVERLAY;
  return finishReport({
    startedAt: new Date(p.startedAt).toISOString(),
    durationMs: Date.now() - p.startedAt,
    sides,
    configuration: { overlay: config.overlayPath, corrected, env: corrected ? { ADMIN_PANEL_PORT: env.ADMIN_PANEL_PORT ?? "" } : {}, mongodb: catalog.mongodb.ref, meilisearch: catalog.meilisearch.ref, standins: standinRoles(catalog), profile: config.profile },
    checklist: { mode: p.runs.mode, durationMs: p.runs.durationMs, sides: { baseline: checklistSide(p.sides.baseline, p.runs), candidate: checklistSide(p.sides.candidate, p.runs) }, items },
    lint: p.lint,
    upgrade: p.upgrade,
    impact: p.impact,
    versionNotes: versionNotes(sides.baseline.version, sides.candidate.version).map(({ fact, how }) => ({ id: fact.id, how, text: fact.text, items: fact.items, seen: observed(fact.id, { items, impact: p.impact, upgrade: p.upgrade }) })),
    timings: { ...p.timings, totalMs: Date.now() - p.startedAt },
    host: { cores: os.cpus().length, load: p.load },
  });
}

function writeOutputs(report: GateReport, reportRoot: string, jobSummary: string | undefined, log: Log): void {
  mkdirSync(reportRoot, { recursive: true });
  const markdown = renderGateMarkdown(report);
  writeFileSync(path.join(reportRoot, "gate.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(reportRoot, "gate.md"), markdown);
  writeFileSync(path.join(reportRoot, "gate.junit.xml"), renderGateJUnit(report));
  if (jobSummary) appendFileSync(jobSummary, markdown);
  log(`${report.verdictLine.replace(/\*\*/g, "")}`);
  log(`reports: ${["gate.json", "gate.md", "gate.junit.xml"].map((f) => path.join(reportRoot, f)).join(", ")}${jobSummary ? `; appended to ${jobSummary}` : ""}`);
}

async function compareSides(sides: Record<SideName, PreparedSide>, options: GateOptions, config: HarnessConfig, env: NodeJS.ProcessEnv, log: Log, load: Load): Promise<Omit<Parts, "sides" | "startedAt" | "timings" | "load"> & { ms: { staticMs: number; checklistMs: number; upgradeMs: number } }> {
  const t0 = Date.now();
  const impact = impactOf(sides, config, env);
  const lint = await lintDiff(sides, config);
  const staticMs = Date.now() - t0;
  log(`static impact and compose-lint in ${(staticMs / 1000).toFixed(1)} s; ${lint.added.length} finding(s) new in the candidate`);
  log(`checklist on both sides (${options.checklistMode})`);
  sample(load, "checklist");
  const runs = await runChecklists(sides, options.checklistMode, log);
  sample(load, "upgrade path");
  const t1 = Date.now();
  const upgrade = options.upgrade ? await runUpgradePath(sides, log) : notRun(sides);
  return { impact, lint, runs, upgrade, ms: { staticMs, checklistMs: runs.durationMs, upgradeMs: Date.now() - t1 } };
}

/** The whole gate; resolves with its exit code (0 pass, 1 a regression, 3 something not judged). */
export async function runGate(options: GateOptions, env: NodeJS.ProcessEnv = process.env, log: Log = gateLog): Promise<number> {
  const startedAt = Date.now();
  const jobSummary = readConfig(env).jobSummaryFile;
  const baseEnv = gateEnv(env);
  const config = readConfig(baseEnv);
  const specs = await resolveSides(options, config, log);
  const temporary = specs.baseline.kind === "dir" ? specs.baseline.temporary : undefined;
  const removeTemporary = async (): Promise<void> => void (temporary && rmSync(temporary, { recursive: true, force: true }));
  const unregister = temporary ? onAbort(`the exported baseline ${temporary}`, removeTemporary, log) : undefined;
  try {
    const reportRoot = path.join(config.reportDir, "gate");
    rmSync(reportRoot, { recursive: true, force: true });
    const sides = await prepareSides(specs, config, baseEnv, reportRoot, log);
    const prepareMs = Date.now() - startedAt;
    const load: Load = [];
    const parts = await compareSides(sides, options, config, baseEnv, log, load);
    sample(load, "end");
    const report = assemble({ ...parts, sides, startedAt, load, timings: { prepareMs, ...parts.ms, totalMs: 0 } }, config, baseEnv);
    writeOutputs(report, reportRoot, jobSummary, log);
    return exitCodeOf(report);
  } finally {
    await removeTemporary();
    unregister?.();
  }
}
