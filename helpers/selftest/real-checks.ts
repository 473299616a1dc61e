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

/** Verdicts by id from a report file of `dir`; undefined when it is missing or unreadable. */
function verdicts<Row>(dir: string, file: string, entry: (row: Row) => [string, string], rows: (doc: unknown) => Row[]): Map<string, string> | undefined {
  try {
    return new Map(rows(JSON.parse(readFileSync(path.join(dir, file), "utf8"))).map(entry));
  } catch {
    return undefined;
  }
}

const checklistVerdicts = (dir: string): Map<string, string> | undefined =>
  verdicts<ChecklistReport["items"][number]>(dir, "checklist.json", (item) => [item.id, item.status], (doc) => (doc as ChecklistReport).items);

const faultVerdicts = (dir: string): Map<string, string> | undefined =>
  verdicts<FaultRow>(dir, "faults.json", (row) => [row.fault, verdictLabel(row)], (doc) => doc as FaultRow[]);

/** Each idle verdict held against the saturated one, a line and a result each. */
function asIdle(what: string, idle: Map<string, string>, busy: Map<string, string>): Result[] {
  return [...idle].map(([id, verdict]) => {
    const seen = busy.get(id) ?? "missing";
    console.log(`  ${seen === verdict ? "ok  " : "WRONG"} ${id}: idle ${verdict}, saturated ${seen}`);
    return { name: `saturated ${what}${id} as idle`, ok: seen === verdict };
  });
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
  const idle = checklistVerdicts(idleDir);
  const busy = checklistVerdicts(busyDir);
  if (!idle || !busy) return [{ name: "idle and saturated checklist.json", ok: false }];
  return asIdle("", idle, busy);
}

/**
 * The fault matrix on real v0.8.7 again while every core is busy: its healthy stack must stay
 * clean and every fault must get the idle matrix's verdict (an UNDECIDED row is a difference).
 */
export async function saturatedFaultMatrix(config: HarnessConfig, base: NodeJS.ProcessEnv, librechat: RealLibreChat): Promise<Result[]> {
  const idleDir = path.join(config.reportDir, `real-${librechat.version}`);
  const busyDir = path.join(config.reportDir, `real-${librechat.version}-saturated-faults`);
  const matrix = await whileSaturated(() => realFaultMatrix(base, librechat, busyDir));
  const whole = { ...matrix, name: `saturated ${matrix.name}` };
  const idle = faultVerdicts(idleDir);
  const busy = faultVerdicts(busyDir);
  if (!idle || !busy) return [whole, { name: "idle and saturated faults.json", ok: false }];
  return [whole, ...asIdle("fault ", idle, busy)];
}
