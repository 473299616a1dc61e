import { randomBytes } from "node:crypto";
import os from "node:os";
import type Dockerode from "dockerode";
import type { StartedTestContainer } from "testcontainers";
import type { Profile } from "../config.ts";
import { docker, errorText, LABELS } from "../docker/client.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import type { NetworkKey, ServiceDescriptor, ServiceRole, StackDescriptor } from "./descriptor.ts";
import { HarnessContainer, type NetworkAttachment } from "./harness-container.ts";
import { applyHarnessSettings, CONFIG_MOUNT_PATH, generateSecrets, harnessSettings } from "./librechat-env.ts";
import { librechatAttachments, librechatPort, type LibreChatServiceDefinition } from "./librechat-service.ts";
import { CHAT_ENDPOINT, librechatYaml } from "./librechat-yaml.ts";
import { createNetwork, type StackNetwork } from "./networks.ts";
import type { HostPortMode } from "./host-ports.ts";
import { httpGetInside, ProbeWaitStrategy, runProbe, type Probe } from "./readiness.ts";
import { removeRun } from "./teardown.ts";

const STUB_PORTS = { django: 8050, sveltekit: 3000 } as const;
const MEILI_PORT = 7700;
const MONGO_PORT = 27017;

export interface StackOptions {
  runId: string;
  profile: Profile;
  images: ImageCatalog;
  /** The harness's probe tool image (not a role of the topology). */
  probeImage: string;
  librechat: LibreChatServiceDefinition;
  /** The networks MongoDB and MeiliSearch join (LibreChat's internal one unless the compose input says otherwise). */
  dataNetworks: { mongodb: NetworkKey[]; meilisearch: NetworkKey[] };
  /** Extra environment for the mock LLM (e.g. MOCK_FAILURE, the fault matrix's switch). */
  llmEnvironment: Record<string, string>;
  /** Extra environment for both stubs (fault switches such as FORWARD_CLIENT_HEADERS=false). */
  stubEnvironment: Record<string, string>;
  hostPorts: HostPortMode;
  /** Labels that mark the stack as kept for reuse; the sweeper leaves such stacks alone. */
  extraLabels: Record<string, string>;
  startupTimeoutMs: number;
}

export class StackStartError extends Error {
  override name = "StackStartError";
  readonly role: ServiceRole;
  constructor(role: ServiceRole, message: string) {
    super(message);
    this.role = role;
  }
}

function fernetKey(): string {
  return randomBytes(32).toString("base64url") + "=";
}

function publishedPorts(inspect: Dockerode.ContainerInspectInfo): ServiceDescriptor["ports"] {
  const ports: ServiceDescriptor["ports"] = {};
  for (const [key, bindings] of Object.entries(inspect.NetworkSettings.Ports ?? {})) {
    const first = bindings?.[0];
    if (first) ports[key.replace(/\/tcp$/, "")] = { hostIp: first.HostIp, hostPort: Number(first.HostPort) };
  }
  return ports;
}

/**
 * Starts the guide's topology for one run: networks, then MongoDB, MeiliSearch and the mock
 * LLM together, then LibreChat, then the Django and SvelteKit stubs together. Each step waits
 * on health, never on a fixed sleep, and a container that stops fails the start at once.
 */
export class StackBuilder {
  private readonly options: StackOptions;
  private readonly networks = new Map<NetworkKey, StackNetwork>();
  private readonly services: Partial<Record<ServiceRole, ServiceDescriptor>> = {};

  constructor(options: StackOptions) {
    this.options = options;
  }

  private labels(role: ServiceRole): Record<string, string> {
    return {
      [LABELS.harness]: "true",
      [LABELS.runId]: this.options.runId,
      [LABELS.pid]: String(process.pid),
      [LABELS.host]: os.hostname(),
      [LABELS.role]: role,
      ...this.options.extraLabels,
    };
  }

  private containerName(role: ServiceRole): string {
    return `${this.options.runId}-${role}`;
  }

  private network(key: NetworkKey): StackNetwork {
    const network = this.networks.get(key);
    if (!network) throw new Error(`network ${key} was not created`);
    return network;
  }

  private container(role: ServiceRole, image: string, attachments: { key: NetworkKey; aliases: string[] }[]): HarnessContainer {
    const resolved: NetworkAttachment[] = attachments.map((a) => ({ network: this.network(a.key).name, aliases: a.aliases }));
    return new HarnessContainer(image, `${role} (${image})`)
      .withName(this.containerName(role))
      .withLabels(this.labels(role))
      .onNetworks(...resolved);
  }

