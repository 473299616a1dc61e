import type { ServiceDefinition } from "../compose/service-definition.ts";
import type { HostPortMode, Profile } from "../config.ts";
import { newRunId } from "../docker/labels.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import { imageProvenance } from "../images/version.ts";
import type { NetworkKey } from "./descriptor.ts";
import { DjangoContainer } from "./django.ts";
import { librechatRuntime } from "./librechat-env.ts";
import { LibreChatContainer, librechatAttachments } from "./librechat.ts";
import { CHAT_ENDPOINT } from "./librechat-yaml.ts";
import { MeiliSearchContainer } from "./meilisearch.ts";
import { MockLlmContainer } from "./mock-llm.ts";
import { MongoDbContainer } from "./mongodb.ts";
import { createRunNetworks } from "./networks.ts";
import { PROBE_IMAGE, ProbeContainer } from "./probe.ts";
import type { RunContext } from "./run-context.ts";
import { generateSecrets } from "./secrets.ts";
import { StackStartError, type StartedService } from "./service-container.ts";
import { describeStack, librechatApiUrl, type StackFacts } from "./stack-descriptor.ts";
import { StartedLibreChatStack } from "./started-stack.ts";
import { SvelteKitContainer } from "./sveltekit.ts";
import { removeRun } from "./teardown.ts";

export interface StackOptions {
  runId: string;
  profile: Profile;
  images: ImageCatalog;
  /** The harness's probe tool image (not a role of the topology). */
  probeImage: string;
  librechat: ServiceDefinition;
  /** MongoDB's and MeiliSearch's compose services, run as Compose would (undefined: the harness's defaults). */
  mongodb: ServiceDefinition | undefined;
  meilisearch: ServiceDefinition | undefined;
  /** Compose services outside the topology, which the run does not start (for the report). */
  unstarted: string[];
  /** The networks MongoDB and MeiliSearch join (LibreChat's internal one unless the compose input says otherwise). */
  dataNetworks: { mongodb: NetworkKey[]; meilisearch: NetworkKey[] };
  /** Extra environment for the mock LLM (e.g. MOCK_FAILURE, the fault matrix's switch). */
  llmEnvironment: Record<string, string>;
  /** Extra environment for both stubs (fault switches such as FORWARD_CLIENT_HEADERS=false). */
  stubEnvironment: Record<string, string>;
  hostPorts: HostPortMode;
  /** Labels beyond the run's own (HARNESS_REUSE marks a kept stack with its configuration hash). */
  extraLabels: Record<string, string>;
  startupTimeoutMs: number;
  /** HARNESS_TIME_SCALE: the factor on the start-up timeout and on every probe's own timeout. */
  timeScale: number;
}

/**
 * The guide's topology as one fluent builder, in the manner of testcontainers-node's modules:
 * configure with `with...`, `start()` it, and use the `StartedLibreChatStack` it returns.
 */
export class LibreChatStack {
  private readonly options: StackOptions;

  constructor(images: ImageCatalog, librechat: ServiceDefinition) {
    this.options = {
      runId: newRunId(),
      profile: "dev",
      images,
      probeImage: PROBE_IMAGE,
      librechat,
      mongodb: undefined,
      meilisearch: undefined,
      unstarted: [],
      dataNetworks: { mongodb: ["librechat-internal"], meilisearch: ["librechat-internal"] },
      llmEnvironment: {},
      stubEnvironment: {},
      hostPorts: "random",
      extraLabels: {},
      startupTimeoutMs: 180_000,
      timeScale: 1,
    };
  }

  withRunId(runId: string): this {
    this.options.runId = runId;
    return this;
  }

  withProfile(profile: Profile): this {
    this.options.profile = profile;
    return this;
  }

  /** MongoDB's and MeiliSearch's own compose services, and the services the run leaves out. */
  withComposeServices(services: { mongodb: ServiceDefinition | undefined; meilisearch: ServiceDefinition | undefined; unstarted: string[] }): this {
    Object.assign(this.options, services);
    return this;
  }

  /** The networks MongoDB and MeiliSearch join, as their compose services say. */
  withDataNetworks(networks: { mongodb: NetworkKey[]; meilisearch: NetworkKey[] }): this {
    this.options.dataNetworks = networks;
    return this;
  }

  /** Extra environment for both stubs, e.g. FORWARD_CLIENT_HEADERS=false. */
  withStubEnvironment(environment: Record<string, string>): this {
    this.options.stubEnvironment = { ...this.options.stubEnvironment, ...environment };
    return this;
  }

