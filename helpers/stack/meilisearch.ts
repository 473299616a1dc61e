import type { NetworkKey } from "./descriptor.ts";
import { probeCheck } from "./probe.ts";
import { ProbeWaitStrategy } from "./readiness.ts";
import type { RunContext } from "./run-context.ts";
import { ServiceContainer, type StartedService } from "./service-container.ts";

export const MEILI_PORT = 7700;
export const MEILI_ALIAS = "meilisearch";
export const MEILI_URL = `http://${MEILI_ALIAS}:${MEILI_PORT}`;

/** MeiliSearch with LibreChat's master key, ready once /health answers from the internal network. */
export class MeiliSearchContainer extends ServiceContainer {
  constructor(image: string, run: RunContext, networks: NetworkKey[], masterKey: string, probe: Promise<StartedService>) {
    super(image, "meilisearch", run, networks.map((key) => ({ key, aliases: [MEILI_ALIAS] })));
    this.withEnvironment({ MEILI_MASTER_KEY: masterKey, MEILI_NO_ANALYTICS: "true", MEILI_ENV: "development" });
    this.withWaitStrategy(new ProbeWaitStrategy("meilisearch", probeCheck(probe, ["http", `${MEILI_URL}/health`], (r) => r.status === 200), run.startupTimeoutMs));
  }
}