  /** Describes a started container; `keep` files it as the run's service of that role. */
  private async describe(
    role: ServiceRole,
    started: StartedTestContainer,
    image: string,
    attachments: { key: NetworkKey; aliases: string[] }[],
    keep: boolean,
  ): Promise<ServiceDescriptor> {
    const inspect = await docker().getContainer(started.getId()).inspect();
    const descriptor: ServiceDescriptor = {
      role,
      containerId: started.getId(),
      containerName: inspect.Name.replace(/^\//, ""),
      image,
      networks: attachments.map((a) => ({ key: a.key, name: this.network(a.key).name, aliases: a.aliases })),
      ports: publishedPorts(inspect),
    };
    if (keep) this.services[role] = descriptor;
    return descriptor;
  }

  private async startService(
    role: ServiceRole,
    build: () => HarnessContainer,
    attachments: { key: NetworkKey; aliases: string[] }[],
    image: string,
    keep = true,
  ): Promise<ServiceDescriptor> {
    try {
      const started = await build().start();
      return await this.describe(role, started, image, attachments, keep);
    } catch (error) {
      throw new StackStartError(role, errorText(error));
    }
  }

  private probeId(): string {
    const probe = this.services.probe;
    if (!probe) throw new Error("the probe container is not running");
    return probe.containerId;
  }

  /** Readiness seen from the internal network, where LibreChat will look for the service. */
  private probeFromInside(args: string[], isReady: (result: Awaited<ReturnType<typeof runProbe>>) => boolean): Probe {
    return async () => {
      const result = await runProbe(this.probeId(), args);
      return { ready: isReady(result), detail: `probe ${args.join(" ")} → ${JSON.stringify(result).slice(0, 300)}` };
    };
  }

  async start(): Promise<{ descriptor: StackDescriptor; stop: () => Promise<void> }> {
    const started = Date.now();
    const { runId, profile, images, librechat } = this.options;
    const stop = async (): Promise<void> => {
      await removeRun(runId);
    };
    const secrets = generateSecrets();
    const { env: librechatEnv, applied } = applyHarnessSettings(librechat.environment, harnessSettings(secrets));
    const internalToken = randomBytes(24).toString("hex");
    const fernet = fernetKey();
    const timeout = this.options.startupTimeoutMs;

    // 1. Networks. The internal network has no way out in the prod profile.
    for (const [key, internal] of [
      ["backend", false],
      ["librechat-internal", profile === "prod"],
    ] as const) {
      this.networks.set(key, await createNetwork(key, `${runId}-${key}`, internal, this.labels("probe")));
    }

    const descriptor = (): StackDescriptor => ({
      runId,
      profile,
      startedAt: new Date(started).toISOString(),
      startDurationMs: Date.now() - started,
      networks: { backend: this.network("backend"), "librechat-internal": this.network("librechat-internal") },
      services: this.services,
      startFailure: undefined,
      images,
      librechat: {
        port: librechatPort(librechatEnv),
        hostUrl: undefined,
        readinessRoute: undefined,
        healthRoute: "/health",
        version: "unknown",
        healthcheck: librechat.healthcheck ? { ...librechat.healthcheck, source: librechat.sourceFiles.join(" + ") } : undefined,
        settings: applied,
        environment: Object.fromEntries(Object.entries(librechatEnv).filter(([name]) => !applied.some((s) => s.name === name && s.secret))),
        composeFiles: librechat.sourceFiles,
        backendAliases: librechatAttachments(librechat).get("backend") ?? [],
      },
      stubs: { librechatApiUrl: `http://librechat-api:${librechatPort(librechatEnv)}`, djangoUrl: undefined, sveltekitUrl: undefined },
      chat: { endpoint: CHAT_ENDPOINT.name, model: CHAT_ENDPOINT.model },
      mongo: { uri: `mongodb://mongodb:${MONGO_PORT}`, database: databaseOf(librechatEnv.MONGO_URI) },
      secrets: { internalToken, fernetKey: fernet },
    });

    let result: StackDescriptor;
    try {
      result = await this.startAll(librechatEnv, internalToken, fernet, timeout, descriptor);
    } catch (error) {
      if (error instanceof StackStartError) {
        return { descriptor: { ...descriptor(), startFailure: { role: error.role, message: error.message } }, stop };
      }
      await stop();
      throw error;
    }
    return { descriptor: result, stop };
  }

  private async startAll(
    librechatEnv: Record<string, string>,
    internalToken: string,
    fernet: string,
    timeout: number,
    descriptor: () => StackDescriptor,
  ): Promise<StackDescriptor> {
    const { images, librechat, hostPorts } = this.options;
    const internal = (aliases: string[]) => [{ key: "librechat-internal" as const, aliases }];
    const onData = (role: "mongodb" | "meilisearch") => this.options.dataNetworks[role].map((key) => ({ key, aliases: [role] }));

    // 2. The internal services together, behind the probe that checks them from inside.
    await this.startService("probe", () => this.container("probe", this.options.probeImage, internal([])).withWaitStrategy(instant()), internal([]), this.options.probeImage);
    const meiliKey = librechatEnv.MEILI_MASTER_KEY ?? "";
    await Promise.all([
      this.startService(
        "mongodb",
        () =>
          this.container("mongodb", images.mongodb.ref, onData("mongodb")).withWaitStrategy(
            new ProbeWaitStrategy("mongodb", this.probeFromInside(["mongo", `mongodb://mongodb:${MONGO_PORT}`, "admin", '{"ping":1}'], (r) => r.ok), timeout),
          ),
        onData("mongodb"),
        images.mongodb.ref,
      ),
      this.startService(
        "meilisearch",
        () =>
          this.container("meilisearch", images.meilisearch.ref, onData("meilisearch"))
            .withEnvironment({ MEILI_MASTER_KEY: meiliKey, MEILI_NO_ANALYTICS: "true", MEILI_ENV: "development" })
            .withWaitStrategy(
              new ProbeWaitStrategy("meilisearch", this.probeFromInside(["http", `http://meilisearch:${MEILI_PORT}/health`], (r) => r.status === 200), timeout),
            ),
        onData("meilisearch"),
        images.meilisearch.ref,
      ),
      this.startService(
        "llm",
        () =>
          this.container("llm", images.llm.ref, internal([CHAT_ENDPOINT.llmAlias]))
            .withEnvironment({ MOCK_MODELS: CHAT_ENDPOINT.model, ...this.options.llmEnvironment })
            .withWaitStrategy(
              new ProbeWaitStrategy(
                "mock LLM",
                this.probeFromInside(["http", `http://${CHAT_ENDPOINT.llmAlias}:${CHAT_ENDPOINT.llmPort}/health`], (r) => r.status === 200),
                timeout,
              ),
            ),
        internal([CHAT_ENDPOINT.llmAlias]),
        images.llm.ref,
      ),
    ]);

    // 3. LibreChat, on the networks its compose input names.
    const port = librechatPort(librechatEnv);
    const attachments = [...librechatAttachments(librechat)].map(([key, aliases]) => ({ key, aliases }));
    if (attachments.length === 0) {
      throw new StackStartError("librechat", `LibreChat's compose service ${librechat.serviceName} joins no network (${librechat.sourceFiles.join(", ")}).`);
    }
    const readiness = { route: undefined as string | undefined };
    const librechatReady: Probe = async (containerId) => {
      const ready = await httpGetInside(containerId, `http://localhost:${port}/readyz`);
      if (ready.ok && ready.status === 200 && ready.body?.trim() === "OK") {
        readiness.route = "/readyz";
        return { ready: true, detail: "GET /readyz → 200 OK" };
      }
      if (ready.ok && ready.status === 503) return { ready: false, detail: `GET /readyz → 503 ${ready.body ?? ""}` };
      // No readiness route in this version (404, or the SPA page): its health route decides.
      const health = await httpGetInside(containerId, `http://localhost:${port}/health`);
      return { ready: health.ok && health.status === 200, detail: `GET /readyz → ${ready.status ?? ready.error}; GET /health → ${health.status ?? health.error}` };
    };
    const librechatImage = images.librechat.ref;
    const started = await this.startService(
      "librechat",
      () => {
        const container = this.container("librechat", librechatImage, attachments)
          .withEnvironment(librechatEnv)
          .withCopyContentToContainer([{ content: librechatYaml(), target: CONFIG_MOUNT_PATH, mode: 0o644 }])
          .withWaitStrategy(new ProbeWaitStrategy("librechat", librechatReady, timeout));
        if (librechat.command) container.withCommand(librechat.command);
        if (librechat.user) container.withUser(librechat.user);
        if (librechat.healthcheck) {
          const hc = librechat.healthcheck;
          container.withHealthCheck({
            test: hc.test as ["CMD-SHELL", string] | ["CMD", ...string[]],
            interval: hc.intervalMs,
            timeout: hc.timeoutMs,
            retries: hc.retries,
            startPeriod: hc.startPeriodMs,
          });
        }
        const published = librechat.ports.filter((p) => p.container === port || librechat.ports.length === 1);
        for (const mapping of published.length > 0 ? published : []) {
          if (hostPorts === "compose" && mapping.host !== undefined) {
            container.withFixedPort(mapping.container, "127.0.0.1", mapping.host);
          } else {
            container.withLoopbackPorts(mapping.container);
          }
        }
        return container;
      },
      attachments,
      librechatImage,
    );
    const hostBinding = started.ports[String(port)];

    // 4. The stubs together, on the backend network only.
    this.stubContext = { librechatApiUrl: `http://librechat-api:${port}`, internalToken, fernet, timeout };
    await Promise.all([this.startStub("django"), this.startStub("sveltekit")]);

    const base = descriptor();
    const hostUrl = (role: "django" | "sveltekit"): string | undefined => stubUrl(this.services[role], role);
    return {
      ...base,
      librechat: {
        ...base.librechat,
        hostUrl: hostBinding ? `http://127.0.0.1:${hostBinding.hostPort}` : undefined,
        readinessRoute: readiness.route,
        version: await imageVersion(librechatImage),
      },
      stubs: { librechatApiUrl: this.stubContext.librechatApiUrl, djangoUrl: hostUrl("django"), sveltekitUrl: hostUrl("sveltekit") },
    };
  }

  private stubContext = { librechatApiUrl: "", internalToken: "", fernet: "", timeout: 0 };

  /**
   * Starts one stub on the backend network. With a variant (the fault matrix's switches), it
   * starts a second copy under another name and alias, leaving the run's own stub in place.
   */
  async startStub(
    role: "django" | "sveltekit",
    variant?: { name: string; alias: string; env: Record<string, string> },
  ): Promise<ServiceDescriptor> {
    const { librechatApiUrl, internalToken, fernet, timeout } = this.stubContext;
    const alias = variant?.alias ?? (role === "django" ? "django-dev" : "frontend-dev");
    const attachments = [{ key: "backend" as const, aliases: [alias] }];
    const env: Record<string, string> = {
      LIBRECHAT_API_URL: librechatApiUrl,
      INTERNAL_API_TOKEN: internalToken,
      ...(role === "django" ? { LIBRECHAT_ENCRYPTION_KEY: fernet } : { DJANGO_API_URL: `http://django-dev:${STUB_PORTS.django}` }),
      ...this.options.stubEnvironment,
      ...variant?.env,
    };
    const probe: Probe = async (containerId) => {
      const result = await httpGetInside(containerId, `http://localhost:${STUB_PORTS[role]}/health`);
      return { ready: result.ok && result.status === 200, detail: `GET /health → ${result.status ?? result.error}` };
    };
    const image = this.options.images[role].ref;
    const label = variant ? `${role}-${variant.name}` : role;
    const build = (): HarnessContainer =>
      new HarnessContainer(image, `${label} (${image})`)
        .withName(`${this.options.runId}-${label}`)
        .withLabels(this.labels(role))
        .onNetworks({ network: this.network("backend").name, aliases: [alias] })
        .withEnvironment(env)
        .withLoopbackPorts(STUB_PORTS[role])
        .withWaitStrategy(new ProbeWaitStrategy(label, probe, timeout));
    // A variant is not the run's own stub: it is described but not filed under its role.
    return this.startService(role, build, attachments, image, !variant);
  }
}

function instant(): ProbeWaitStrategy {
  return new ProbeWaitStrategy("probe", async () => ({ ready: true, detail: "idle tool container" }), 10_000);
}

/** The host URL of a stub's published port. */
export function stubUrl(service: ServiceDescriptor | undefined, role: "django" | "sveltekit"): string | undefined {
  const binding = service?.ports[String(STUB_PORTS[role])];
  return binding ? `http://127.0.0.1:${binding.hostPort}` : undefined;
}

function databaseOf(uri: string | undefined): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri ?? "");
  return match?.[1] ?? "LibreChat";
}

async function imageVersion(ref: string): Promise<string> {
  try {
    const info = await docker().getImage(ref).inspect();
    const label = info.Config?.Labels?.["org.opencontainers.image.version"];
    if (label) return label;
  } catch {
    // fall back to the tag below
  }
  const tag = /:([^/:@]+)$/.exec(ref)?.[1];
  return tag ?? "unknown";
}

