// The checklist on the LibreChat double, for hosts that test without LibreChat's sources: v0.8.7
// on the guide's overlay as written, and the double's v0.8.1 behaviour on the corrected one.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { CORRECTED_ENV, CORRECTED_OVERLAY, type HarnessConfig } from "../config.ts";
import type { ChecklistReport } from "../report/report.ts";
import { runChecklist } from "../run/checklist-run.ts";
import { checkExpectations, GUIDE_OVERLAY_EXPECTATIONS, V081_EXPECTATIONS, type Expectation } from "./expectations.ts";

export interface Result {
  name: string;
  ok: boolean;
}

export async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`\n=== selftest: ${name}`);
  try {
    return await work();
  } finally {
    console.log(`=== selftest: ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Compares a run's report with the verdicts an honest harness gives, printing each. */
export function judgeReport(dir: string, label: string, expectations: Expectation[]): Result[] {
  let report: ChecklistReport;
  try {
    report = JSON.parse(readFileSync(path.join(dir, "checklist.json"), "utf8")) as ChecklistReport;
  } catch {
    console.log(`\nno report was written for ${label} (${dir}/checklist.json)`);
    return [{ name: `a report for ${label}`, ok: false }];
  }
  console.log(`\nverdicts expected for ${label} on ${report.librechat.image} (${report.librechat.origin}):`);
  return checkExpectations(report, expectations).map((result) => {
    const mark = result.ok ? "ok  " : "WRONG";
    console.log(`  ${mark} ${result.expectation.id}: expected ${result.expectation.status} (${result.expectation.why}); got ${result.seen}`);
    return { name: `verdict ${result.expectation.id}`, ok: result.ok };
  });
}

/** An overlay that selects the double's v0.8.1 behaviour on the corrected configuration. */
function v081Overlay(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const overlay = path.join(dir, "overlay.yaml");
  const doc = parse(readFileSync(CORRECTED_OVERLAY, "utf8")) as { services: { api: { environment?: Record<string, string> } } };
  doc.services.api.environment = { ...doc.services.api.environment, LIBRECHAT_DOUBLE_VERSION: "0.8.1" };
  writeFileSync(overlay, stringify(doc));
  return overlay;
}

export async function doubleRuns(config: HarnessConfig, env: NodeJS.ProcessEnv): Promise<Result[]> {
  await phase("checklist against the stand-ins (the guide's overlay as written)", () => runChecklist(config, env, []));
  const results = judgeReport(config.reportDir, "the guide's overlay", GUIDE_OVERLAY_EXPECTATIONS);
  // The nightly matrix's older release: the same suites, the v0.8.1 behaviour of the double.
  const v081Dir = path.join(config.reportDir, "v0.8.1");
  const v081Env = { ...env, ...CORRECTED_ENV, LIBRECHAT_OVERLAY: v081Overlay(v081Dir), HARNESS_REPORT_DIR: v081Dir };
  await phase("checklist against the v0.8.1 double (the corrected configuration)", () => runChecklist(config, v081Env, []));
  results.push(...judgeReport(v081Dir, "LibreChat v0.8.1", V081_EXPECTATIONS).map((r) => ({ ...r, name: `v0.8.1 ${r.name}` })));
  return results;
}
