// The upgrade path: the baseline's stack (configuredStack) with data left through the stubs,
// LibreChat replaced in place by the candidate on that data (replaceLibreChat: the same
// environment, secrets, networks and MongoDB/MeiliSearch), the rows; then the downgrade back to
// the baseline on the candidate's data, reported the same way, as information only.
import { readConfig } from "../config.ts";
import { lastLogLines } from "../docker/diagnostics.ts";
import { execIn } from "../docker/exec.ts";
import { newRunId } from "../docker/labels.ts";
import { onAbort } from "../run/abort.ts";
import { configuredStack } from "../run/configured-stack.ts";
import { preflight } from "../run/preflight.ts";
import type { StartedLibreChatStack } from "../stack/started-stack.ts";
import { removeRun } from "../stack/teardown.ts";
import type { Log } from "./prepare.ts";
import type { PreparedSide, SideName, UpgradeResult, UpgradeRow } from "./types.ts";
import { blockedRows, phaseRows, type Account, type PhaseInput } from "./upgrade-checks.ts";
import { worldOf, type Seeded, type World } from "./upgrade-clients.ts";
import { seedBaseline } from "./upgrade-seed.ts";

const MIGRATION_LINE = /migrat|index|schema/i;
const SEED_USERS = 2;

/** The new container's log lines that mention migrations, indexes or schemas (at most 20). */
export function migrationLines(logs: string): string[] {
  // eslint-disable-next-line no-control-regex -- LibreChat colours its log lines
  const plain = logs.replace(/\u001b\[[0-9;]*m/g, "");
  return plain.split("\n").filter((line) => MIGRATION_LINE.test(line)).slice(0, 20).map((line) => line.trim().slice(0, 240));
}

/** The version the running image's /app/package.json states. */
async function versionInside(containerId: string): Promise<string | undefined> {
  const result = await execIn(containerId, ["cat", "/app/package.json"], { timeoutMs: 30_000 }).catch(() => undefined);
  try {
    const version = (JSON.parse(result?.stdout ?? "") as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

interface Replaced {
  stack: StartedLibreChatStack;
  rows: UpgradeRow[];
  registered: Account | undefined;
  version: string | undefined;
  ok: boolean;
}

/** Replaces LibreChat with `to` on the stack's data and runs every row against it. */
async function replaceAndCheck(stack: StartedLibreChatStack, to: PreparedSide, phase: "upgrade" | "downgrade", input: (world: World) => PhaseInput, timeScale: number): Promise<Replaced> {
  const startedAt = Date.now();
  const replaced = await stack.replaceLibreChat(to.image, `the bump gate's ${phase}: ${to.name} ${to.version} (${to.origin})`);
  const took = ((Date.now() - startedAt) / 1000).toFixed(1);
  const title = phase === "upgrade" ? "The candidate starts on the baseline's data" : "The baseline starts again on the candidate's data";
  if (replaced.failure || !replaced.started) {
    const detail = `${to.image} (${to.version}) did not become ready within its start-up timeout, ${took} s after the replacement:\n${(replaced.failure ?? "no container").slice(0, 3000)}`;
    return { stack: replaced.stack, rows: [{ id: "starts-on-old-data", title, status: "fail", detail }, ...blockedRows(`${to.name} did not start on the old data`)], registered: undefined, version: undefined, ok: false };
  }
  const containerId = replaced.started.descriptor.containerId;
  const lines = migrationLines(await lastLogLines(containerId, 5000));
  const readiness = replaced.stack.descriptor.librechat.readinessRoute ? `${replaced.stack.descriptor.librechat.readinessRoute} answered 200 OK` : "/health (this version has no /readyz)";
  const shown = lines.length > 0 ? `${lines.length} of its log lines mention migrat/index/schema:\n${lines.map((l) => `  ${l}`).join("\n")}` : "no line of its log mentions migrat, index or schema";
  const startRow: UpgradeRow = { id: "starts-on-old-data", title, status: "pass", detail: `${to.image} (${to.version}) ready in ${took} s on the same MongoDB and MeiliSearch containers (readiness: ${readiness}); ${shown}` };
  const world = worldOf(replaced.stack.descriptor, timeScale);
  if (typeof world === "string") return { stack: replaced.stack, rows: [startRow, ...blockedRows(world)], registered: undefined, version: undefined, ok: false };
  const checked = await phaseRows(input(world));
  return { stack: replaced.stack, rows: [startRow, ...checked.rows], registered: checked.registered, version: await versionInside(containerId), ok: true };
}

function emptyResult(sides: Record<SideName, PreparedSide>, skipped: string, startedAt: number, seed: string[] = []): UpgradeResult {
  return { skipped, from: sides.baseline.image, to: sides.candidate.image, seed, upgrade: [], downgrade: [], timings: { startMs: 0, seedMs: 0, upgradeMs: 0, downgradeMs: 0 }, versionsInside: {}, durationMs: Date.now() - startedAt };
}

async function withStack(started: StartedLibreChatStack, sides: Record<SideName, PreparedSide>, timeScale: number, log: Log, t0: number): Promise<UpgradeResult> {
  const { baseline, candidate } = sides;
  const startMs = Date.now() - t0;
  if (started.descriptor.startFailure) return emptyResult(sides, `the baseline's stack did not start (${started.descriptor.startFailure.role}): ${started.descriptor.startFailure.message.slice(0, 1500)}`, t0);
  const world = worldOf(started.descriptor, timeScale);
  if (typeof world === "string") return emptyResult(sides, world, t0);
  log(`upgrade path: baseline stack ${started.runId} ready in ${(startMs / 1000).toFixed(1)} s; seeding ${SEED_USERS} users through the stubs`);
  const seedAt = Date.now();
  const seeded = await seedBaseline(world, SEED_USERS, `baseline ${baseline.version}`);
  if (!seeded.ok) return emptyResult(sides, `the baseline could not be given data to upgrade: ${seeded.why}`, t0, seeded.notes);
  const seedMs = Date.now() - seedAt;
  const users: Seeded[] = seeded.users;
  log(`upgrade path: ${users.length} users with conversations and searchable messages on ${baseline.version}; replacing LibreChat with the candidate ${candidate.image}`);
  const upAt = Date.now();
  const up = await replaceAndCheck(started, candidate, "upgrade", (w) => ({ world: w, accounts: users, seeded: users, tokens: users[0]!, era: `candidate ${candidate.version}` }), timeScale);
  const upgradeMs = Date.now() - upAt;
  log(`upgrade path: upgrade rows ${up.rows.map((r) => `${r.id} ${r.status}`).join(", ")}; downgrading to the baseline`);
  const downAt = Date.now();
  const accounts: Account[] = [...users, ...(up.registered ? [up.registered] : [])];
  const down = up.ok
    ? await replaceAndCheck(up.stack, baseline, "downgrade", (w) => ({ world: w, accounts, seeded: users, tokens: up.registered ?? users[1]!, era: `baseline ${baseline.version} after the downgrade` }), timeScale)
    : { rows: [{ id: "starts-on-old-data", title: "The baseline starts again on the candidate's data", status: "skip" as const, detail: "not tried: the candidate did not start" }], version: undefined };
  const downgradeMs = Date.now() - downAt;
  log(`upgrade path: downgrade rows ${down.rows.map((r) => `${r.id} ${r.status}`).join(", ")}`);
  const versionsInside: UpgradeResult["versionsInside"] = {};
  if (up.version) versionsInside.candidate = up.version;
  if (down.version) versionsInside.baseline = down.version;
  return { skipped: undefined, from: baseline.image, to: candidate.image, seed: seeded.notes, upgrade: up.rows, downgrade: down.rows, timings: { startMs, seedMs, upgradeMs, downgradeMs }, versionsInside, durationMs: Date.now() - t0 };
}

/** The whole upgrade path on a stack of its own, removed at the end and on abort. */
export async function runUpgradePath(sides: Record<SideName, PreparedSide>, log: Log): Promise<UpgradeResult> {
  const t0 = Date.now();
  const config = readConfig(sides.baseline.env);
  const { input, catalog } = await preflight(config, (line) => log(`upgrade path: ${line}`));
  const runId = newRunId();
  const release = onAbort(`the upgrade-path stack ${runId}`, () => removeRun(runId), (line) => log(line));
  try {
    log(`upgrade path: starting the baseline's stack ${runId} (${sides.baseline.image})`);
    const started = await configuredStack(config, input, catalog, runId).start();
    return await withStack(started, sides, config.timeScale, log, t0);
  } finally {
    const problems = await removeRun(runId);
    for (const problem of problems) log(`upgrade path cleanup: ${problem}`);
    release();
  }
}
