// `npm run bench [-- --pairs N]`: the harness side by side with `docker compose up -d --wait` on
// an equivalent compose file (compose-equivalent.ts), in alternating pairs, each command timed
// as a whole process; then whole checklist runs (per suite, per worker count), a warm re-run with
// HARNESS_REUSE=1, three runs at once, peak RSS and each container's memory. Writes
// reports/bench.json and reports/bench.md, prints each target as met or missed, and removes
// everything it started, also on Ctrl-C and on failure. Speed is measured here, never in a timed test.
import { appendFileSync, chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { detectComposeCli } from "../compose/compose-cli.ts";
import { ConfigError, REPO_ROOT, type HarnessConfig } from "../config.ts";
import { imageVersion } from "../images/version.ts";
import { onAbort } from "../run/abort.ts";
import { preflight } from "../run/preflight.ts";
import { librechatYaml } from "../stack/librechat-yaml.ts";
import { generateSecrets } from "../stack/secrets.ts";
import { checklistRun, parallelRuns, warmRerun } from "./checklist-runs.ts";
import { composeEquivalent, composeYaml } from "./compose-equivalent.ts";
import { benchMarkdown } from "./markdown.ts";
import { runPairs, type BenchContext } from "./pairs.ts";
import { medianUpPhases, medianWaves, sideBySide, targetsOf, type BenchResults } from "./results.ts";
import { median } from "./stats.ts";
import { benchLog as log, timed } from "./timed.ts";
import { loadCosts, type UpProfile } from "./up-profile.ts";

export interface BenchOptions {
  pairs: number;
  /** Only the side-by-side pairs (a quick look while developing). */
  skipChecklist: boolean;
  /** Exit 1 when a target is missed (by default only a bench that could not measure fails). */
  strict: boolean;
}

/**
 * The whole checklist on a fresh stack: as configured (the checklist project's maxWorkers: two per core, 4 to 16),
 * with `--maxWorkers=2` passed through `npm test` to vitest, and with VITEST_MAX_WORKERS=2 and 4:
 * vitest 4 applies no --maxWorkers flag to a project that sets its own, the variable it does.
 */
const CHECKLIST_RUNS: { name: string; args: string[]; env: NodeJS.ProcessEnv }[] = [
  { name: "checklist", args: [], env: {} },
  { name: "checklist-cli-w2", args: ["--maxWorkers=2"], env: {} },
  { name: "checklist-env-w2", args: [], env: { VITEST_MAX_WORKERS: "2" } },
  { name: "checklist-env-w4", args: [], env: { VITEST_MAX_WORKERS: "4" } },
];

/** Variables of the bench's own process that must not reach the commands it measures. */
const PRIVATE_ENV = ["HARNESS_RUN_ID", "HARNESS_REUSE", "HARNESS_KEEP", "HARNESS_STACK_FILE", "GITHUB_STEP_SUMMARY", "VITEST_MAX_WORKERS"];

/** The generated compose file (with its secrets, this user only) and a redacted copy in the reports. */
async function prepare(config: HarnessConfig): Promise<{ ctx: BenchContext; images: Record<string, string>; workDir: string }> {
  const cli = await detectComposeCli();
  if (cli?.kind !== "v2") {
    throw new ConfigError("npm run bench compares with `docker compose up -d --wait`, which needs Compose v2 (the docker CLI plugin); install it (scripts/ci/install-compose.sh) and run the bench again.");
  }
  const { input, catalog } = await preflight(config, (line) => log(line));
  const workDir = path.join(REPO_ROOT, ".harness", "bench", `${process.pid}`);
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const librechatYamlFile = path.join(workDir, "librechat.yaml");
  writeFileSync(librechatYamlFile, librechatYaml());
  chmodSync(librechatYamlFile, 0o644);
  const secrets = generateSecrets();
  const model = composeEquivalent({ config, input, images: catalog, secrets, librechatYamlFile });
  const composeFile = path.join(workDir, "compose.yaml");
  writeFileSync(composeFile, composeYaml(model), { mode: 0o600 });
  mkdirSync(config.reportDir, { recursive: true });
  writeFileSync(path.join(config.reportDir, "bench.compose.yaml"), composeYaml(model, secrets));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !PRIVATE_ENV.includes(name)));
  const logDir = path.join(config.reportDir, "bench");
  rmSync(logDir, { recursive: true, force: true });
  const images = Object.fromEntries(Object.entries(catalog).map(([role, c]) => [role, c.ref]));
  return { ctx: { env, compose: cli.argv, composeFile, logDir }, images, workDir };
}

