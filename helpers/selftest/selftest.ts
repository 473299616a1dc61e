// `npm run selftest [-- --real <sources> [--saturated]]`: the harness's own tests. Unit tests,
// then the Docker-backed self-tests, then the checklist: on the air-gapped stand-ins (the
// LibreChat double, v0.8.7 and v0.8.1), or, given LibreChat's sources, on real LibreChat built
// from them (the referee), with the fault matrix on real v0.8.7 and, with --saturated, the same
// checklist and fault matrix again on a host whose every core is busy. Every verdict must be the honest one.
import path from "node:path";
import { readConfig, type HarnessConfig } from "../config.ts";
import { STANDIN_IMAGES, withStandinImages } from "../images/catalog.ts";
import { preflight } from "../run/preflight.ts";
import { runVitest } from "../run/vitest.ts";
import { selftestBase } from "./base-image.ts";
import { doubleRuns, judgeReport, phase, type Result } from "./double-runs.ts";
import { realFaultMatrix, saturatedFaultMatrix, saturatedPass } from "./real-checks.ts";
import { realRuns, runReal } from "./real-runs.ts";
import { prepareRealLibreChats, type RealLibreChat } from "./real-sources.ts";

export interface SelftestOptions {
  /** A folder of librechat-<version>.tar.gz checkouts: build them and test real LibreChat. */
  realSources: string | undefined;
  /** Also run the checklist and the fault matrix on real v0.8.7 with every core busy, and compare the verdicts. */
  saturated: boolean;
}

export async function runSelftest(options: SelftestOptions): Promise<number> {
  // The stand-ins are chosen only through the image variables, as a user would choose any image.
  const given = readConfig();
  const base = await selftestBase(given.fixtureBaseImage, log);
  const env = withStandinImages({ ...process.env, ...(base ? { HARNESS_BASE_IMAGE: base } : {}) }, false);
  // The same configuration the children get through `env`.
  const config: HarnessConfig = { ...given, fixtureBaseImage: base, imageOverrides: { ...given.imageOverrides, ...STANDIN_IMAGES } };
  const results: Result[] = [];
  results.push({ name: "unit tests", ok: (await phase("unit tests (no Docker)", () => runVitest("unit", [], env))) === 0 });
  await phase("images and preflight", () => preflight(config));
  const reals = options.realSources ? await phase(`real LibreChat from ${options.realSources}`, () => prepareRealLibreChats(options.realSources!, config, log)) : [];
  results.push({ name: "docker self-tests", ok: (await phase("Docker-backed self-tests", () => runVitest("docker", [], env))) === 0 });
  if (reals.length === 0) results.push(...(await doubleRuns(config, env)));
  else results.push(...(await realChecks(config, env, reals, options.saturated)));
  const failed = results.filter((r) => !r.ok);
  for (const failure of failed) console.log(`  failed: ${failure.name}`);
  console.log(`selftest: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

const log = (line: string): void => console.log(`[selftest] ${line}`);

/** Real LibreChat is the referee: its conformance rows, its checklist table, its fault matrix, and the saturated pass. */
async function realChecks(config: HarnessConfig, env: NodeJS.ProcessEnv, reals: RealLibreChat[], saturated: boolean): Promise<Result[]> {
  const results: Result[] = [];
  const v087 = reals.find((r) => r.version === "v0.8.7");
  const v081 = reals.find((r) => r.version === "v0.8.1");
  if (v087) {
    // The v0.8.1 rows run on real v0.8.1 when it was built too; otherwise they skip, saying so.
    const versions = [v087, v081].filter((r) => r !== undefined).map((r) => r.version).join(" and ");
    const code = await phase(`conformance table on real ${versions}`, () =>
      runVitest("docker", ["fixtures/standins/librechat/src/conformance.docker.test.ts"], {
        ...env, LIBRECHAT_CONFORMANCE_IMAGE: v087.build.tag, ...(v081 ? { LIBRECHAT_CONFORMANCE_IMAGE_V081: v081.build.tag } : {}),
      }),
    );
    results.push({ name: `conformance on real ${versions}`, ok: code === 0 });
  }
  for (const run of realRuns(env, reals, config.reportDir)) {
    await phase(`checklist on ${run.label}`, () => runReal(config, run));
    results.push(...judgeReport(run.reportDir, run.label, run.expectations).map((r) => ({ ...r, name: `${run.name} ${r.name}` })));
  }
  if (v087) {
    results.push(await phase(`fault matrix on real ${v087.version}`, () => realFaultMatrix(env, v087, path.join(config.reportDir, `real-${v087.version}`))));
    if (saturated) {
      results.push(...(await phase(`checklist on real ${v087.version} with every core busy`, () => saturatedPass(config, env, v087))));
      results.push(...(await phase(`fault matrix on real ${v087.version} with every core busy`, () => saturatedFaultMatrix(config, env, v087))));
    }
  }
  return results;
}
