import { stringify } from "yaml";

/** The custom endpoint every suite chats through: the mock LLM on the internal network. */
export const CHAT_ENDPOINT = { name: "mock", model: "mock-gpt", llmAlias: "mock-llm", llmPort: 8080 } as const;

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
          baseURL: `http://${CHAT_ENDPOINT.llmAlias}:${CHAT_ENDPOINT.llmPort}/v1`,
          models: { default: [CHAT_ENDPOINT.model], fetch: false },
          titleConvo: true,
          titleModel: CHAT_ENDPOINT.model,
          modelDisplayLabel: "Mock LLM",
        },
      ],
    },
  });
}
