import type { HarnessConfig } from "../config.ts";
import { newRunId } from "../docker/labels.ts";
import { removeRun } from "../stack/teardown.ts";
import { forgetKept } from "./keep.ts";
import { harnessLog as log } from "./log.ts";
import { removeHandoff, writeHandoff } from "./preflight-handoff.ts";
import type { PreparedRun } from "./prepare-run.ts";
import { runVitest } from "./vitest.ts";

/**
 * Runs the checklist project once with the configuration's variables plus `extraEnv` (which must
 * describe the same configuration as `config`); resolves with vitest's exit code. Whatever
 * happens to vitest (failure, Ctrl-C), the run's containers are removed unless kept on purpose.
 * `prepared`: what this process already established for the run (its preflight, sweep and reuse
 * look-up, prepare-run.ts), handed to the global setup so that it does not do it all again.
 */
export async function runChecklist(config: HarnessConfig, extraEnv: NodeJS.ProcessEnv, vitestArgs: string[], prepared?: PreparedRun): Promise<number> {
  const runId = prepared?.runId ?? config.runId ?? newRunId();
  const env = { ...process.env, ...extraEnv, HARNESS_RUN_ID: runId };
  if (prepared) writeHandoff(config, env, prepared);
  // Ctrl-C reaches vitest too (same process group); this process waits and cleans up after it.
  const ignore = (): void => undefined;
  process.on("SIGINT", ignore);
  process.on("SIGTERM", ignore);
  const code = await runVitest("checklist", vitestArgs, env).finally(() => removeHandoff(runId));
  process.off("SIGINT", ignore);
  process.off("SIGTERM", ignore);
  if (code === 130) log(`interrupted: removing run ${runId}`);
  if (config.reuseStack) {
    // The global setup kept the stack for the next run with the same configuration.
  } else if (config.keepOnFailure && code !== 0) {
    log(`HARNESS_KEEP: run ${runId} stays up (commands above); remove it with npm run clean -- ${runId}`);
  } else {
    forgetKept(runId);
    for (const problem of await removeRun(runId)) console.error(`[harness] cleanup: ${problem}`);
  }
  return code;
}
