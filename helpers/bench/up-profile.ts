// Where `npm run up` spends its time before the first container: each step of the preflight
// timed on its own in a fresh process (`node scripts/harness.mjs bench --profile-up`, so that
// first-call costs such as esbuild's service count), and what loading the harness's modules costs
// (each imported alone in a fresh Node).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { REPO_ROOT, type HarnessConfig } from "../config.ts";
import { assertDockerReachable, docker } from "../docker/client.ts";
import { buildFixture } from "../images/build.ts";
import { resolveImages } from "../images/catalog.ts";
import { imageProvenance } from "../images/version.ts";
import { checkBindSources, checkExternalNetworks, loadLibreChatInput } from "../run/compose-input.ts";
import { builtLibreChat } from "../run/preflight.ts";
import { median } from "./stats.ts";

export interface UpProfile {
  /** ms per step, in the order the preflight runs them (fixtures one by one). */
  steps: { step: string; ms: number }[];
}

async function step<T>(steps: UpProfile["steps"], name: string, work: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  steps.push({ step: name, ms: Math.round(performance.now() - t0) });
  return result;
}

/** The preflight's steps (helpers/run/preflight.ts), timed one by one; then the stack's own first step, the image's provenance. */
export async function profileUp(config: HarnessConfig, loadedMs: number): Promise<UpProfile> {
  const steps: UpProfile["steps"] = [{ step: "Node start and loading the bench's TypeScript", ms: Math.round(loadedMs) }];
  await step(steps, "Docker engine reachable", () => assertDockerReachable());
  const input = await step(steps, "compose input: load, merge, interpolate", () => loadLibreChatInput(config));
  await step(steps, "external networks and bind sources", async () => {
    await checkExternalNetworks(input.definition);
    checkBindSources(input);
  });
  const catalog = await step(steps, "image catalog", () => resolveImages(config, input.composeImages));
  // LIBRECHAT_BUILD=1: the checkout's inputs hashed, and the built image reused (or built).
  if (config.librechatBuild) catalog.librechat = await step(steps, "LibreChat build: inputs hashed, image looked up", () => builtLibreChat(config, () => undefined));
  const fixtures = new Set(["probe" as const, ...Object.values(catalog).flatMap((c) => (c.fixture ? [c.fixture] : []))]);
  for (const name of fixtures) await step(steps, `fixture ${name}: inputs checked (from the fixture cache, else bundled and hashed)`, () => buildFixture(name, config.fixtureBaseImage));
  const external = Object.values(catalog).filter((c) => !c.fixture);
  await step(steps, `external images present (${external.map((c) => c.role).join(", ") || "none"})`, () => Promise.all(external.map((c) => docker().getImage(c.ref).inspect())));
  await step(steps, "stack start: LibreChat image provenance", () => imageProvenance(catalog.librechat.ref));
  return { steps };
}

const LOADS: { what: string; specifier: string }[] = [
  { what: "bare Node (no import)", specifier: "" },
  { what: "dockerode", specifier: "dockerode" },
  { what: "testcontainers", specifier: "testcontainers" },
  { what: "esbuild", specifier: "esbuild" },
  { what: "yaml", specifier: "yaml" },
  { what: "helpers/run/clean.ts (npm run down)", specifier: "./helpers/run/clean.ts" },
  { what: "helpers/run/preflight.ts", specifier: "./helpers/run/preflight.ts" },
  { what: "helpers/run/up.ts (npm run up)", specifier: "./helpers/run/up.ts" },
];

/** Wall time of a fresh Node that imports one module and exits, median of `repeat`. */
export async function loadCosts(repeat = 3): Promise<{ what: string; ms: number }[]> {
  const run = promisify(execFile);
  const out: { what: string; ms: number }[] = [];
  for (const { what, specifier } of LOADS) {
    const times: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const code = specifier ? `await import(${JSON.stringify(specifier)})` : "";
      const t0 = performance.now();
      await run(process.execPath, ["--input-type=module", "-e", code], { cwd: REPO_ROOT });
      times.push(performance.now() - t0);
    }
    out.push({ what, ms: Math.round(median(times)) });
  }
  return out;
}
