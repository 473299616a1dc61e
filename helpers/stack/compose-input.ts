import path from "node:path";
import { loadCompose } from "../compose/load.ts";
import type { ComposeModel } from "../compose/model.ts";
import { REPO_ROOT, type HarnessConfig } from "../config.ts";
import { docker } from "../docker/client.ts";
import type { ComposeImages } from "../images/catalog.ts";
import type { NetworkKey } from "./descriptor.ts";
import { stackNetworkFor, type LibreChatServiceDefinition } from "./librechat-service.ts";

/** Used when LIBRECHAT_DIR is unset: LibreChat v0.8.7's own services, api image pinned. */
export const DEFAULT_LIBRECHAT_DIR = path.join(REPO_ROOT, "fixtures", "librechat-default");

/** The external networks the harness maps onto its per-run backend network. */
export const MAPPED_EXTERNAL_NETWORKS = ["backend-dev", "backend-prod"];

export class NetworkInputError extends Error {
  override name = "NetworkInputError";
}

export interface LibreChatInput {
  model: ComposeModel;
  definition: LibreChatServiceDefinition;
  composeImages: ComposeImages;
  /** The run's networks MongoDB and MeiliSearch join, as their compose services say. */
  dataNetworks: { mongodb: NetworkKey[]; meilisearch: NetworkKey[] };
}

/** A compose service's networks mapped onto the run's (its implicit `default` when it names none). */
function runNetworksOf(model: ComposeModel, serviceName: string | undefined): NetworkKey[] {
  const service = serviceName ? model.services[serviceName] : undefined;
  const keys = service && Object.keys(service.networks).length > 0 ? Object.keys(service.networks) : ["default"];
  const mapped = keys.map((key) => {
    const top = model.networks.find((n) => n.key === key);
    return stackNetworkFor({ key, name: top?.name ?? key, external: top?.external ?? false, internal: top?.internal ?? false, aliases: [] });
  });
  return [...new Set(mapped)];
}

/** `user: "${UID}:${GID}"` with both unset interpolates to ":", which Docker rejects; Compose users leave it out. */
function usableUser(user: string | undefined): string | undefined {
  if (!user || /^:?$/.test(user) || user.startsWith(":") || user.endsWith(":")) return undefined;
  return user;
}

/**
 * LibreChat's service from the compose input (LibreChat's docker-compose.yml plus the overlay,
 * merged as Compose merges them). LibreChat also reads its `.env` at start, so the `.env`
 * values are part of its environment, under the compose `environment`, which wins.
 */
export async function loadLibreChatInput(config: HarnessConfig): Promise<LibreChatInput> {
  const librechatDir = config.librechatDir ?? DEFAULT_LIBRECHAT_DIR;
  const model = await loadCompose({ librechatDir, overlay: config.overlayPath });
  const service = model.services[model.librechatService];
  if (!service) throw new Error(`the compose input has no LibreChat service (${model.sources.map((s) => s.file).join(", ")})`);
  const networkEntries = Object.entries(service.networks);
  const attached = networkEntries.length > 0 ? networkEntries : [["default", { aliases: [] }] as const];
  const networks = attached.map(([key, network]) => {
    const top = model.networks.find((n) => n.key === key);
    return {
      key,
      name: top?.name ?? key,
      external: top?.external ?? false,
      internal: top?.internal ?? false,
      aliases: [...network.aliases],
    };
  });
  const definition: LibreChatServiceDefinition = {
    serviceName: model.librechatService,
    image: service.image,
    environment: { ...model.dotenv.values, ...service.environment },
    command: service.command,
    healthcheck: service.healthcheck,
    containerName: service.containerName,
    networks,
    ports: service.ports.map((p) => ({
      container: p.container,
      host: p.host !== undefined && /^\d+$/.test(p.host) ? Number(p.host) : undefined,
      hostIp: p.hostIp,
    })),
    user: usableUser(service.user),
    sourceFiles: model.sources.map((s) => s.file),
  };
  const composeImages: ComposeImages = {};
  const firstFile = definition.sourceFiles[0] ?? librechatDir;
  if (service.image) composeImages.librechat = { ref: service.image, file: firstFile };
  if (model.stack.mongodb) composeImages.mongodb = { ref: model.stack.mongodb.image, file: firstFile };
  if (model.stack.meilisearch) composeImages.meilisearch = { ref: model.stack.meilisearch.image, file: firstFile };
  const dataNetworks = {
    mongodb: runNetworksOf(model, model.stack.mongodb?.service),
    meilisearch: runNetworksOf(model, model.stack.meilisearch?.service),
  };
  return { model, definition, composeImages, dataNetworks };
}

/**
 * Docker Compose refuses to start when an external network is missing. The harness maps
 * backend-dev/backend-prod onto its own per-run network; any other external network must
 * exist, as it would for Compose, or the run stops here with the command that creates it.
 */
export async function checkExternalNetworks(definition: LibreChatServiceDefinition): Promise<void> {
  for (const network of definition.networks) {
    if (!network.external || MAPPED_EXTERNAL_NETWORKS.includes(network.name)) continue;
    try {
      await docker().getNetwork(network.name).inspect();
    } catch {
      throw new NetworkInputError(
        `Network ${network.name} is declared as external in ${definition.sourceFiles.join(" + ")}, but could not be found: ` +
          `create it with \`docker network create ${network.name}\` (or use backend-dev/backend-prod, which the harness maps onto its own backend network).`,
      );
    }
  }
}
