import type { ServiceDefinition } from "../compose/service-definition.ts";
import type { Profile } from "../config.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import type { ServiceDescriptor, ServiceRole, StackDescriptor } from "./descriptor.ts";
import { DJANGO, publishedUrl } from "./django.ts";
import { shownEnvironment, type AppliedSetting } from "./librechat-env.ts";
import { BACKEND_ALIASES, HEALTH_ROUTE, librechatAttachments, librechatPort, type LibreChatRuntime } from "./librechat.ts";
import { CHAT_ENDPOINT } from "./librechat-yaml.ts";
import { databaseOf, MONGO_URI } from "./mongodb.ts";
import type { RunContext } from "./run-context.ts";
import type { StackSecrets } from "./secrets.ts";
import { SVELTEKIT } from "./sveltekit.ts";

/** What a stack start knows when it describes itself, finished or stopped by a failure. */
export interface StackFacts {
  run: RunContext;
  profile: Profile;
  images: ImageCatalog;
  definition: ServiceDefinition;
  librechat: { runtime: LibreChatRuntime; applied: AppliedSetting[]; readinessRoute: string | undefined; version: string };
  secrets: StackSecrets;
  services: Partial<Record<ServiceRole, ServiceDescriptor>>;
  startedAt: number;
  startFailure: StackDescriptor["startFailure"];
}

/** The URL the stubs reach LibreChat at: its first backend alias and its own port. */
export function librechatApiUrl(runtime: LibreChatRuntime): string {
  return `http://${BACKEND_ALIASES[0]}:${librechatPort(runtime.environment)}`;
}

export function describeStack(facts: StackFacts): StackDescriptor {
  const { run, definition, services } = facts;
  const { runtime, applied } = facts.librechat;
  const port = librechatPort(runtime.environment);
  const hc = definition.healthcheck;
  return {
    runId: run.owner.runId,
    ownerPid: run.owner.pid,
    profile: facts.profile,
    startedAt: new Date(facts.startedAt).toISOString(),
    startDurationMs: Date.now() - facts.startedAt,
    networks: run.networks,
    services,
    startFailure: facts.startFailure,
    images: facts.images,
    librechat: {
      port,
      hostUrl: publishedUrl(services.librechat, port),
      readinessRoute: facts.librechat.readinessRoute,
      healthRoute: HEALTH_ROUTE,
      version: facts.librechat.version,
      healthcheck: hc ? { ...hc, source: definition.sourceFiles.join(" + ") } : undefined,
      settings: applied,
      environment: shownEnvironment(runtime.environment, applied),
      composeFiles: definition.sourceFiles,
      backendAliases: librechatAttachments(definition).find((a) => a.key === "backend")?.aliases ?? [],
    },
    stubs: {
      librechatApiUrl: librechatApiUrl(runtime),
      djangoUrl: publishedUrl(services.django, DJANGO.port),
      sveltekitUrl: publishedUrl(services.sveltekit, SVELTEKIT.port),
    },
    chat: { endpoint: CHAT_ENDPOINT.name, model: CHAT_ENDPOINT.model },
    mongo: { uri: MONGO_URI, database: databaseOf(runtime.environment.MONGO_URI) },
    secrets: { internalToken: facts.secrets.internalToken, fernetKey: facts.secrets.fernetKey },
  };
}
