// The compose file that starts what the harness starts, for the bench's `docker compose up -d
// --wait` side. It is generated from the harness's own inputs (the merged compose model, the
// image catalog, the role modules' constants and environments, LibreChat with the harness's
// settings and generated secrets) so that both sides start the same services from the same
// images with the same environment, networks, aliases, published ports and volumes; each
// healthcheck is the harness's readiness probe run inside that service (healthchecks.ts), and
// depends_on follows the harness's start order.
import { Document } from "yaml";
import type { HarnessConfig } from "../config.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import type { LibreChatInput } from "../run/compose-input.ts";
import type { ServiceDefinition } from "../compose/service-definition.ts";
import type { NetworkKey, ServiceRole } from "../stack/descriptor.ts";
import { planMount } from "../stack/deviations.ts";
import { DJANGO, djangoUrlOn } from "../stack/django.ts";
import { librechatRuntime } from "../stack/librechat-env.ts";
import { librechatAttachments, librechatPort, type LibreChatRuntime } from "../stack/librechat.ts";
import { CHAT_ENDPOINT, CONFIG_MOUNT_PATH } from "../stack/librechat-yaml.ts";
import { MEILI_ALIAS, MEILI_PORT } from "../stack/meilisearch.ts";
import { MOCK_LLM } from "../stack/mock-llm.ts";
import { MONGO_ALIAS, MONGO_PORT } from "../stack/mongodb.ts";
import { PROBE_IMAGE } from "../stack/probe.ts";
import type { StackSecrets } from "../stack/secrets.ts";
import { librechatApiUrl } from "../stack/stack-descriptor.ts";
import { SVELTEKIT } from "../stack/sveltekit.ts";
import { healthcheck, healthRouteCheck, librechatCheck, mongoCheck, type ComposeHealthcheck } from "./healthchecks.ts";

/** The label that names a compose container's role (the harness's own run labels stay off it, so no sweeper takes it for a run). */
export const BENCH_ROLE_LABEL = "io.librechat-harness.bench.role";

export type ComposeMount = { type: "bind" | "volume"; source: string; target: string; read_only: boolean } | { type: "tmpfs"; target: string };

export interface ComposeService {
  image: string;
  command?: string[];
  user?: string;
  environment: Record<string, string>;
  networks: Partial<Record<NetworkKey, { aliases: string[] }>>;
  ports?: { target: number; host_ip: string; published?: string; protocol: "tcp" }[];
  volumes?: ComposeMount[];
  extra_hosts?: string[];
  restart?: string;
  healthcheck?: ComposeHealthcheck;
  depends_on?: Record<string, { condition: "service_started" | "service_healthy" }>;
  labels: Record<string, string>;
}

export interface ComposeEquivalent {
  services: Record<string, ComposeService>;
  networks: Record<NetworkKey, { internal?: boolean }>;
  volumes: Record<string, Record<string, never>>;
}

export interface EquivalentInputs {
  config: Pick<HarnessConfig, "profile" | "hostPorts" | "llmEnvironment" | "stubEnvironment" | "startupTimeoutMs" | "timeScale">;
  input: LibreChatInput;
  images: ImageCatalog;
  secrets: StackSecrets;
  /** Host path of the harness's librechat.yaml, bound where the harness copies it (CONFIG_PATH). */
  librechatYamlFile: string;
}

/** Each role's compose service name: its first alias, so that Compose's own alias (the service name) adds none. */
export function serviceNames(definition: ServiceDefinition): Record<ServiceRole, string> {
  return { probe: "probe", mongodb: MONGO_ALIAS, meilisearch: MEILI_ALIAS, llm: MOCK_LLM.alias, librechat: definition.serviceName, django: DJANGO.alias, sveltekit: SVELTEKIT.alias };
}

/** A service's compose volumes as the harness mounts them: bound files stay bound, data goes to a volume of the project. */
function mountsOf(fields: Pick<ServiceDefinition, "volumes">, role: ServiceRole, volumes: ComposeEquivalent["volumes"]): ComposeMount[] {
  return fields.volumes.map((volume, index): ComposeMount => {
    const mount = planMount(volume, `${role}-${index}`);
    if (mount.kind === "tmpfs") return { type: "tmpfs", target: mount.target };
    if (mount.kind === "volume") volumes[mount.name] = {};
    return { type: mount.kind, source: mount.kind === "bind" ? mount.source : mount.name, target: mount.target, read_only: mount.readOnly };
  });
}

