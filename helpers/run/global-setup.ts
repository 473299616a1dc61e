import type { TestProject } from "vitest/node";
import { readConfig, type HarnessConfig } from "../config.ts";
import { newRunId } from "../docker/labels.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import { harnessLog as log } from "./log.ts";
import { readHandoff } from "./preflight-handoff.ts";
import "../report/provided.ts";
import type { Teardown } from "./run-stack.ts";

// Only what every run needs is imported here: a warm re-run whose wrapper found the kept stack
// provides it at once, and never loads the stack library, the compose loader or Testcontainers
// into vitest's process (about half a second of its start). The rest is imported when needed.

/**
 * Starts the one stack of this run before any suite and removes it afterwards. Bad input
 * (configuration, compose files, images, ports, networks) stops the run before any container
 * starts: in `npm test`'s own preflight, whose result (prepare-run.ts) is handed over here, or
 * here when vitest was started some other way; a container that fails to start is reported by
 * the suites instead.
 */
export default async function setup(project: TestProject): Promise<Teardown> {
  const config = readConfig();
  // A stack started and owned by another process (the fault matrix): use it, never remove it.
  if (config.stackFile) {
    const { readStackFile } = await import("./reuse.ts");
    const { composeInputOf } = await import("./compose-input.ts");
    provideRun(project, config, readStackFile(config.stackFile), composeInputOf(config));
    return async () => undefined;
  }
  const runId = config.runId ?? newRunId();
  const prepared = readHandoff(config, process.env, log) ?? (await (await import("./prepare-run.ts")).prepareRun(config, runId, log));
  if (prepared.reuseHash && prepared.reusable) {
    log(`HARNESS_REUSE: reusing run ${prepared.reusable.runId} (configuration ${prepared.reuseHash})`);
    provideRun(project, config, prepared.reusable, prepared.compose);
    return async () => undefined;
  }
  const { startRunStack } = await import("./run-stack.ts");
  return startRunStack(config, prepared, (stack) => provideRun(project, config, stack, prepared.compose));
}

function provideRun(project: TestProject, config: HarnessConfig, stack: StackDescriptor, compose: { librechatDir: string; overlay: string }): void {
  project.provide("stack", stack);
  project.provide("run", { reportDir: config.reportDir, profile: stack.profile, compose, jobSummaryFile: config.jobSummaryFile, timeScale: config.timeScale });
}
