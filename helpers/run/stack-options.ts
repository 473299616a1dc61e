import type { HarnessConfig } from "../config.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import { FIXTURES } from "../images/fixtures.ts";
import type { LibreChatInput } from "../stack/compose-input.ts";
import { hostPortMode } from "../stack/host-ports.ts";
import type { StackOptions } from "../stack/stack.ts";
import { parseStubEnvironment } from "../stack/stub-env.ts";

/** The stack of a run as the configuration describes it (the variables in the README's table). */
export function stackOptions(config: HarnessConfig, input: LibreChatInput, images: ImageCatalog, runId: string, env = process.env): StackOptions {
  return {
    runId,
    profile: config.profile,
    images,
    probeImage: FIXTURES.probe.tag,
    librechat: input.definition,
    dataNetworks: input.dataNetworks,
    llmEnvironment: parseStubEnvironment(env.HARNESS_LLM_ENV, "HARNESS_LLM_ENV"),
    stubEnvironment: parseStubEnvironment(env.HARNESS_STUB_ENV, "HARNESS_STUB_ENV"),
    hostPorts: hostPortMode(env.HARNESS_HOST_PORTS),
    extraLabels: {},
    startupTimeoutMs: Number(env.HARNESS_STARTUP_TIMEOUT_MS) || 180_000,
  };
}
