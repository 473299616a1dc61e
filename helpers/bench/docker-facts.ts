// What Docker says about a started stack, for the bench: when each container was created and
// started (on the run's timeline), and how much memory each uses once the stack is up.
import { docker } from "../docker/client.ts";

export interface ContainerTimes {
  role: string;
  /** ms after the command's spawn */
  createdMs: number;
  startedMs: number;
}

export interface ContainerMemory {
  role: string;
  name: string;
  memoryMiB: number;
}

export type Filters = { label: string[] };

/** Each container's create and start time, relative to `spawnedAt` (epoch ms), in start order. */
export async function containerTimeline(filters: Filters, roleLabel: string, spawnedAt: number): Promise<ContainerTimes[]> {
  const containers = await docker().listContainers({ all: true, filters });
  const times = await Promise.all(
    containers.map(async (c) => {
      const info = await docker().getContainer(c.Id).inspect();
      return { role: c.Labels[roleLabel] ?? c.Names[0] ?? c.Id, createdMs: Date.parse(info.Created) - spawnedAt, startedMs: Date.parse(info.State.StartedAt) - spawnedAt };
    }),
  );
  return times.sort((a, b) => a.startedMs - b.startedMs);
}

interface MemoryStats {
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/** Memory as `docker stats` shows it: usage less the inactive page cache (cgroup v1 or v2). */
export function memoryOf(stats: MemoryStats): number {
  const usage = stats.memory_stats?.usage ?? 0;
  const detail = stats.memory_stats?.stats ?? {};
  const cache = detail.total_inactive_file ?? detail.inactive_file ?? 0;
  return Math.round(((cache < usage ? usage - cache : usage) / 1024 / 1024) * 10) / 10;
}

/** `docker stats --no-stream` of every container the filter matches. */
export async function containerMemory(filters: Filters, roleLabel: string): Promise<ContainerMemory[]> {
  const containers = await docker().listContainers({ filters });
  const memory = await Promise.all(
    containers.map(async (c) => {
      const stats = (await docker().getContainer(c.Id).stats({ stream: false })) as MemoryStats;
      return { role: c.Labels[roleLabel] ?? "?", name: (c.Names[0] ?? c.Id).replace(/^\//, ""), memoryMiB: memoryOf(stats) };
    }),
  );
  return memory.sort((a, b) => a.role.localeCompare(b.role));
}

/** Removes whatever a compose project left (the fallback when `docker compose down` failed). */
export async function removeComposeProject(project: string): Promise<void> {
  const filters = { label: [`com.docker.compose.project=${project}`] };
  const containers = await docker().listContainers({ all: true, filters });
  await Promise.all(containers.map((c) => docker().getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  const networks = await docker().listNetworks({ filters });
  await Promise.all(networks.map((n) => docker().getNetwork(n.Id).remove().catch(() => undefined)));
  const { Volumes: volumes } = await docker().listVolumes({ filters });
  await Promise.all((volumes ?? []).map((v) => docker().getVolume(v.Name).remove().catch(() => undefined)));
}
