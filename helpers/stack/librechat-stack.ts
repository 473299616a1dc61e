import type { Profile } from "../config.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import { FIXTURES } from "../images/fixtures.ts";
import type { NetworkKey, ServiceDescriptor, StackDescriptor } from "./descriptor.ts";
import type { HostPortMode } from "./host-ports.ts";
import type { LibreChatServiceDefinition } from "./librechat-service.ts";
import { newRunId } from "./run-id.ts";
import { StackBuilder, type StackOptions } from "./stack.ts";

/**
 * The guide's topology as one fluent builder, in the manner of testcontainers-node's modules:
 * configure with `with...`, `start()` it, and use the `StartedLibreChatStack` it returns.
 */
export class LibreChatStack {
  private readonly options: StackOptions;

  constructor(images: ImageCatalog, librechat: LibreChatServiceDefinition) {
    this.options = {
      runId: newRunId(),
      profile: "dev",
      images,
      probeImage: FIXTURES.probe.tag,
      librechat,
      dataNetworks: { mongodb: ["librechat-internal"], meilisearch: ["librechat-internal"] },
      llmEnvironment: {},
      stubEnvironment: {},
      hostPorts: "random",
      extraLabels: {},
      startupTimeoutMs: 180_000,
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

  get runId(): string {
    return this.options.runId;
  }

  /** What identifies the stack for HARNESS_REUSE (everything but the run's own id and labels). */
  get configuration(): Readonly<StackOptions> {
    return this.options;
  }

  /**
   * Starts the stack. Bad input throws; a service that fails to start does not: the handle
   * says which one (`startFailure`), so the checklist can report it.
   */
  async start(): Promise<StartedLibreChatStack> {
    const builder = new StackBuilder({ ...this.options });
    const { descriptor, stop } = await builder.start();
    return new StartedLibreChatStack(builder, descriptor, stop);
  }
}

/** A running stack: its descriptor for the suites, stub variants for the fault matrix, and stop. */
export class StartedLibreChatStack {
  readonly descriptor: StackDescriptor;
  private readonly builder: StackBuilder;
  private readonly stopStack: () => Promise<void>;

  constructor(builder: StackBuilder, descriptor: StackDescriptor, stop: () => Promise<void>) {
    this.builder = builder;
    this.descriptor = descriptor;
    this.stopStack = stop;
  }

  get runId(): string {
    return this.descriptor.runId;
  }

  /** A second copy of a stub, under another name and alias, with other switches. */
  startStubVariant(role: "django" | "sveltekit", variant: { name: string; alias: string; env: Record<string, string> }): Promise<ServiceDescriptor> {
    return this.builder.startStub(role, variant);
  }

  /** Removes every container, network and volume of the run, stubs first. */
  stop(): Promise<void> {
    return this.stopStack();
  }
}
