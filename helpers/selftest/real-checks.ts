// The fault matrix on real LibreChat, and the saturated-host passes: the checklist and the fault
// matrix again while a CPU hog keeps every core busy, whose verdicts must be the idle runs', item
// by item and fault by fault.
import { readFileSync } from "node:fs";
import path from "node:path";
import { CORRECTED_ENV, CORRECTED_OVERLAY, readConfig, type HarnessConfig } from "../config.ts";
import { verdictLabel, type FaultRow } from "../faults/judge.ts";
import { runFaultMatrix } from "../faults/matrix.ts";
import type { ChecklistReport } from "../report/report.ts";
import { startCpuHog } from "./cpu-hog.ts";
import type { Result } from "./double-runs.ts";
import { realEnv, runReal, type RealRun } from "./real-runs.ts";
import type { RealLibreChat } from "./real-sources.ts";

/** The fault matrix (13 faults and the healthy stack) on a real LibreChat; faults.json lands in `reportDir`. */
export async function realFaultMatrix(base: NodeJS.ProcessEnv, librechat: RealLibreChat, reportDir: string): Promise<Result> {
  const env = realEnv(base, librechat, CORRECTED_OVERLAY, reportDir, CORRECTED_ENV);
  const code = await runFaultMatrix(readConfig(env), env);
  return { name: `fault matrix on real ${librechat.version}`, ok: code === 0 };
}

function statuses(dir: string): Map<string, string> {
  const report = JSON.parse(readFileSync(path.join(dir, "checklist.json"), "utf8")) as ChecklistReport;
  return new Map(report.items.map((i) => [i.id, i.status]));
}

/** The hog on while `work` runs. */
async function whileSaturated<T>(work: () => Promise<T>): Promise<T> {
  const hog = startCpuHog();
  console.log(`[selftest] CPU hog: ${hog.what}`);
  try {
    return await work();
  } finally {
    hog.stop();
  }
}

/** The corrected checklist on real v0.8.7 while every core is busy, judged against the idle run's verdicts. */
export async function saturatedPass(config: HarnessConfig, base: NodeJS.ProcessEnv, librechat: RealLibreChat): Promise<Result[]> {
  const idleDir = path.join(config.reportDir, `real-${librechat.version}`);
  const busyDir = path.join(config.reportDir, `real-${librechat.version}-saturated`);
  const run: RealRun = { name: `real-${librechat.version}-saturated`, label: "saturated", librechat, env: realEnv(base, librechat, CORRECTED_OVERLAY, busyDir, CORRECTED_ENV), reportDir: busyDir, expectations: [] };
  await whileSaturated(() => runReal(config, run));
  const idle = statuses(idleDir);
  let busy: Map<string, string>;
  try {
    busy = statuses(busyDir);
  } catch {
    return [{ name: "a saturated-host report", ok: false }];
  }
  return [...idle].map(([id, status]) => {
    const seen = busy.get(id) ?? "missing";
    console.log(`  ${seen === status ? "ok  " : "WRONG"} ${id}: idle ${status}, saturated ${seen}`);
    return { name: `saturated ${id} as idle`, ok: seen === status };
  });
}

function faultVerdicts(dir: string): Map<string, string> | undefined {
  try {
    const rows = JSON.parse(readFileSync(path.join(dir, "faults.json"), "utf8")) as FaultRow[];
    return new Map(rows.map((row) => [row.fault, verdictLabel(row)]));
  } catch {
    return undefined;
  }
}

/**
 * The fault matrix on real v0.8.7 again while every core is busy: its healthy stack must stay
 * clean and every fault must get the idle matrix's verdict (an UNDECIDED row is a difference).
 */
export async function saturatedFaultMatrix(config: HarnessConfig, base: NodeJS.ProcessEnv, librechat: RealLibreChat): Promise<Result[]> {
  const idleDir = path.join(config.reportDir, `real-${librechat.version}`);
  const busyDir = path.join(config.reportDir, `real-${librechat.version}-saturated-faults`);
  const matrix = await whileSaturated(() => realFaultMatrix(base, librechat, busyDir));
  const idle = faultVerdicts(idleDir);
  const busy = faultVerdicts(busyDir);
  if (!idle || !busy) return [{ ...matrix, name: `saturated ${matrix.name}` }, { name: "idle and saturated faults.json", ok: false }];
  const rows = [...idle].map(([fault, verdict]) => {
    const seen = busy.get(fault) ?? "missing";
    console.log(`  ${seen === verdict ? "ok  " : "WRONG"} ${fault}: idle ${verdict}, saturated ${seen}`);
    return { name: `saturated fault ${fault} as idle`, ok: seen === verdict };
  });
  return [{ ...matrix, name: `saturated ${matrix.name}` }, ...rows];
}
