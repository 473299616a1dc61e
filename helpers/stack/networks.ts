import { docker, errorText } from "../docker/client.ts";

export interface StackNetwork {
  /** The topology's name for it: "backend" or "librechat-internal". */
  key: "backend" | "librechat-internal";
  /** The real, per-run Docker network name. */
  name: string;
  id: string;
  internal: boolean;
}

export async function createNetwork(
  key: StackNetwork["key"],
  name: string,
  internal: boolean,
  labels: Record<string, string>,
): Promise<StackNetwork> {
  try {
    const network = await docker().createNetwork({
      Name: name,
      Driver: "bridge",
      Internal: internal,
      CheckDuplicate: true,
      Labels: labels,
    });
    return { key, name, id: network.id, internal };
  } catch (error) {
    throw new Error(`Could not create the ${key} network ${name}: ${errorText(error)}`, { cause: error });
  }
}
