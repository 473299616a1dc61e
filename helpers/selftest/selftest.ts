// `npm run selftest`: the harness's own tests. Unit tests, then the Docker-backed self-tests,
// then the checklist against the air-gapped stand-ins (LibreChat v0.8.7, then v0.8.1), whose
// verdicts must be the ones an honest harness gives (see expectations.ts).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { CORRECTED_ENV, CORRECTED_OVERLAY, readConfig } from "../config.ts";
import { withStandinImages } from "../images/catalog.ts";
import type { ChecklistReport } from "../report/report.ts";
import { runChecklist } from "../run/checklist-run.ts";
import { preflight } from "../run/preflight.ts";
import { runVitest } from "../run/vitest.ts";
import { checkExpectations, GUIDE_OVERLAY_EXPECTATIONS, V081_EXPECTATIONS, type Expectation } from "./expectations.ts";

interface Result {
  name: string;
  ok: boolean;
}

/** Compares a run's report with the verdicts an honest harness gives, printing each. */
function judgeReport(dir: string, label: string, expectations: Expectation[]): Result[] {
  const report = JSON.parse(readFileSync(path.join(dir, "checklist.json"), "utf8")) as ChecklistReport;
  console.log(`\nverdicts expected for ${label} on ${report.librechat.image}:`);
  return checkExpectations(report, expectations).map((result) => {
    const mark = result.ok ? "ok  " : "WRONG";
    console.log(`  ${mark} ${result.expectation.id}: expected ${result.expectation.status} (${result.expectation.why}); got ${result.seen}`);
    return { name: `verdict ${result.expectation.id}`, ok: result.ok };
  });
}

async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`\n=== selftest: ${name}`);
  try {
    return await work();
  } finally {
    console.log(`=== selftest: ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** The v0.8.1 double on the fault matrix's healthy overlay: an overlay file that selects it. */
function v081Overlay(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const overlay = path.join(dir, "overlay.yaml");
  const doc = parse(readFileSync(CORRECTED_OVERLAY, "utf8")) as { services: { api: { environment?: Record<string, string> } } };
  doc.services.api.environment = { ...doc.services.api.environment, LIBRECHAT_DOUBLE_VERSION: "0.8.1" };
  writeFileSync(overlay, stringify(doc));
  return overlay;
}

export async function runSelftest(): Promise<number> {
  // The stand-ins are chosen only through the image variables, as a user would choose any image.
  const env = withStandinImages(process.env, false);
  const config = readConfig(env);
  const results: Result[] = [];
  results.push({ name: "unit tests", ok: (await phase("unit tests (no Docker)", () => runVitest("unit", [], env))) === 0 });
  await phase("images and preflight", () => preflight(config));
  results.push({ name: "docker self-tests", ok: (await phase("Docker-backed self-tests", () => runVitest("docker", [], env))) === 0 });
  await phase("checklist against the stand-ins (the guide's overlay as written)", () => runChecklist(config, env, []));
  results.push(...judgeReport(config.reportDir, "the guide's overlay", GUIDE_OVERLAY_EXPECTATIONS));
  // The nightly matrix's older release: the same suites, the v0.8.1 behaviour of the double.
  const v081Dir = path.join(config.reportDir, "v0.8.1");
  const v081Env = { ...env, ...CORRECTED_ENV, LIBRECHAT_OVERLAY: v081Overlay(v081Dir), HARNESS_REPORT_DIR: v081Dir };
  await phase("checklist against the v0.8.1 double (the fault matrix's healthy overlay)", () => runChecklist(config, v081Env, []));
  results.push(...judgeReport(v081Dir, "LibreChat v0.8.1", V081_EXPECTATIONS).map((r) => ({ ...r, name: `v0.8.1 ${r.name}` })));
  const failed = results.filter((r) => !r.ok);
  for (const failure of failed) console.log(`  failed: ${failure.name}`);
  console.log(`selftest: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}
