import path from "node:path";
import { loadCompose } from "../compose/load.ts";
import type { ComposeModel } from "../compose/model.ts";
import { serviceDefinition, type ServiceDefinition } from "../compose/service-definition.ts";
import { REPO_ROOT, type HarnessConfig } from "../config.ts";
import { docker } from "../docker/client.ts";
import type { ComposeImages } from "../images/catalog.ts";
import type { NetworkKey } from "../stack/descriptor.ts";
import { planMount } from "../stack/deviations.ts";
import { stackNetworkFor } from "../stack/librechat.ts";

/** Used when LIBRECHAT_DIR is unset: LibreChat v0.8.7's own services, api image pinned. */
export const DEFAULT_LIBRECHAT_DIR = path.join(REPO_ROOT, "fixtures", "librechat-default");

/** The external networks the harness maps onto its per-run backend network. */
export const MAPPED_EXTERNAL_NETWORKS = ["backend-dev", "backend-prod"];

export class NetworkInputError extends Error {
  override name = "NetworkInputError";
}

export interface LibreChatInput {
  model: ComposeModel;
  definition: ServiceDefinition;
  composeImages: ComposeImages;
  /** The run's networks MongoDB and MeiliSearch join, as their compose services say. */
  dataNetworks: { mongodb: NetworkKey[]; meilisearch: NetworkKey[] };
  /** MongoDB's and MeiliSearch's compose services, and the services (without a profile) the topology leaves out. */
  services: { mongodb: ServiceDefinition | undefined; meilisearch: ServiceDefinition | undefined; unstarted: string[] };
}

/** A compose service's networks mapped onto the run's (its implicit `default` when it names none). */
function runNetworksOf(model: ComposeModel, serviceName: string | undefined): NetworkKey[] {
  if (!serviceName || !model.services[serviceName]) return ["librechat-internal"];
  return [...new Set(serviceDefinition(model, serviceName, { withDotenv: false }).networks.map(stackNetworkFor))];
}

/** The compose input a configuration names: LIBRECHAT_DIR (or the built-in default) plus the overlay. */
export function composeInputOf(config: Pick<HarnessConfig, "librechatDir" | "overlayPath">): { librechatDir: string; overlay: string } {
  return { librechatDir: config.librechatDir ?? DEFAULT_LIBRECHAT_DIR, overlay: config.overlayPath };
}

/**
 * LibreChat's service from the compose input (LibreChat's docker-compose.yml plus the overlay,
 * merged as Compose merges them), with the images and networks of MongoDB and MeiliSearch.
 */
export async function loadLibreChatInput(config: Pick<HarnessConfig, "librechatDir" | "overlayPath">): Promise<LibreChatInput> {
  const files = composeInputOf(config);
  const model = await loadCompose(files);
  const definition = serviceDefinition(model, model.librechatService, { withDotenv: true });
  const composeImages: ComposeImages = {};
  const firstFile = definition.sourceFiles[0] ?? files.librechatDir;
  if (definition.image) composeImages.librechat = { ref: definition.image, file: firstFile };
  if (model.stack.mongodb) composeImages.mongodb = { ref: model.stack.mongodb.image, file: firstFile };
  if (model.stack.meilisearch) composeImages.meilisearch = { ref: model.stack.meilisearch.image, file: firstFile };
  const dataNetworks = {
    mongodb: runNetworksOf(model, model.stack.mongodb?.service),
    meilisearch: runNetworksOf(model, model.stack.meilisearch?.service),
  };
  const own = (name: string | undefined) => (name ? serviceDefinition(model, name, { withDotenv: false }) : undefined);
  const topology = new Set([model.librechatService, model.stack.mongodb?.service, model.stack.meilisearch?.service]);
  const unstarted = Object.values(model.services).filter((s) => !topology.has(s.name) && s.profiles.length === 0).map((s) => s.name);
  return { model, definition, composeImages, dataNetworks, services: { mongodb: own(model.stack.mongodb?.service), meilisearch: own(model.stack.meilisearch?.service), unstarted } };
}

/** A bound file the compose input names must exist, as Compose requires: one sentence before any container starts. */
export function checkBindSources(input: LibreChatInput): void {
  for (const definition of [input.definition, input.services.mongodb, input.services.meilisearch]) {
    for (const volume of definition?.volumes ?? []) planMount(volume, "(check)");
  }
}

/**
 * Docker Compose refuses to start when an external network is missing. The harness maps
 * backend-dev/backend-prod onto its own per-run network; any other external network must
 * exist, as it would for Compose, or the run stops here with the command that creates it.
 */
export async function checkExternalNetworks(definition: ServiceDefinition): Promise<void> {
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
