import type { ServiceDefinition } from "../compose/service-definition.ts";
import type { NetworkKey } from "./descriptor.ts";
import { probeHttpCheck } from "./probe.ts";
import { ProbeWaitStrategy } from "./readiness.ts";
import type { RunContext } from "./run-context.ts";
import { ServiceContainer, type StartedService } from "./service-container.ts";

export const MEILI_PORT = 7700;
export const MEILI_ALIAS = "meilisearch";
export const MEILI_URL = `http://${MEILI_ALIAS}:${MEILI_PORT}`;

/**
 * MeiliSearch as its compose service runs it, with the master key LibreChat gets (generated per
 * run), ready once /health answers from the internal network.
 */
export class MeiliSearchContainer extends ServiceContainer {
  constructor(image: string, run: RunContext, definition: ServiceDefinition | undefined, networks: NetworkKey[], masterKey: string, probe: Promise<StartedService>) {
    super(image, "meilisearch", run, networks.map((key) => ({ key, aliases: [MEILI_ALIAS] })));
    const environment = definition?.environment ?? { MEILI_NO_ANALYTICS: "true" };
    this.withEnvironment({ ...environment, MEILI_MASTER_KEY: masterKey });
    if (definition) this.withComposeFields(definition);
    this.deviations.push({
      service: definition?.serviceName ?? "meilisearch",
      what: `MEILI_MASTER_KEY ${environment.MEILI_MASTER_KEY ? "replaced by" : "set to"} a key generated per run`,
      why: "LibreChat and MeiliSearch must share one key, and no secret of a test run comes from the files",
    });
    this.withWaitStrategy(new ProbeWaitStrategy("meilisearch", probeHttpCheck(probe, `${MEILI_URL}/health`, run), run.startupTimeoutMs));
  }
}
