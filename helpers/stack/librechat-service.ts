import type { HealthcheckSpec, NetworkKey } from "./descriptor.ts";

/** LibreChat's service as the merged compose input defines it (what the stack needs of it). */
export interface LibreChatServiceDefinition {
  /** Compose service key, e.g. "api"; Compose makes it a DNS alias on every network. */
  serviceName: string;
  image: string | undefined;
  environment: Record<string, string>;
  command: string[] | undefined;
  healthcheck: HealthcheckSpec | undefined;
  containerName: string | undefined;
  /** Compose network key → aliases; with the network's top-level definition. */
  networks: { key: string; name: string; external: boolean; internal: boolean; aliases: string[] }[];
  ports: { container: number; host: number | undefined; hostIp: string | undefined }[];
  user: string | undefined;
  sourceFiles: string[];
}

/** The guide's names for LibreChat on the backend network (DESIGN.md "The topology"). */
export const BACKEND_ALIASES = ["librechat-api", "librechat"];

/**
 * Where each compose network lands in a run: external networks (backend-dev, backend-prod)
 * are the application's backend network; everything else (LibreChat's `default`, an
 * internal network) is LibreChat's internal network.
 */
export function stackNetworkFor(network: LibreChatServiceDefinition["networks"][number]): NetworkKey {
  return network.external ? "backend" : "librechat-internal";
}

/** LibreChat's attachments in this run: per stack network, the aliases Compose would give it. */
export function librechatAttachments(service: LibreChatServiceDefinition): Map<NetworkKey, string[]> {
  const attachments = new Map<NetworkKey, string[]>();
  for (const network of service.networks) {
    const key = stackNetworkFor(network);
    const aliases = new Set(attachments.get(key) ?? []);
    aliases.add(service.serviceName);
    // container_name becomes an alias: real container names stay unique per run.
    if (service.containerName) aliases.add(service.containerName);
    for (const alias of network.aliases) aliases.add(alias);
    if (key === "backend") for (const alias of BACKEND_ALIASES) aliases.add(alias);
    attachments.set(key, [...aliases]);
  }
  return attachments;
}

/** LibreChat's own port: its PORT variable, 3080 when unset or not a number (like the server). */
export function librechatPort(environment: Record<string, string>): number {
  const port = Number(environment.PORT);
  return Number.isInteger(port) && port > 0 ? port : 3080;
}
