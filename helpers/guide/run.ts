// The guide's setup and checks, run for real with Compose v2 in the layout the guide assumes, against
// real LibreChat and the MongoDB/MeiliSearch stand-ins; every command recorded with its verdict.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { LABELS, runLabels } from "../docker/labels.ts";
import { DOCKER_PS, downCheck, GUIDE_CHECKS, NETWORK_LS, type GuideContext } from "./checks.ts";
import { runCheck, runStep, type CommandRecord } from "./record.ts";
import { sh, type ShellOptions } from "./shell.ts";
import { healthRecord, waitForLibreChat } from "./waits.ts";
import { createWorkspace, type GuideImages, type WorkspaceSource } from "./workspace.ts";

export interface GuideRunOptions {
  source: WorkspaceSource;
  images: GuideImages;
  stubs: { django: string; sveltekit: string };
  /** How long LibreChat may take to answer after `up` (default 300 s). */
  readyDeadlineMs?: number;
  log?: (line: string) => void;
}

export interface GuideRun {
  startedAt: string;
  durationMs: number;
  project: string;
  images: GuideImages;
  stubs: { django: string; sveltekit: string };
  source: WorkspaceSource;
  composeArgs: string;
  /** How the run differs from the guide's commands as written, and why. */
  deviations: string[];
  setup: CommandRecord[];
  checks: CommandRecord[];
  cleanup: CommandRecord[];
}

/** The names the guide's files and commands fix; a container of one of them that is not this run's blocks the run. */
export const FIXED_NAMES = ["librechat-api", "chat-mongodb", "chat-meilisearch", "django-dev", "frontend-dev"];
const COMPOSE_FILES = "-f docker-compose.yml -f ../../compose.librechat.yaml -f ../../compose.harness-images.yaml";
const SERVICES = "api mongodb meilisearch";

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const labelArgs = (labels: Record<string, string>): string => Object.entries(labels).map(([k, v]) => `--label ${quote(`${k}=${v}`)}`).join(" ");

export const DEVIATIONS = [
  "`docker compose` (the Compose v2 plugin) runs the guide's `docker-compose` commands.",
  "`-p lch-guide-<random>`: a throw-away project name instead of the overlay's `name: hestami-ai-librechat`.",
  "`-f ../../compose.harness-images.yaml` is added: the local images (LibreChat v0.8.7 as CI builds it, the MongoDB and MeiliSearch stand-ins), since nothing can be pulled here; LibreChat's host port on 127.0.0.1, chosen by Docker (a shared host may hold 3080; the container port stays 3080); the harness's labels on what Compose creates.",
  "`up -d --no-deps api mongodb meilisearch` instead of `up -d`: the images of rag_api, vectordb and admin-panel cannot be pulled here (so api's depends_on rag_api is not followed).",
  "django-dev and frontend-dev are the harness's Django and SvelteKit stubs, started as containers of those names on backend-dev (the guide assumes the application's own stack runs them).",
  "`docker network create backend-dev` carries the harness's labels, and the run removes the network at its end because it created it.",
];

