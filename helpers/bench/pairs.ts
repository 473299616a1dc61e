// The side-by-side part of the bench: in each pair, the harness's `up` and `down` and Compose's
// `up -d --wait` and `down` on the equivalent file, each timed as a whole process; the order
// alternates from pair to pair so that neither side always runs on a warmer host.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { LABELS, newRunId, runFilter } from "../docker/labels.ts";
import { onAbort } from "../run/abort.ts";
import { UP_READY } from "../run/up.ts";
import { countRunResources, removeRun } from "../stack/teardown.ts";
import { BENCH_ROLE_LABEL } from "./compose-equivalent.ts";
import { containerMemory, containerTimeline, removeComposeProject, type ContainerMemory, type ContainerTimes } from "./docker-facts.ts";
import type { RssPeak } from "./rss.ts";
import { benchLog as log, firstLine, tail, timed, type TimedRun } from "./timed.ts";

export interface BenchContext {
  /** The environment every command of the bench runs with. */
  env: NodeJS.ProcessEnv;
  /** How Compose v2 is run here (`docker compose`, or a standalone `docker-compose` v2). */
  compose: string[];
  composeFile: string;
  /** Where each command's output goes. */
  logDir: string;
}

export interface SideResult {
  upMs: number;
  downMs: number;
  /** The harness's own account of `up`: Node and TypeScript loading, preflight, stack start. */
  upPhases: { loadingMs: number; preflightMs: number; startMs: number } | undefined;
  timeline: ContainerTimes[];
  /** Compose only: when its output said each service was healthy (ms after spawn). */
  healthyMs: Record<string, number>;
  upRss: RssPeak | undefined;
}

export interface PairResult {
  index: number;
  order: ("harness" | "compose")[];
  harness: SideResult;
  compose: SideResult;
  memory: { harness: ContainerMemory[]; compose: ContainerMemory[] } | undefined;
}

function mustSucceed(run: TimedRun, what: string): TimedRun {
  if (run.exitCode !== 0) throw new Error(`${what} failed (exit ${run.exitCode}); output in ${run.log}:\n${tail(run)}`);
  return run;
}

function upPhases(run: TimedRun): SideResult["upPhases"] {
  const m = firstLine(run, UP_READY)?.match;
  return m ? { loadingMs: Number(m[3]) * 1000, preflightMs: Number(m[4]) * 1000, startMs: Number(m[5]) * 1000 } : undefined;
}

async function harnessSide(ctx: BenchContext, index: number, withMemory: boolean): Promise<{ side: SideResult; memory: ContainerMemory[] }> {
  const runId = newRunId();
  const forget = onAbort(`run ${runId}`, () => removeRun(runId), log);
  const logOf = (step: string) => path.join(ctx.logDir, `pair-${index}-harness-${step}.log`);
  const up = mustSucceed(await timed([process.execPath, "scripts/harness.mjs", "up"], { env: { ...ctx.env, HARNESS_RUN_ID: runId }, log: logOf("up"), sampleRss: true }), "npm run up");
  const timeline = await containerTimeline(runFilter(runId), LABELS.role, up.spawnedAt);
  const memory = withMemory ? await containerMemory(runFilter(runId), LABELS.role) : [];
  const down = mustSucceed(await timed([process.execPath, "scripts/harness.mjs", "down", runId], { env: ctx.env, log: logOf("down") }), `npm run down -- ${runId}`);
  const left = await countRunResources(runId);
  if (left.containers + left.networks + left.volumes > 0) throw new Error(`npm run down -- ${runId} left ${JSON.stringify(left)}`);
  forget();
  return { side: { upMs: up.durationMs, downMs: down.durationMs, upPhases: upPhases(up), timeline, healthyMs: {}, upRss: up.rss }, memory };
}

/** When Compose's output first said each container was healthy (its last wait says so again). */
function healthyTimes(run: TimedRun, project: string): Record<string, number> {
  const out: Record<string, number> = {};
  const pattern = new RegExp(`Container ${project}-(\\S+)-\\d+\\s+Healthy`);
  for (const line of run.lines) {
    const service = pattern.exec(line.text)?.[1];
    if (service && out[service] === undefined) out[service] = line.atMs;
  }
  return out;
}

async function composeSide(ctx: BenchContext, index: number, withMemory: boolean): Promise<{ side: SideResult; memory: ContainerMemory[] }> {
  const project = `lchbench-${randomBytes(3).toString("hex")}-${index}`;
  const compose = [...ctx.compose, "-p", project, "-f", ctx.composeFile];
  const logOf = (step: string) => path.join(ctx.logDir, `pair-${index}-compose-${step}.log`);
  // Ctrl-C or a failure: force-remove by Compose's own project label (no second Compose process to interrupt).
  const forget = onAbort(`compose project ${project}`, () => removeComposeProject(project), log);
  const filters = { label: [`com.docker.compose.project=${project}`] };
  const up = mustSucceed(await timed([...compose, "up", "-d", "--wait"], { env: ctx.env, log: logOf("up"), sampleRss: true }), "docker compose up -d --wait");
  const timeline = await containerTimeline(filters, BENCH_ROLE_LABEL, up.spawnedAt);
  const memory = withMemory ? await containerMemory(filters, BENCH_ROLE_LABEL) : [];
  const down = mustSucceed(await timed([...compose, "down", "-v"], { env: ctx.env, log: logOf("down") }), "docker compose down -v");
  await removeComposeProject(project);
  forget();
  return { side: { upMs: up.durationMs, downMs: down.durationMs, upPhases: undefined, timeline, healthyMs: healthyTimes(up, project), upRss: up.rss }, memory };
}

/** `pairs` alternating pairs; the first pair also records each container's memory once its stack is up. */
export async function runPairs(ctx: BenchContext, pairs: number): Promise<PairResult[]> {
  const results: PairResult[] = [];
  for (let index = 1; index <= pairs; index++) {
    const order: PairResult["order"] = index % 2 === 1 ? ["harness", "compose"] : ["compose", "harness"];
    const withMemory = index === 1;
    const sides: Partial<Record<"harness" | "compose", { side: SideResult; memory: ContainerMemory[] }>> = {};
    for (const side of order) sides[side] = side === "harness" ? await harnessSide(ctx, index, withMemory) : await composeSide(ctx, index, withMemory);
    const harness = sides.harness!;
    const compose = sides.compose!;
    results.push({ index, order, harness: harness.side, compose: compose.side, memory: withMemory ? { harness: harness.memory, compose: compose.memory } : undefined });
    const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    log(`pair ${index}/${pairs} (${order.join(" first, ")} second): up harness ${fmt(harness.side.upMs)} / compose ${fmt(compose.side.upMs)}; down harness ${fmt(harness.side.downMs)} / compose ${fmt(compose.side.downMs)}`);
  }
  return results;
}
