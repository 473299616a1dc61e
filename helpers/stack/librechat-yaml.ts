import { stringify } from "yaml";
import { MOCK_LLM_URL } from "./mock-llm.ts";

/** The custom endpoint every suite chats through: the mock LLM on the internal network. */
export const CHAT_ENDPOINT = { name: "mock", model: "mock-gpt" } as const;

/** Where the harness puts its librechat.yaml inside LibreChat's container (CONFIG_PATH points here). */
export const CONFIG_MOUNT_PATH = "/tmp/librechat-harness/librechat.yaml";

/**
 * librechat.yaml for a test run. Version 1.3.1 is the oldest schema of the supported range
 * (v0.8.1); newer LibreChat only logs "Outdated Config version" for it. The schema is strict,
 * so only known keys appear.
 */
export function librechatYaml(): string {
  return stringify({
    version: "1.3.1",
    cache: true,
    endpoints: {
      custom: [
        {
          name: CHAT_ENDPOINT.name,
          apiKey: "mock-key",
          baseURL: `${MOCK_LLM_URL}/v1`,
          models: { default: [CHAT_ENDPOINT.model], fetch: false },
          titleConvo: true,
          titleModel: CHAT_ENDPOINT.model,
          modelDisplayLabel: "Mock LLM",
        },
      ],
    },
  });
}
