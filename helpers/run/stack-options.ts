import type { HarnessConfig } from "../config.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import type { LibreChatInput } from "../stack/compose-input.ts";
import { hostPortMode } from "../stack/host-ports.ts";
import { LibreChatStack } from "../stack/librechat-stack.ts";
import { parseStubEnvironment } from "../stack/stub-env.ts";

/** The stack of a run as the configuration describes it (the variables in the README's table). */
export function configuredStack(config: HarnessConfig, input: LibreChatInput, images: ImageCatalog, runId: string, env = process.env): LibreChatStack {
  return new LibreChatStack(images, input.definition)
    .withRunId(runId)
    .withProfile(config.profile)
    .withDataNetworks(input.dataNetworks)
    .withLlmEnvironment(parseStubEnvironment(env.HARNESS_LLM_ENV, "HARNESS_LLM_ENV"))
    .withStubEnvironment(parseStubEnvironment(env.HARNESS_STUB_ENV, "HARNESS_STUB_ENV"))
    .withHostPorts(hostPortMode(env.HARNESS_HOST_PORTS))
    .withStartupTimeout(Number(env.HARNESS_STARTUP_TIMEOUT_MS) || 180_000);
}
