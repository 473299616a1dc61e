import type { HarnessConfig } from "../config.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import { composeInputOf } from "./compose-input.ts";
import { configuredStack } from "./configured-stack.ts";
import type { Log } from "./log.ts";
import { preflight, type PreflightResult } from "./preflight.ts";
import { configHash, findReusable } from "./reuse.ts";
import { sweepDeadRuns } from "./sweep.ts";

/** Everything a checklist run decides before its stack starts; plain data, so `npm test` can hand it to vitest's process. */
export interface PreparedRun {
  runId: string;
  checked: PreflightResult;
  /** The compose input the suites read (compose-lint). */
  compose: { librechatDir: string; overlay: string };
  /** HARNESS_REUSE: the stack's configuration hash, and the kept stack with that hash that is still running. */
  reuseHash: string | undefined;
  reusable: StackDescriptor | undefined;
}

/**
 * The preflight (unless `checked` already holds its result), then, side by side, the sweep of dead
 * runs' leftovers (it never touches a kept stack) and, with HARNESS_REUSE, the look-up of a kept
 * stack with the same configuration hash.
 */
export async function prepareRun(config: HarnessConfig, runId: string, log: Log, checked?: PreflightResult): Promise<PreparedRun> {
  const result = checked ?? (await preflight(config, log));
  const configuration = configuredStack(config, result.input, result.catalog, runId).configuration;
  const reuseHash = config.reuseStack ? await configHash(configuration) : undefined;
  const [swept, reusable] = await Promise.all([sweepDeadRuns(runId), reuseHash ? findReusable(reuseHash) : undefined]);
  if (swept.removedRuns.length > 0) log(`removed leftovers of dead runs: ${swept.removedRuns.join(", ")}`);
  return { runId, checked: result, compose: composeInputOf(config), reuseHash, reusable };
}
