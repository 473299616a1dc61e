import { docker, errorText } from "../docker/client.ts";
import { LABELS, runFilter } from "../docker/labels.ts";

/** Reverse of the start order, in waves: the stubs, LibreChat, the internal services, the probe. */
const TEARDOWN_WAVES = [["sveltekit", "django"], ["librechat"], ["llm", "meilisearch", "mongodb"], ["probe"]];

function wave(role: string | undefined): number {
  const index = TEARDOWN_WAVES.findIndex((roles) => roles.includes(role ?? ""));
  // Containers a suite or the fault matrix added (verification copies, port holders) go first.
  return index === -1 ? -1 : index;
}

function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 404 || status === 409;
}

/**
 * Removes every container, network and volume labelled with the run id: containers wave by
 * wave (each wave's containers together), then the networks and volumes they used.
 * Returns what could not be removed. A container created while a pass ran (a run that was still
 * stopping) keeps its network in use: another pass takes both, up to three in all.
 */
export async function removeRun(runId: string): Promise<string[]> {
  let problems: string[] = [];
  for (let pass = 1; pass <= 3; pass++) {
    problems = await removeOnce(runId);
    const left = await countRunResources(runId);
    if (left.containers + left.networks + left.volumes === 0) break;
  }
  return problems;
}

async function removeOnce(runId: string): Promise<string[]> {
  const problems: string[] = [];
  const note = (what: string) => (error: unknown) => {
    if (!isGone(error)) problems.push(`${what}: ${errorText(error)}`);
  };
  const filter = runFilter(runId);
  const containers = await docker().listContainers({ all: true, filters: filter });
  const waves = [...new Set(containers.map((c) => wave(c.Labels[LABELS.role])))].sort((a, b) => a - b);
  for (const current of waves) {
    const members = containers.filter((c) => wave(c.Labels[LABELS.role]) === current);
    await Promise.all(members.map((info) => docker().getContainer(info.Id).remove({ force: true, v: true }).catch(note(`container ${info.Names[0] ?? info.Id}`))));
  }
  const networks = await docker().listNetworks({ filters: filter });
  await Promise.all(networks.map((network) => docker().getNetwork(network.Id).remove().catch(note(`network ${network.Name}`))));
  const { Volumes: volumes } = await docker().listVolumes({ filters: filter });
  await Promise.all((volumes ?? []).map((volume) => docker().getVolume(volume.Name).remove().catch(note(`volume ${volume.Name}`))));
  return problems;
}

/** How many containers, networks and volumes still carry the run's label. */
export async function countRunResources(runId: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const filter = runFilter(runId);
  const [containers, networks, { Volumes: volumes }] = await Promise.all([
    docker().listContainers({ all: true, filters: filter }),
    docker().listNetworks({ filters: filter }),
    docker().listVolumes({ filters: filter }),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: (volumes ?? []).length };
}
