import type { ServiceDefinition } from "../compose/service-definition.ts";
import type { ImageProvenance } from "../images/version.ts";
import type { ServiceDescriptor, ServiceRole, StackDescriptor } from "./descriptor.ts";
import { topologyDeviations, type Deviation, type TopologyFacts } from "./deviations.ts";
import { DJANGO, publishedUrl } from "./django.ts";
import { shownEnvironment, type AppliedSetting } from "./librechat-env.ts";
import { BACKEND_ALIASES, HEALTH_ROUTE, librechatAttachments, librechatPort, stackNetworkFor, type LibreChatRuntime } from "./librechat.ts";
import type { StackOptions } from "./librechat-stack.ts";
import { CHAT_ENDPOINT } from "./librechat-yaml.ts";
import { databaseOf, MONGO_URI } from "./mongodb.ts";
import type { RunContext } from "./run-context.ts";
import type { StackSecrets } from "./secrets.ts";
import { SVELTEKIT } from "./sveltekit.ts";

/** What a stack start knows when it describes itself, finished or stopped by a failure. */
export interface StackFacts {
  options: StackOptions;
  run: RunContext;
  librechat: { runtime: LibreChatRuntime; applied: AppliedSetting[]; readinessRoute: string | undefined; provenance: ImageProvenance };
  secrets: StackSecrets;
  services: Partial<Record<ServiceRole, ServiceDescriptor>>;
  /** What the started containers changed against their compose services. */
  deviations: Deviation[];
  startedAt: number;
  startFailure: StackDescriptor["startFailure"];
}

/** The URL the stubs reach LibreChat at: its first backend alias and its own port. */
export function librechatApiUrl(runtime: LibreChatRuntime): string {
  return `http://${BACKEND_ALIASES[0]}:${librechatPort(runtime.processEnvironment)}`;
}

export function describeStack(facts: StackFacts): StackDescriptor {
  const { run, services } = facts;
  const { librechat: definition, profile, images } = facts.options;
  const { runtime, applied } = facts.librechat;
  const port = librechatPort(runtime.processEnvironment);
  const hc = definition.healthcheck;
  return {
    runId: run.owner.runId,
    ownerPid: run.owner.pid,
    profile,
    startedAt: new Date(facts.startedAt).toISOString(),
    startDurationMs: Date.now() - facts.startedAt,
    networks: run.networks,
    services,
    startFailure: facts.startFailure,
    images,
    librechat: {
      port,
      hostUrl: publishedUrl(services.librechat, port),
      readinessRoute: facts.librechat.readinessRoute,
      healthRoute: HEALTH_ROUTE,
      version: facts.librechat.provenance.version,
      origin: facts.librechat.provenance.origin,
      commit: facts.librechat.provenance.commit,
      healthcheck: hc ? { ...hc, source: definition.sourceFiles.join(" + ") } : undefined,
      settings: applied,
      environment: shownEnvironment(runtime.processEnvironment, applied),
      composeFiles: definition.sourceFiles,
      backendAliases: librechatAttachments(definition).find((a) => a.key === "backend")?.aliases ?? [],
      networks: librechatAttachments(definition).map((a) => a.key),
    },
    stubs: {
      librechatApiUrl: librechatApiUrl(runtime),
      djangoUrl: publishedUrl(services.django, DJANGO.port),
      sveltekitUrl: publishedUrl(services.sveltekit, SVELTEKIT.port),
    },
    chat: { endpoint: CHAT_ENDPOINT.name, model: CHAT_ENDPOINT.model },
    mongo: { uri: MONGO_URI, database: databaseOf(runtime.processEnvironment.MONGO_URI) },
    secrets: { internalToken: facts.secrets.internalToken, fernetKey: facts.secrets.fernetKey },
    deviations: [...topologyDeviations(topologyFacts(facts)), ...librechatEnvDeviation(definition.serviceName, applied), ...facts.deviations],
  };
}

function topologyFacts(facts: StackFacts): TopologyFacts {
  const o = facts.options;
  const byRole = [
    { role: "librechat", definition: o.librechat, image: o.images.librechat },
    { role: "mongodb", definition: o.mongodb, image: o.images.mongodb },
    { role: "meilisearch", definition: o.meilisearch, image: o.images.meilisearch },
  ];
  const present = byRole.filter((r): r is typeof r & { definition: ServiceDefinition } => r.definition !== undefined);
  return {
    runId: facts.run.owner.runId,
    profile: o.profile,
    started: present.map(({ role, definition }) => ({
      role,
      serviceName: definition.serviceName,
      containerName: definition.containerName,
      networks: definition.networks.map((n) => ({ name: n.name, runName: facts.run.networks[stackNetworkFor(n)].name })),
    })),
    unstarted: o.unstarted,
    images: present.map(({ definition, image }) => ({ serviceName: definition.serviceName, written: definition.image, used: image.ref, origin: image.origin })),
  };
}

function librechatEnvDeviation(service: string, applied: AppliedSetting[]): Deviation[] {
  const changed = applied.filter((s) => s.outcome !== "kept-user-value").map((s) => s.name);
  if (changed.length === 0) return [];
  return [{ service, what: `environment: ${changed.join(", ")} added or overridden`, why: "each for the reason in \"What the harness added to LibreChat's environment\"" }];
}
