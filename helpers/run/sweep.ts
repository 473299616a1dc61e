import os from "node:os";
import { docker } from "../docker/client.ts";
import { LABELS } from "../docker/labels.ts";
import { removeRun } from "../stack/teardown.ts";
import { isKept } from "./keep.ts";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface SweepResult {
  removedRuns: string[];
  liveRuns: string[];
  keptRuns: string[];
}

interface RunSeen {
  pids: Set<number>;
  host: string;
  kept: boolean;
}

/** Every run id with a labelled resource on this engine, with the owners its labels name. */
async function runsOnEngine(currentRunId: string): Promise<Map<string, RunSeen>> {
  const filter = { label: [LABELS.runId] };
  const [containers, networks, { Volumes: volumes }] = await Promise.all([
    docker().listContainers({ all: true, filters: filter }),
    docker().listNetworks({ filters: filter }),
    docker().listVolumes({ filters: filter }),
  ]);
  const labelSets = [...containers.map((c) => c.Labels), ...networks.map((n) => n.Labels ?? {}), ...(volumes ?? []).map((v) => (v.Labels ?? {}) as Record<string, string>)];
  const runs = new Map<string, RunSeen>();
  for (const labels of labelSets) {
    const runId = labels[LABELS.runId];
    if (!runId || runId === currentRunId) continue;
    const run = runs.get(runId) ?? { pids: new Set<number>(), host: labels[LABELS.host] ?? "", kept: isKept(runId) };
    run.pids.add(Number(labels[LABELS.pid]));
    run.kept ||= labels[LABELS.configHash] !== undefined;
    runs.set(runId, run);
  }
  return runs;
}

/**
 * Removes what dead runs left behind: runs of this host none of whose owner processes is alive.
 * Runs that are alive, that belong to another host (a shared engine), or that were kept on
 * purpose (HARNESS_KEEP / HARNESS_REUSE) are left alone.
 */
export async function sweepDeadRuns(currentRunId: string): Promise<SweepResult> {
  const result: SweepResult = { removedRuns: [], liveRuns: [], keptRuns: [] };
  for (const [runId, run] of await runsOnEngine(currentRunId)) {
    if (run.kept) result.keptRuns.push(runId);
    else if (run.host !== os.hostname() || [...run.pids].some((pid) => Number.isInteger(pid) && processAlive(pid))) result.liveRuns.push(runId);
    else {
      await removeRun(runId);
      result.removedRuns.push(runId);
    }
  }
  return result;
}
