import type { HarnessConfig } from "../config.ts";
import { LABELS } from "../docker/labels.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import type { StartedLibreChatStack } from "../stack/started-stack.ts";
import { removeRun } from "../stack/teardown.ts";
import { configuredStack } from "./configured-stack.ts";
import { keepInstructions, markKept } from "./keep.ts";
import { harnessLog as log } from "./log.ts";
import type { PreparedRun } from "./prepare-run.ts";
import { rememberReusable } from "./reuse.ts";

export type Teardown = () => Promise<void>;

/**
 * Starts the run's stack as prepared (kept for the next run under HARNESS_REUSE), hands its
 * descriptor to `provide`, and returns what removes it after the suites. A container that fails
 * to start is reported by the suites.
 */
export async function startRunStack(config: HarnessConfig, prepared: PreparedRun, provide: (stack: StackDescriptor) => void): Promise<Teardown> {
  const { runId, checked, reuseHash } = prepared;
  const stackBuilder = configuredStack(config, checked.input, checked.catalog, runId);
  if (reuseHash) stackBuilder.withLabels({ [LABELS.configHash]: reuseHash });
  const stopOnSignal = removeOnSignal(runId);
  log(`starting run ${runId} (profile ${config.profile}, LibreChat ${checked.catalog.librechat.ref})`);
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
