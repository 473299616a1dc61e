import { probeHttpCheck } from "./probe.ts";
import { ProbeWaitStrategy } from "./readiness.ts";
import type { RunContext } from "./run-context.ts";
import { ServiceContainer, type StartedService } from "./service-container.ts";

/** The mock LLM on LibreChat's internal network: the alias and port librechat.yaml's endpoint names. */
export const MOCK_LLM = { alias: "mock-llm", port: 8080 } as const;
export const MOCK_LLM_URL = `http://${MOCK_LLM.alias}:${MOCK_LLM.port}`;

/** The OpenAI-compatible mock; `environment` carries its switches (MOCK_FAILURE, the fault matrix's). */
export class MockLlmContainer extends ServiceContainer {
  constructor(image: string, run: RunContext, models: string[], environment: Record<string, string>, probe: Promise<StartedService>) {
    super(image, "llm", run, [{ key: "librechat-internal", aliases: [MOCK_LLM.alias] }]);
    this.withEnvironment({ MOCK_MODELS: models.join(","), ...environment });
    this.withWaitStrategy(new ProbeWaitStrategy("mock LLM", probeHttpCheck(probe, `${MOCK_LLM_URL}/health`, run), run.startupTimeoutMs));
  }
}
