// `npm run selftest`: the harness's own tests. Unit tests, then the Docker-backed self-tests,
// then the checklist against the air-gapped stand-ins, whose verdicts must be the ones an
// honest harness gives for the guide's overlay (see helpers/selftest/expectations.ts).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, readConfig } from "../helpers/config.ts";
import { errorText } from "../helpers/docker/client.ts";
import { STANDIN_IMAGES } from "../helpers/images/catalog.ts";
import type { ChecklistReport } from "../helpers/report/report.ts";
import { preflight, runChecklist } from "../helpers/run/checklist-run.ts";
import { checkExpectations, GUIDE_OVERLAY_EXPECTATIONS } from "../helpers/selftest/expectations.ts";

function vitest(project: string): Promise<number> {
  const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", project], { stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1))));
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
  const report = JSON.parse(readFileSync(path.join(config.reportDir, "checklist.json"), "utf8")) as ChecklistReport;
  console.log(`\nverdicts expected for the guide's overlay on ${report.librechat.image}:`);
  for (const result of checkExpectations(report, GUIDE_OVERLAY_EXPECTATIONS)) {
    const mark = result.ok ? "ok  " : "WRONG";
    console.log(`  ${mark} ${result.expectation.id}: expected ${result.expectation.status} (${result.expectation.why}); got ${result.seen}`);
    results.push({ name: `verdict ${result.expectation.id}`, ok: result.ok });
  }
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