/** command, user, extra_hosts and restart, carried over as ServiceContainer.withComposeFields does. */
function composeFields(fields: Pick<ServiceDefinition, "command" | "user" | "extraHosts" | "restart">): Partial<ComposeService> {
  const out: Partial<ComposeService> = {};
  if (fields.command) out.command = [...fields.command];
  if (fields.user) out.user = fields.user;
  if (fields.extraHosts.length > 0) out.extra_hosts = [...fields.extraHosts];
  if (fields.restart) out.restart = fields.restart;
  return out;
}

const networksOn = (keys: NetworkKey[], aliases: string[]): ComposeService["networks"] => Object.fromEntries(keys.map((key) => [key, { aliases: [...aliases] }]));
const loopback = (port: number, published?: number): NonNullable<ComposeService["ports"]>[number] =>
  published === undefined ? { target: port, host_ip: "127.0.0.1", protocol: "tcp" } : { target: port, host_ip: "127.0.0.1", published: String(published), protocol: "tcp" };

/** LibreChat's own port published as the harness publishes it (LibreChatContainer.publish). */
function librechatPorts(runtime: LibreChatRuntime, mode: EquivalentInputs["config"]["hostPorts"]): NonNullable<ComposeService["ports"]> {
  const port = librechatPort(runtime.processEnvironment);
  const own = runtime.ports.filter((p) => p.container === port || runtime.ports.length === 1);
  return own.map((p) => loopback(p.container, mode === "compose" ? p.host : undefined));
}

function librechatService(inputs: EquivalentInputs, names: Record<ServiceRole, string>, volumes: ComposeEquivalent["volumes"], startPeriodMs: number): ComposeService {
  const { runtime } = librechatRuntime(inputs.input.definition, inputs.secrets);
  const attachments = librechatAttachments(inputs.input.definition);
  const config: ComposeMount = { type: "bind", source: inputs.librechatYamlFile, target: CONFIG_MOUNT_PATH, read_only: true };
  const healthy = { condition: "service_healthy" } as const;
  return {
    image: inputs.images.librechat.ref,
    ...composeFields(runtime),
    environment: { ...runtime.environment },
    networks: Object.fromEntries(attachments.map((a) => [a.key, { aliases: [...a.aliases] }])),
    ports: librechatPorts(runtime, inputs.config.hostPorts),
    volumes: [...mountsOf(runtime, "librechat", volumes), config],
    healthcheck: healthcheck(librechatCheck(librechatPort(runtime.processEnvironment)), startPeriodMs, 2),
    depends_on: { [names.probe]: { condition: "service_started" }, [names.mongodb]: healthy, [names.meilisearch]: healthy, [names.llm]: healthy },
    labels: { [BENCH_ROLE_LABEL]: "librechat" },
  };
}

function dataServices(inputs: EquivalentInputs, volumes: ComposeEquivalent["volumes"], startPeriodMs: number): Record<"mongodb" | "meilisearch", ComposeService> {
  const { mongodb, meilisearch } = inputs.input.services;
  const meiliEnv = meilisearch?.environment ?? { MEILI_NO_ANALYTICS: "true" };
  return {
    mongodb: {
      image: inputs.images.mongodb.ref,
      ...(mongodb ? composeFields(mongodb) : {}),
      environment: { ...mongodb?.environment },
      networks: networksOn(inputs.input.dataNetworks.mongodb, [MONGO_ALIAS]),
      ...(mongodb ? { volumes: mountsOf(mongodb, "mongodb", volumes) } : {}),
      healthcheck: healthcheck(mongoCheck(MONGO_PORT), startPeriodMs),
      labels: { [BENCH_ROLE_LABEL]: "mongodb" },
    },
    meilisearch: {
      image: inputs.images.meilisearch.ref,
      ...(meilisearch ? composeFields(meilisearch) : {}),
      environment: { ...meiliEnv, MEILI_MASTER_KEY: inputs.secrets.meiliKey },
      networks: networksOn(inputs.input.dataNetworks.meilisearch, [MEILI_ALIAS]),
      ...(meilisearch ? { volumes: mountsOf(meilisearch, "meilisearch", volumes) } : {}),
      healthcheck: healthcheck(healthRouteCheck(MEILI_PORT), startPeriodMs),
      labels: { [BENCH_ROLE_LABEL]: "meilisearch" },
    },
  };
}

