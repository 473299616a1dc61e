import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { readConfig } from "../config.ts";
import { LABELS } from "../docker/client.ts";
import { STACK_SUMMARY_FILE, summarize } from "../report/stack-summary.ts";
import { preflight } from "../run/checklist-run.ts";
import type { StackDescriptor } from "./descriptor.ts";
import { keepInstructions, markKept } from "./keep.ts";
import { newRunId } from "./run-id.ts";
import { configHash, findReusable, readStackFile, rememberReusable } from "./reuse.ts";
import { removeRun, sweepDeadRuns } from "./teardown.ts";
import { configuredStack } from "../run/stack-options.ts";

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackDescriptor;
  }
}

function log(line: string): void {
  process.stdout.write(`[harness] ${line}\n`);
}

/**
 * Starts the one stack of this run before any suite and removes it afterwards. Bad input
 * (configuration, compose files, images, ports, networks) stops the run here, before any
 * container starts; a container that fails to start is reported by the suites instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = readConfig();
  const provide = (stack: StackDescriptor): void => {
    mkdirSync(config.reportDir, { recursive: true });
    writeFileSync(path.join(config.reportDir, STACK_SUMMARY_FILE), `${JSON.stringify(summarize(stack), null, 2)}\n`);
    project.provide("stack", stack);
  };
  // A stack started and owned by another process (the fault matrix): use it, never remove it.
  if (process.env.HARNESS_STACK_FILE) {
    provide(readStackFile(process.env.HARNESS_STACK_FILE));
    return async () => undefined;
  }
  const runId = process.env.HARNESS_RUN_ID || newRunId();
  const { input, catalog } = await preflight(config, log);
  const swept = await sweepDeadRuns(runId);
  if (swept.removedRuns.length > 0) log(`removed leftovers of dead runs: ${swept.removedRuns.join(", ")}`);

  const stackBuilder = configuredStack(config, input, catalog, runId);
  let reuseHash: string | undefined;
  if (config.reuseStack) {
    const hash = await configHash(stackBuilder.configuration);
    const reusable = await findReusable(hash);
    if (reusable) {
      log(`HARNESS_REUSE: reusing run ${reusable.runId} (configuration ${hash})`);
      provide(reusable);
      return async () => undefined;
    }
    stackBuilder.withLabels({ [LABELS.configHash]: hash });
    reuseHash = hash;
  }
  let stop: () => Promise<void> = () => removeRun(runId).then(() => undefined);
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: removing run ${runId}`);
    void stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  log(`starting run ${runId} (profile ${config.profile}, LibreChat ${catalog.librechat.ref})`);
  const started = await stackBuilder.start();
  stop = () => started.stop();
  const stack = started.descriptor;
  if (stack.startFailure) log(`the stack did not start: ${stack.startFailure.role} failed; the suites report it`);
  else log(`stack ready in ${(stack.startDurationMs / 1000).toFixed(1)} s`);

  provide(stack);
  if (reuseHash && !stack.startFailure) {
    rememberReusable(reuseHash, stack);
    log(`HARNESS_REUSE: run ${runId} stays up for the next run with the same configuration`);
  }

  return async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (reuseHash && !stack.startFailure) return;
    if (config.keepOnFailure) {
      markKept(runId);
      log(keepInstructions(stack));
      return;
    }
    await stop();
  };
}
