import type { ServiceDefinition } from "../compose/service-definition.ts";
import type { NetworkKey } from "./descriptor.ts";
import { probeCheck } from "./probe.ts";
import { ProbeWaitStrategy } from "./readiness.ts";
import type { RunContext } from "./run-context.ts";
import { ServiceContainer, type StartedService } from "./service-container.ts";

export const MONGO_PORT = 27017;
/** LibreChat's MONGO_URI names it so (the compose service key). */
export const MONGO_ALIAS = "mongodb";
export const MONGO_URI = `mongodb://${MONGO_ALIAS}:${MONGO_PORT}`;

/** The database a MONGO_URI names (LibreChat's own default when it names none). */
export function databaseOf(uri: string | undefined): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri ?? "");
  return match?.[1] ?? "LibreChat";
}

/**
 * MongoDB as its compose service runs it (command, user, environment, volumes) on the networks
 * it names, ready once it answers ping from the internal network.
 */
export class MongoDbContainer extends ServiceContainer {
  constructor(image: string, run: RunContext, definition: ServiceDefinition | undefined, networks: NetworkKey[], probe: Promise<StartedService>) {
    super(image, "mongodb", run, networks.map((key) => ({ key, aliases: [MONGO_ALIAS] })));
    if (definition) this.withEnvironment(definition.environment).withComposeFields(definition);
    this.withWaitStrategy(new ProbeWaitStrategy("mongodb", probeCheck(probe, ["mongo", MONGO_URI, "admin", '{"ping":1}'], (r) => r.ok), run.startupTimeoutMs));
  }
}