/** The stubs' environment, as DjangoContainer and SvelteKitContainer set it. */
function stubEnvironments(inputs: EquivalentInputs): { django: Record<string, string>; sveltekit: Record<string, string> } {
  const { runtime } = librechatRuntime(inputs.input.definition, inputs.secrets);
  const url = librechatApiUrl(runtime);
  const token = inputs.secrets.internalToken;
  const extra = inputs.config.stubEnvironment;
  return {
    django: { LIBRECHAT_API_URL: url, INTERNAL_API_TOKEN: token, LIBRECHAT_ENCRYPTION_KEY: inputs.secrets.fernetKey, ...extra },
    sveltekit: { LIBRECHAT_API_URL: url, INTERNAL_API_TOKEN: token, DJANGO_API_URL: djangoUrlOn(DJANGO.alias), ...extra },
  };
}

function toolServices(inputs: EquivalentInputs, names: Record<ServiceRole, string>, startPeriodMs: number): Record<"probe" | "llm" | "django" | "sveltekit", ComposeService> {
  const env = stubEnvironments(inputs);
  const afterLibreChat = { [names.librechat]: { condition: "service_healthy" } } as const;
  const stub = (role: "django" | "sveltekit", port: number, alias: string): ComposeService => ({
    image: inputs.images[role].ref,
    environment: env[role],
    networks: networksOn(["backend"], [alias]),
    ports: [loopback(port)],
    healthcheck: healthcheck(healthRouteCheck(port), startPeriodMs),
    depends_on: afterLibreChat,
    labels: { [BENCH_ROLE_LABEL]: role },
  });
  return {
    // Ready once running, as the harness's runningIsReady: no healthcheck, so --wait waits for "running".
    probe: { image: PROBE_IMAGE, environment: {}, networks: networksOn(["librechat-internal"], []), labels: { [BENCH_ROLE_LABEL]: "probe" } },
    llm: {
      image: inputs.images.llm.ref,
      environment: { MOCK_MODELS: CHAT_ENDPOINT.model, ...inputs.config.llmEnvironment },
      networks: networksOn(["librechat-internal"], [MOCK_LLM.alias]),
      healthcheck: healthcheck(healthRouteCheck(MOCK_LLM.port), startPeriodMs),
      labels: { [BENCH_ROLE_LABEL]: "llm" },
    },
    django: stub("django", DJANGO.port, DJANGO.alias),
    sveltekit: stub("sveltekit", SVELTEKIT.port, SVELTEKIT.alias),
  };
}

/** The compose model equivalent to one harness start of this configuration, services in the harness's start order. */
export function composeEquivalent(inputs: EquivalentInputs): ComposeEquivalent {
  const names = serviceNames(inputs.input.definition);
  const startPeriodMs = inputs.config.startupTimeoutMs * inputs.config.timeScale;
  const volumes: ComposeEquivalent["volumes"] = {};
  const data = dataServices(inputs, volumes, startPeriodMs);
  const tools = toolServices(inputs, names, startPeriodMs);
  const librechat = librechatService(inputs, names, volumes, startPeriodMs);
  const byRole: Record<ServiceRole, ComposeService> = { probe: tools.probe, mongodb: data.mongodb, meilisearch: data.meilisearch, llm: tools.llm, librechat, django: tools.django, sveltekit: tools.sveltekit };
  const services = Object.fromEntries((Object.keys(byRole) as ServiceRole[]).map((role) => [names[role], byRole[role]]));
  const internal = inputs.config.profile === "prod" ? { internal: true } : {};
  return { services, networks: { backend: {}, "librechat-internal": internal }, volumes };
}

/** Every `$` doubled, so that Compose's interpolation hands the values over as written. */
function escapeDollars<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("$", () => "$$") as T;
  if (Array.isArray(value)) return value.map(escapeDollars) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)])) as T;
  return value;
}

const HEADER = `Generated by npm run bench (helpers/bench/compose-equivalent.ts) from the harness's own inputs; it
starts what one harness run starts. Healthchecks are the harness's readiness probes, run inside
each service every second: LibreChat GET /readyz 200 "OK" (GET /health where a version has no
/readyz) with BusyBox wget; MongoDB {ping: 1} over the wire (mongosh, or Node's OP_MSG in the
stand-in); MeiliSearch, the mock LLM and the stubs GET /health 200 with curl; the probe has none
(ready once running). LibreChat's own compose healthcheck is replaced by its readiness probe,
because a container has one healthcheck and --wait must wait for readiness. Secrets are generated
per bench run.`;

/** The compose file's text, with the header that says what it is; `redact` hides the generated secrets. */
export function composeYaml(model: ComposeEquivalent, redact?: StackSecrets): string {
  let text = new Document(escapeDollars(model)).toString({ lineWidth: 0 });
  for (const secret of redact ? Object.values(redact) : []) text = text.replaceAll(secret, "(generated per run)");
  return `${HEADER.split("\n").map((l) => `# ${l}`).join("\n")}\n${text}`;
}
