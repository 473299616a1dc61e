import { docker, errorText } from "../docker/client.ts";
import { runLabels, type RunOwner } from "../docker/labels.ts";
import type { Profile } from "../config.ts";

export interface StackNetwork {
  /** The topology's name for it: "backend" or "librechat-internal". */
  key: "backend" | "librechat-internal";
  /** The real, per-run Docker network name. */
  name: string;
  id: string;
  internal: boolean;
}

export async function createNetwork(key: StackNetwork["key"], name: string, internal: boolean, labels: Record<string, string>): Promise<StackNetwork> {
  try {
    const network = await docker().createNetwork({ Name: name, Driver: "bridge", Internal: internal, CheckDuplicate: true, Labels: labels });
    return { key, name, id: network.id, internal };
  } catch (error) {
    throw new Error(`Could not create the ${key} network ${name}: ${errorText(error)}`, { cause: error });
  }
}

/** The run's two networks, created together; the internal one has no way out in the prod profile. */
export async function createRunNetworks(owner: RunOwner, profile: Profile, extraLabels: Record<string, string>): Promise<Record<StackNetwork["key"], StackNetwork>> {
  const labels = runLabels(owner, "network", extraLabels);
  const [backend, internal] = await Promise.all([
    createNetwork("backend", `${owner.runId}-backend`, false, labels),
    createNetwork("librechat-internal", `${owner.runId}-librechat-internal`, profile === "prod", labels),
  ]);
  return { backend, "librechat-internal": internal };
}
