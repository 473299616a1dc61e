// The checklist on both sides: one `npm test` run each (runChecklist), side by side or one
// after the other, each with its own report directory (reports/gate/<side>/).
import { readConfig } from "../config.ts";
import { freshDir, readReport } from "../faults/harness-runs.ts";
import type { ChecklistReport } from "../report/report.ts";
import { runChecklist } from "../run/checklist-run.ts";
import type { Log } from "./prepare.ts";
import type { PreparedSide, SideName } from "./types.ts";

export type ChecklistMode = "parallel" | "serial";

/** Ctrl-C (or SIGTERM) reached a checklist run: the gate stops there, its runs already removed. */
export class GateInterrupted extends Error {
  override name = "GateInterrupted";
}

export interface SideRun {
  code: number;
  report: ChecklistReport | undefined;
  durationMs: number;
}

export interface ChecklistRuns {
  mode: ChecklistMode;
  runs: Record<SideName, SideRun>;
  durationMs: number;
}

async function runSide(side: PreparedSide, log: Log): Promise<SideRun> {
  const started = Date.now();
  freshDir(side.reportDir);
  log(`checklist on the ${side.name} (${side.image}, ${side.version}) → ${side.reportDir}`);
  const code = await runChecklist(readConfig(side.env), side.env, []);
  const run = { code, report: readReport(side.reportDir), durationMs: Date.now() - started };
  const counts = run.report ? `${run.report.items.filter((i) => i.status === "pass").length} pass, ${run.report.items.filter((i) => i.status === "fail").length} fail, ${run.report.items.filter((i) => i.status === "skip").length} skip` : "no report";
  log(`checklist on the ${side.name} finished in ${(run.durationMs / 1000).toFixed(1)} s (vitest exit ${code}; ${counts})`);
  return run;
}

export async function runChecklists(sides: Record<SideName, PreparedSide>, mode: ChecklistMode, log: Log): Promise<ChecklistRuns> {
  const started = Date.now();
  let runs: Record<SideName, SideRun>;
  if (mode === "parallel") {
    const [baseline, candidate] = await Promise.all([runSide(sides.baseline, log), runSide(sides.candidate, log)]);
    runs = { baseline, candidate };
  } else {
    const baseline = await runSide(sides.baseline, log);
    runs = { baseline, candidate: await runSide(sides.candidate, log) };
  }
  const interrupted = Object.entries(runs).filter(([, run]) => run.code === 130 || run.code === 143);
  if (interrupted.length > 0) throw new GateInterrupted(`interrupted during the checklist on the ${interrupted.map(([name]) => name).join(" and ")}: the gate stops, and its checklist runs removed what they started`);
  return { mode, runs, durationMs: Date.now() - started };
}
