import type { TestProject } from "vitest/node";
import { readConfig, type HarnessConfig } from "../config.ts";
import { LABELS, newRunId } from "../docker/labels.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import type { StartedLibreChatStack } from "../stack/started-stack.ts";
import { removeRun } from "../stack/teardown.ts";
import { composeInputOf } from "./compose-input.ts";
import { configuredStack } from "./configured-stack.ts";
import { keepInstructions, markKept } from "./keep.ts";
import { harnessLog as log, preflight } from "./preflight.ts";
import "../report/provided.ts";
import { configHash, findReusable, readStackFile, rememberReusable } from "./reuse.ts";
import { sweepDeadRuns } from "./sweep.ts";

type Teardown = () => Promise<void>;

/**
 * Starts the one stack of this run before any suite and removes it afterwards. Bad input
 * (configuration, compose files, images, ports, networks) stops the run here, before any
 * container starts; a container that fails to start is reported by the suites instead.
 */
export default async function setup(project: TestProject): Promise<Teardown> {
  const config = readConfig();
  const provide = (stack: StackDescriptor): void => {
    project.provide("stack", stack);
    project.provide("run", { reportDir: config.reportDir, profile: stack.profile, compose: composeInputOf(config), jobSummaryFile: config.jobSummaryFile, timeScale: config.timeScale });
  };
  // A stack started and owned by another process (the fault matrix): use it, never remove it.
  if (config.stackFile) {
    provide(readStackFile(config.stackFile));
    return async () => undefined;
  }
  const runId = config.runId ?? newRunId();
  const { input, catalog } = await preflight(config, log);
  const swept = await sweepDeadRuns(runId);
  if (swept.removedRuns.length > 0) log(`removed leftovers of dead runs: ${swept.removedRuns.join(", ")}`);
  const stackBuilder = configuredStack(config, input, catalog, runId);
  const reuseHash = config.reuseStack ? await configHash(stackBuilder.configuration) : undefined;
  if (reuseHash) {
    const reusable = await findReusable(reuseHash);
    if (reusable) {
      log(`HARNESS_REUSE: reusing run ${reusable.runId} (configuration ${reuseHash})`);
      provide(reusable);
      return async () => undefined;
    }
    stackBuilder.withLabels({ [LABELS.configHash]: reuseHash });
  }
  const stopOnSignal = removeOnSignal(runId);
  log(`starting run ${runId} (profile ${config.profile}, LibreChat ${catalog.librechat.ref})`);
  const started = await stackBuilder.start();
  const stack = started.descriptor;
  if (stack.startFailure) log(`the stack did not start: ${stack.startFailure.role} failed; the suites report it`);
  else log(`stack ready in ${(stack.startDurationMs / 1000).toFixed(1)} s`);
  provide(stack);
  if (reuseHash && !stack.startFailure) {
    rememberReusable(reuseHash, stack);
    log(`HARNESS_REUSE: run ${runId} stays up for the next run with the same configuration`);
  }
  return teardown(config, started, reuseHash, stopOnSignal);
}

/** Ctrl-C or SIGTERM during the run: remove what it created, then exit as the signal asks. */
function removeOnSignal(runId: string): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: removing run ${runId}`);
    void removeRun(runId).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

function teardown(config: HarnessConfig, started: StartedLibreChatStack, reuseHash: string | undefined, stopOnSignal: () => void): Teardown {
  return async () => {
    stopOnSignal();
    if (reuseHash && !started.descriptor.startFailure) return;
    if (config.keepOnFailure) {
      markKept(started.runId);
      log(keepInstructions(started.descriptor));
      return;
    }
    await started.stop();
  };
}