  /** Extra environment for the mock LLM, e.g. MOCK_FAILURE. */
  withLlmEnvironment(environment: Record<string, string>): this {
    this.options.llmEnvironment = { ...this.options.llmEnvironment, ...environment };
    return this;
  }

  withHostPorts(mode: HostPortMode): this {
    this.options.hostPorts = mode;
    return this;
  }

  withLabels(labels: Record<string, string>): this {
    this.options.extraLabels = { ...this.options.extraLabels, ...labels };
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.options.startupTimeoutMs = ms;
    return this;
  }

  /** Scales the start-up timeout and every probe's own timeout (HARNESS_TIME_SCALE). */
  withTimeScale(scale: number): this {
    this.options.timeScale = scale;
    return this;
  }

  get runId(): string {
    return this.options.runId;
  }

  /** What identifies the stack for HARNESS_REUSE (everything but the run's own id and labels). */
  get configuration(): Readonly<StackOptions> {
    return this.options;
  }

  /**
   * Starts the networks, then the probe, MongoDB, MeiliSearch and the mock LLM together, then
   * LibreChat, then both stubs together; each waits on health, never on a fixed sleep. Bad input
   * throws; a service that fails to start does not: the handle says which one (`startFailure`).
   */
  async start(): Promise<StartedLibreChatStack> {
    const o = { ...this.options };
    const startedAt = Date.now();
    const run = await this.createRun(o);
    const secrets = generateSecrets();
    const facts: StackFacts = { options: o, run, secrets, services: {}, deviations: [], startedAt, startFailure: undefined,
      librechat: { ...librechatRuntime(o.librechat, secrets), readinessRoute: undefined, provenance: await imageProvenance(o.images.librechat.ref) } };
    const keep = (started: StartedService): void => {
      facts.services[started.descriptor.role] = started.descriptor;
      facts.deviations.push(...started.deviations);
    };
    const wiring = { librechatApiUrl: librechatApiUrl(facts.librechat.runtime), internalToken: secrets.internalToken, fernetKey: secrets.fernetKey };
    try {
      const probe = new ProbeContainer(run, o.probeImage).start();
      await Promise.all([
        probe.then(keep),
        new MongoDbContainer(o.images.mongodb.ref, run, o.mongodb, o.dataNetworks.mongodb, probe).start().then(keep),
        new MeiliSearchContainer(o.images.meilisearch.ref, run, o.meilisearch, o.dataNetworks.meilisearch, secrets.meiliKey, probe).start().then(keep),
        new MockLlmContainer(o.images.llm.ref, run, [CHAT_ENDPOINT.model], o.llmEnvironment, probe).start().then(keep),
      ]);
      facts.librechat.readinessRoute = await this.startLibreChat(o, run, facts, keep);
      await Promise.all([
        new DjangoContainer(o.images.django.ref, run, wiring, o.stubEnvironment).start().then(keep),
        new SvelteKitContainer(o.images.sveltekit.ref, run, wiring, o.stubEnvironment).start().then(keep),
      ]);
    } catch (error) {
      if (!(error instanceof StackStartError)) {
        await removeRun(run.owner.runId);
        throw error;
      }
      facts.startFailure = { role: error.role, message: error.message, inconclusive: error.inconclusive };
    }
    const librechat = { runtime: facts.librechat.runtime, attachments: librechatAttachments(o.librechat), hostPorts: o.hostPorts };
    return new StartedLibreChatStack(describeStack(facts), { run, images: o.images, wiring, extraEnv: o.stubEnvironment, librechat });
  }

  private async createRun(o: StackOptions): Promise<RunContext> {
    const owner = { runId: o.runId, pid: process.pid };
    try {
      const networks = await createRunNetworks(owner, o.profile, o.extraLabels);
      return { owner, networks, extraLabels: o.extraLabels, startupTimeoutMs: o.startupTimeoutMs * o.timeScale, timeScale: o.timeScale };
    } catch (error) {
      await removeRun(o.runId);
      throw error;
    }
  }

  /** LibreChat on the networks its compose input names; resolves with its readiness route. */
  private async startLibreChat(o: StackOptions, run: RunContext, facts: StackFacts, keep: (s: StartedService) => void): Promise<string | undefined> {
    const attachments = librechatAttachments(o.librechat);
    if (attachments.length === 0) {
      throw new StackStartError("librechat", `LibreChat's compose service ${o.librechat.serviceName} joins no network (${o.librechat.sourceFiles.join(", ")}).`);
    }
    const container = new LibreChatContainer(o.images.librechat.ref, run, facts.librechat.runtime, attachments, { hostPorts: o.hostPorts });
    keep(await container.start());
    return container.readiness.route;
  }
}
