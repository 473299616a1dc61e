import type { HarnessConfig } from "../config.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import { LibreChatStack } from "../stack/librechat-stack.ts";
import type { LibreChatInput } from "./compose-input.ts";

/** The stack of a run as the configuration describes it (the variables in the README's table). */
export function configuredStack(config: HarnessConfig, input: LibreChatInput, images: ImageCatalog, runId: string): LibreChatStack {
  return new LibreChatStack(images, input.definition)
    .withRunId(runId)
    .withProfile(config.profile)
    .withDataNetworks(input.dataNetworks)
    .withComposeServices(input.services)
    .withLlmEnvironment(config.llmEnvironment)
    .withStubEnvironment(config.stubEnvironment)
    .withHostPorts(config.hostPorts)
    .withStartupTimeout(config.startupTimeoutMs)
    .withTimeScale(config.timeScale);
}
