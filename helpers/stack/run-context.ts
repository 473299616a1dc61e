import { runLabels, type RunOwner } from "../docker/labels.ts";
import type { NetworkKey, StackDescriptor } from "./descriptor.ts";
import type { StackNetwork } from "./networks.ts";

/** What every service of one run shares: its owner (for labels), its networks and its startup timeout. */
export interface RunContext {
  owner: RunOwner;
  networks: Record<NetworkKey, StackNetwork>;
  /** Labels beyond the run's own (e.g. HARNESS_REUSE's configuration hash). */
  extraLabels: Record<string, string>;
  /** How long one service may take to become ready (already scaled by timeScale). */
  startupTimeoutMs: number;
  /** HARNESS_TIME_SCALE: the factor on every probe's own timeout. */
  timeScale: number;
}

export function labelsFor(run: RunContext, role: string): Record<string, string> {
  return runLabels(run.owner, role, run.extraLabels);
}

/** The run of a started stack, for containers added to it later (a suite's second LibreChat). */
export function runContextOf(stack: StackDescriptor, startupTimeoutMs: number, timeScale: number): RunContext {
  return { owner: { runId: stack.runId, pid: stack.ownerPid }, networks: stack.networks, extraLabels: {}, startupTimeoutMs: startupTimeoutMs * timeScale, timeScale };
}
