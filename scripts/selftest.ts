// `npm run selftest`: the harness's own tests. Unit tests, then the Docker-backed self-tests,
// then the checklist against the air-gapped stand-ins (LibreChat v0.8.7, then v0.8.1), whose
// verdicts must be the ones an honest harness gives (see helpers/selftest/expectations.ts).
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { ConfigError, readConfig } from "../helpers/config.ts";
import { errorText } from "../helpers/docker/client.ts";
import { STANDIN_IMAGES } from "../helpers/images/catalog.ts";
import type { ChecklistReport } from "../helpers/report/report.ts";
import { preflight, runChecklist } from "../helpers/run/checklist-run.ts";
import { BASELINE_OVERLAY } from "../helpers/faults/run.ts";
import { checkExpectations, GUIDE_OVERLAY_EXPECTATIONS, V081_EXPECTATIONS, type Expectation } from "../helpers/selftest/expectations.ts";

function vitest(project: string): Promise<number> {
  const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", project], { stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}

/** Compares a run's report with the verdicts an honest harness gives, printing each. */
function judgeReport(dir: string, label: string, expectations: Expectation[]): { name: string; ok: boolean }[] {
  const report = JSON.parse(readFileSync(path.join(dir, "checklist.json"), "utf8")) as ChecklistReport;
  console.log(`\nverdicts expected for ${label} on ${report.librechat.image}:`);
  return checkExpectations(report, expectations).map((result) => {
    const mark = result.ok ? "ok  " : "WRONG";
    console.log(`  ${mark} ${result.expectation.id}: expected ${result.expectation.status} (${result.expectation.why}); got ${result.seen}`);
    return { name: `verdict ${result.expectation.id}`, ok: result.ok };
  });
}

function phase(name: string): () => void {
  const started = Date.now();
  console.log(`\n=== selftest: ${name}`);
  return () => console.log(`=== selftest: ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<number> {
  // The stand-ins are chosen only through the image variables, as a user would choose any image.
  process.env.LIBRECHAT_IMAGE = STANDIN_IMAGES.librechat;
  process.env.MONGO_IMAGE = STANDIN_IMAGES.mongodb;
  process.env.MEILI_IMAGE = STANDIN_IMAGES.meilisearch;
  const results: { name: string; ok: boolean }[] = [];

  let done = phase("unit tests (no Docker)");
  results.push({ name: "unit tests", ok: (await vitest("unit")) === 0 });
  done();

  done = phase("images and preflight");
  const config = readConfig();
  await preflight(config);
  done();

  done = phase("Docker-backed self-tests");
  results.push({ name: "docker self-tests", ok: (await vitest("docker")) === 0 });
  done();

  done = phase("checklist against the stand-ins (the guide's overlay as written)");
  await runChecklist({}, []);
  done();
  results.push(...judgeReport(config.reportDir, "the guide's overlay", GUIDE_OVERLAY_EXPECTATIONS));

  // The nightly matrix's older release: the same suites, the v0.8.1 behaviour of the double.
  done = phase("checklist against the v0.8.1 double (the fault matrix's healthy overlay)");
  const v081Dir = path.join(config.reportDir, "v0.8.1");
  mkdirSync(v081Dir, { recursive: true });
  const overlay = path.join(v081Dir, "overlay.yaml");
  const doc = parse(readFileSync(BASELINE_OVERLAY, "utf8")) as { services: { api: { environment?: Record<string, string> } } };
  doc.services.api.environment = { ...doc.services.api.environment, LIBRECHAT_DOUBLE_VERSION: "0.8.1" };
  writeFileSync(overlay, stringify(doc));
  await runChecklist({ LIBRECHAT_OVERLAY: overlay, HARNESS_REPORT_DIR: v081Dir }, []);
  done();
  results.push(...judgeReport(v081Dir, "LibreChat v0.8.1", V081_EXPECTATIONS).map((r) => ({ ...r, name: `v0.8.1 ${r.name}` })));
  const failed = results.filter((r) => !r.ok);
  for (const failure of failed) console.log(`  failed: ${failure.name}`);
  console.log(`selftest: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : errorText(error));
  process.exitCode = 1;
}