/** Why the run cannot start here without touching what is not its own, or undefined. */
export async function guideBlocker(options: Pick<GuideRunOptions, "images" | "stubs">): Promise<string | undefined> {
  const cwd = process.cwd();
  const info = await sh("docker info --format '{{.ServerVersion}}'", { cwd });
  if (info.exitCode !== 0) return `no Docker engine: ${info.stderr.trim().split("\n")[0]}`;
  const compose = await sh("docker compose version --short", { cwd });
  if (compose.exitCode !== 0 || !/^v?2\./.test(compose.stdout.trim())) return `Compose v2 is not installed as \`docker compose\` (${(compose.stdout + compose.stderr).trim() || "no output"})`;
  for (const image of [options.images.librechat, options.images.mongodb, options.images.meilisearch, options.stubs.django, options.stubs.sveltekit]) {
    if ((await sh(`docker image inspect ${quote(image)} --format '{{.Id}}'`, { cwd })).exitCode !== 0) return `the image ${image} is not on this host (nothing can be pulled here; \`npm run images:build\` builds the stubs and stand-ins)`;
  }
  const network = await sh("docker network inspect backend-dev --format '{{.Id}} {{json .Labels}}'", { cwd });
  if (network.exitCode === 0) return `a backend-dev network exists that this run did not create (${network.stdout.trim()}); the test does not touch it`;
  const names = (await sh("docker ps -a --format '{{.Names}}'", { cwd })).stdout.split("\n");
  const taken = FIXED_NAMES.filter((n) => names.includes(n));
  if (taken.length > 0) return `containers named ${taken.join(", ")} exist (not this run's); the guide's fixed names would collide, and the test does not touch them`;
  return undefined;
}

interface RunState {
  run: GuideRun;
  shell: ShellOptions;
  ctx: GuideContext;
  labels: Record<string, string>;
  createdNetwork: boolean;
  startedStubs: string[];
  log: (line: string) => void;
}

class SetupFailed extends Error {}

function push(state: RunState, list: CommandRecord[], record: CommandRecord): CommandRecord {
  list.push(record);
  state.log(`${record.ran ? "ran" : "DID NOT RUN"} ${record.command}${record.matches === null ? "" : record.matches ? "  [matches the guide]" : "  [differs from the guide]"}`);
  if (list === state.run.setup && !record.ran) throw new SetupFailed(record.couldNotRun);
  return record;
}

async function networkSetup(state: RunState): Promise<void> {
  const before = await runStep("network-before", "Step 1: Verify", NETWORK_LS.command(state.ctx), state.shell, {
    guide: NETWORK_LS.guide,
    accept: (r) => r.exitCode === 0 || r.exitCode === 1,
    finding: (r) => (r.exitCode === 1 ? "not found: the guide says to create it" : "found"),
  });
  push(state, state.run.setup, before);
  if (before.exitCode === 0) throw new SetupFailed("backend-dev appeared after the preflight; the run does not touch it");
  const create = `docker network create ${labelArgs(state.labels)} backend-dev`;
  const created = await runStep("network-create", "Step 1: If not found, create it", create, state.shell, { guide: "docker network create backend-dev", deviation: "with the harness's labels" });
  state.createdNetwork = created.exitCode === 0;
  push(state, state.run.setup, created);
  push(state, state.run.checks, await runCheck(NETWORK_LS, state.ctx, state.shell));
}