/** `bench --profile-up` three times, each in a fresh process; the median of each step. */
async function upProfile(ctx: BenchContext): Promise<UpProfile["steps"]> {
  const runs: UpProfile["steps"][] = [];
  for (let i = 1; i <= 3; i++) {
    const run = await timed([process.execPath, "scripts/harness.mjs", "bench", "--profile-up"], { env: ctx.env, log: path.join(ctx.logDir, `profile-up-${i}.log`) });
    const json = run.lines.map((l) => l.text).find((t) => t.startsWith("{\"steps\""));
    if (run.exitCode !== 0 || !json) throw new Error(`bench --profile-up failed (exit ${run.exitCode}); see ${run.log}`);
    runs.push((JSON.parse(json) as UpProfile).steps);
  }
  return runs[0]!.map((first, index) => ({ step: first.step, ms: Math.round(median(runs.map((r) => r[index]?.ms ?? Number.NaN))) }));
}

async function measure(config: HarnessConfig, options: BenchOptions, ctx: BenchContext, images: Record<string, string>): Promise<BenchResults> {
  log("where npm run up spends its time before the first container (3 fresh processes)");
  const profile = await upProfile(ctx);
  const loads = await loadCosts();
  log(`${options.pairs} alternating pair(s): harness up/down and docker compose up -d --wait/down`);
  const pairs = await runPairs(ctx, options.pairs);
  const checklist = [];
  let warm: BenchResults["warm"];
  let parallel: BenchResults["parallel"];
  if (!options.skipChecklist) {
    for (const run of CHECKLIST_RUNS) checklist.push(await checklistRun(ctx, run.name, run.args, run.env));
    log("warm re-run: HARNESS_REUSE=1, twice");
    warm = await warmRerun(ctx);
    log("3 checklist runs at once");
    parallel = await parallelRuns(ctx, 3);
  }
  const first = pairs[0]!;
  const results: Omit<BenchResults, "targets"> = {
    generatedAt: new Date().toISOString(),
    host: { cpus: os.cpus().length, loadAverage: os.loadavg() },
    images,
    librechatVersion: await imageVersion(images.librechat ?? ""),
    pairs: pairs.length,
    stackUp: sideBySide(pairs, (side) => side.upMs),
    teardown: sideBySide(pairs, (side) => side.downMs),
    upPhases: medianUpPhases(pairs),
    waves: { harness: medianWaves(pairs, "harness"), compose: medianWaves(pairs, "compose") },
    upProfile: profile,
    loadCosts: loads,
    memory: first.memory ?? { harness: [], compose: [] },
    upRss: { harness: first.harness.upRss, compose: first.compose.upRss },
    checklist, warm, parallel,
    pairDetails: pairs,
  };
  return { ...results, targets: targetsOf(results) };
}

function write(config: HarnessConfig, results: BenchResults): void {
  const markdown = benchMarkdown(results);
  writeFileSync(path.join(config.reportDir, "bench.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(config.reportDir, "bench.md"), markdown);
  if (config.jobSummaryFile) appendFileSync(config.jobSummaryFile, `${markdown}\n`);
  process.stdout.write(`\n${markdown}\n`);
  for (const t of results.targets) log(`target ${t.met ? "met   " : "MISSED"} ${t.what}: ${t.value} (limit ${t.limit})`);
  log(`reports: ${path.relative(process.cwd(), path.join(config.reportDir, "bench.md"))}, bench.json, bench.compose.yaml; each command's output under ${path.relative(process.cwd(), path.join(config.reportDir, "bench"))}/`);
}

export async function runBench(config: HarnessConfig, options: BenchOptions): Promise<number> {
  const { ctx, images, workDir } = await prepare(config);
  const forget = onAbort("the bench's compose file", async () => rmSync(workDir, { recursive: true, force: true }), log);
  try {
    const results = await measure(config, options, ctx, images);
    write(config, results);
    return options.strict && results.targets.some((t) => !t.met) ? 1 : 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    forget();
  }
}
