import type { ServiceDefinition } from "../compose/service-definition.ts";
import { docker } from "../docker/client.ts";
import { mountDeviation, planMount, type Deviation, type PlannedMount } from "./deviations.ts";

/** The compose fields every role carries over as Compose would: its command, user, extra hosts, restart policy and volumes. */
export type ComposeFields = Pick<ServiceDefinition, "serviceName" | "command" | "user" | "unusableUser" | "extraHosts" | "restart" | "volumes">;

/** The mounts of a service in a run, and the per-run volumes to create before it starts. */
export function plannedMounts(fields: ComposeFields, runId: string, role: string): PlannedMount[] {
  return fields.volumes.map((volume, index) => planMount(volume, `${runId}-${role}-${index}`));
}

export function composeDeviations(fields: ComposeFields, mounts: PlannedMount[]): Deviation[] {
  const deviations = mounts.map((m) => mountDeviation(fields.serviceName, m)).filter((d): d is Deviation => d !== undefined);
  return deviations;
}

/** Docker's HostConfig.Mounts for the planned mounts. */
export function dockerMounts(mounts: PlannedMount[]): { Type: "bind" | "volume" | "tmpfs"; Source: string; Target: string; ReadOnly: boolean }[] {
  return mounts.map((m) =>
    m.kind === "tmpfs" ? { Type: "tmpfs", Source: "", Target: m.target, ReadOnly: false } : { Type: m.kind, Source: m.kind === "bind" ? m.source : m.name, Target: m.target, ReadOnly: m.readOnly },
  );
}

/** Creates the run's labelled volumes (Docker would create unlabelled ones on its own, which no cleanup finds). */
export async function createVolumes(mounts: PlannedMount[], labels: Record<string, string>): Promise<void> {
  await Promise.all(mounts.filter((m) => m.kind === "volume").map((m) => docker().createVolume({ Name: m.name, Labels: labels })));
}

/** Docker's RestartPolicy for a compose `restart:` value. */
export function restartPolicy(restart: string): { Name: string; MaximumRetryCount?: number } {
  const [name, count] = restart.split(":");
  return name === "on-failure" && count ? { Name: name, MaximumRetryCount: Number(count) } : { Name: name === "no" ? "" : (name ?? "") };
}