async function stackSetup(state: RunState, options: GuideRunOptions): Promise<void> {
  const up = `docker compose ${state.ctx.composeArgs} up -d --no-deps ${SERVICES}`;
  push(state, state.run.setup, await runStep("compose-up", "Step 2: Start LibreChat with Network Extension (Development)", up, { ...state.shell, timeoutMs: 300_000 }, {
    guide: "docker-compose -f docker-compose.yml -f ../../compose.librechat.yaml up -d",
    deviation: "docker compose, -p, the images file, and only api mongodb meilisearch (--no-deps): see the deviations",
  }));
  const secrets = { LIBRECHAT_ENCRYPTION_KEY: randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_"), INTERNAL_API_TOKEN: randomBytes(16).toString("hex") };
  const common = `--network backend-dev ${labelArgs(state.labels)} -e LIBRECHAT_API_URL=http://librechat-api:3080 -e INTERNAL_API_TOKEN`;
  const stubs = [
    { name: "django-dev", run: `docker run -d --name django-dev ${common} -e LIBRECHAT_ENCRYPTION_KEY ${quote(options.stubs.django)}` },
    { name: "frontend-dev", run: `docker run -d --name frontend-dev ${common} -e DJANGO_API_URL=http://django-dev:8050 ${quote(options.stubs.sveltekit)}` },
  ];
  for (const stub of stubs) {
    const record = await runStep(`start-${stub.name}`, "the guide's Django/SvelteKit containers, as the harness's stubs (not in the guide)", stub.run, { ...state.shell, env: secrets });
    if (record.exitCode === 0) state.startedStubs.push(stub.name);
    push(state, state.run.setup, record);
  }
  push(state, state.run.setup, await waitForLibreChat(state.shell, options.readyDeadlineMs ?? 300_000));
  push(state, state.run.setup, await runStep("stubs-running", "the stubs still run (not in the guide)", "docker inspect --format '{{.Name}} {{.State.Status}}' django-dev frontend-dev", state.shell, {
    accept: (r) => r.exitCode === 0 && r.stdout.split("\n").filter((l) => l.endsWith(" running")).length === 2,
  }));
  const address = await sh("docker inspect --format '{{(index .NetworkSettings.Networks \"backend-dev\").IPAddress}}' librechat-api", state.shell);
  state.ctx.librechatAddress = address.stdout.trim() || undefined;
}

async function checks(state: RunState): Promise<void> {
  for (const check of GUIDE_CHECKS) push(state, state.run.checks, await runCheck(check, state.ctx, state.shell));
  push(state, state.run.checks, await healthRecord(state.shell));
  push(state, state.run.checks, await runCheck(DOCKER_PS, state.ctx, state.shell));
  push(state, state.run.checks, await runCheck(downCheck(), state.ctx, { ...state.shell, timeoutMs: 180_000 }));
}

/** Removes everything the run created, whatever happened before; each removal is recorded. */
async function cleanup(state: RunState, root: string): Promise<void> {
  const where = "cleanup (not in the guide)";
  const steps = [`docker compose ${state.ctx.composeArgs} down -v --remove-orphans`];
  if (state.startedStubs.length > 0) steps.push(`docker rm -f ${state.startedStubs.join(" ")}`);
  if (state.createdNetwork) steps.push(`docker network rm backend-dev`);
  for (const command of steps) state.run.cleanup.push(await runStep("cleanup", where, command, { ...state.shell, timeoutMs: 180_000 }));
  const filter = `--filter label=${LABELS.runId}=${state.run.project}`;
  const left = `docker ps -aq ${filter}; docker network ls -q ${filter}; docker volume ls -q ${filter}`;
  state.run.cleanup.push(await runStep("nothing-left", where, left, state.shell, { accept: (r) => r.exitCode === 0 && r.stdout.trim() === "", finding: (r) => (r.stdout.trim() === "" ? "nothing labelled with the run's id is left" : "left behind") }));
  rmSync(root, { recursive: true, force: true });
}

/** Runs the guide's setup, checks and `down`, then removes everything it created, also when a step fails. */
export async function runGuideCommands(options: GuideRunOptions): Promise<GuideRun> {
  const started = Date.now();
  const project = `lch-guide-${randomBytes(4).toString("hex")}`;
  const labels = runLabels({ runId: project, pid: process.pid }, "guide-commands");
  const workspace = createWorkspace(options.source, options.images, labels);
  const composeArgs = `-p ${project} ${COMPOSE_FILES}`;
  const run: GuideRun = { startedAt: new Date(started).toISOString(), durationMs: 0, project, images: options.images, stubs: options.stubs, source: options.source, composeArgs, deviations: DEVIATIONS, setup: [], checks: [], cleanup: [] };
  const state: RunState = { run, shell: { cwd: workspace.librechatDir }, ctx: { composeArgs, project, librechatAddress: undefined }, labels, createdNetwork: false, startedStubs: [], log: options.log ?? (() => {}) };
  try {
    await networkSetup(state);
    await stackSetup(state, options);
    await checks(state);
  } catch (error) {
    if (!(error instanceof SetupFailed)) throw error;
  } finally {
    await cleanup(state, workspace.root);
    run.durationMs = Date.now() - started;
  }
  return run;
}
