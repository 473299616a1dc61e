import os from "node:os";
import { docker, errorText, LABELS } from "../docker/client.ts";
import { isKept } from "./keep.ts";

/** Reverse of the start order: stubs, LibreChat, internal services, the probe. */
const TEARDOWN_ORDER = ["sveltekit", "django", "librechat", "llm", "meilisearch", "mongodb", "probe"];

function rank(role: string | undefined): number {
  const index = TEARDOWN_ORDER.indexOf(role ?? "");
  return index === -1 ? -1 : index;
}

function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 404 || status === 409;
}

/** Removes every container, network and volume labelled with the run id, stubs first. */
export async function removeRun(runId: string): Promise<string[]> {
  const problems: string[] = [];
  const filter = { label: [`${LABELS.runId}=${runId}`] };
  const containers = await docker().listContainers({ all: true, filters: filter });
  containers.sort((a, b) => rank(a.Labels[LABELS.role]) - rank(b.Labels[LABELS.role]));
  // Stop order matters (the stubs first), removal of stopped containers can go in parallel.
  for (const info of containers) {
    await docker()
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .catch((error: unknown) => {
        if (!isGone(error)) problems.push(`container ${info.Names[0] ?? info.Id}: ${errorText(error)}`);
      });
  }
  for (const network of await docker().listNetworks({ filters: filter })) {
    await docker()
      .getNetwork(network.Id)
      .remove()
      .catch((error: unknown) => {
        if (!isGone(error)) problems.push(`network ${network.Name}: ${errorText(error)}`);
      });
  }
  const { Volumes: volumes } = await docker().listVolumes({ filters: filter });
  for (const volume of volumes ?? []) {
    await docker()
      .getVolume(volume.Name)
      .remove()
      .catch((error: unknown) => {
        if (!isGone(error)) problems.push(`volume ${volume.Name}: ${errorText(error)}`);
      });
  }
  return problems;
}

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

/**
 * Removes what dead runs left behind: runs of this host whose process is gone. Runs that are
 * alive, that belong to another host (a shared engine), or that were kept on purpose
 * (HARNESS_KEEP / HARNESS_REUSE) are left alone.
 */
export async function sweepDeadRuns(currentRunId: string): Promise<SweepResult> {
  const result: SweepResult = { removedRuns: [], liveRuns: [], keptRuns: [] };
  const runs = new Map<string, { pid: number; host: string; kept: boolean }>();
  const filter = { label: [LABELS.runId] };
  const containers = await docker().listContainers({ all: true, filters: filter });
  const networks = await docker().listNetworks({ filters: filter });
  const { Volumes: volumes } = await docker().listVolumes({ filters: filter });
  const labelSets = [
    ...containers.map((c) => c.Labels),
    ...networks.map((n) => n.Labels ?? {}),
    ...(volumes ?? []).map((v) => (v.Labels ?? {}) as Record<string, string>),
  ];
  for (const labels of labelSets) {
    const runId = labels[LABELS.runId];
    if (!runId || runId === currentRunId || runs.has(runId)) continue;
    runs.set(runId, {
      pid: Number(labels[LABELS.pid]),
      host: labels[LABELS.host] ?? "",
      kept: isKept(runId) || labels[LABELS.configHash] !== undefined,
    });
  }
  for (const [runId, run] of runs) {
    if (run.kept) result.keptRuns.push(runId);
    else if (run.host !== os.hostname() || (Number.isInteger(run.pid) && processAlive(run.pid))) result.liveRuns.push(runId);
    else {
      await removeRun(runId);
      result.removedRuns.push(runId);
    }
  }
  return result;
}
