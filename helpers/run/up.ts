// `npm run up` and `npm run down -- <run-id>`: the harness's stack as a user-facing command, like
// `docker compose up -d --wait` and `docker compose down`. `up` runs the preflight, starts the
// configured stack, marks it kept (so later runs' sweeper leaves it alone), prints its run id and
// the guide's commands, and exits 0 once every service is ready; a start that fails exits 1 with
// the failure and removes what it started. `npm run down` (scripts/down.ts) is `npm run clean` with
// run ids required, and loads only clean.ts, not the stack library.
import type { HarnessConfig } from "../config.ts";
import { newRunId } from "../docker/labels.ts";
import { removeRun } from "../stack/teardown.ts";
import { onAbort } from "./abort.ts";
import { configuredStack } from "./configured-stack.ts";
import { keepInstructions, markKept } from "./keep.ts";
import { harnessLog, type Log } from "./log.ts";
import { preflight } from "./preflight.ts";

/** The line `up` ends with; the bench reads its phases from it. */
export const UP_READY = /^\[harness\] up: run (\S+) ready in ([\d.]+) s \(loading ([\d.]+) s, preflight ([\d.]+) s, stack start ([\d.]+) s\)/;

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/**
 * Starts the configured stack and leaves it up. `loadedMs`: how long the process took to get here
 * (Node's start and loading the harness's TypeScript), for the closing line's phases.
 */
export async function up(config: HarnessConfig, loadedMs: number, log: Log = harnessLog): Promise<number> {
  const runId = config.runId ?? newRunId();
  const preflightAt = performance.now();
  const { input, catalog } = await preflight(config, log);
  const startAt = performance.now();
  // Ctrl-C while it starts: remove what was started, as `docker compose up` leaves no half stack.
  const forget = onAbort(`run ${runId}`, () => removeRun(runId));
  log(`starting run ${runId} (profile ${config.profile}, LibreChat ${catalog.librechat.ref})`);
  const started = await configuredStack(config, input, catalog, runId).start();
  const failure = started.descriptor.startFailure;
  if (failure) {
    process.stderr.write(`[harness] up: the stack did not start: ${failure.role} failed:\n${failure.message}\n`);
    const problems = await started.stop();
    forget();
    for (const problem of problems) process.stderr.write(`[harness] cleanup: ${problem}\n`);
    log(`removed run ${runId}`);
    return 1;
  }
  markKept(runId);
  forget();
  const endAt = performance.now();
  log(keepInstructions(started.descriptor).replace(/^HARNESS_KEEP: /, ""));
  log(`or: npm run down -- ${runId}`);
  const total = loadedMs + endAt - preflightAt;
  log(`up: run ${runId} ready in ${seconds(total)} s (loading ${seconds(loadedMs)} s, preflight ${seconds(startAt - preflightAt)} s, stack start ${seconds(endAt - startAt)} s)`);
  return 0;
}
