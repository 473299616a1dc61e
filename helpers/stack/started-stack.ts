import type { HostPortMode } from "../config.ts";
import { docker } from "../docker/client.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import { imageProvenance } from "../images/version.ts";
import type { ServiceDescriptor, StackDescriptor } from "./descriptor.ts";
import { DjangoContainer, publishedUrl } from "./django.ts";
import { LibreChatContainer, type LibreChatRuntime } from "./librechat.ts";
import type { RunContext } from "./run-context.ts";
import type { Attachment, StartedService } from "./service-container.ts";
import type { StubVariant, StubWiring } from "./stub-container.ts";
import { SvelteKitContainer } from "./sveltekit.ts";
import { removeRun } from "./teardown.ts";

/** What a started stack needs to add stub copies, or another LibreChat, to itself later. */
export interface StubFactory {
  run: RunContext;
  images: ImageCatalog;
  wiring: StubWiring;
  extraEnv: Record<string, string>;
  /** LibreChat's runtime (its environment with the run's secrets) and attachments, to start another image the same way. */
  librechat: { runtime: LibreChatRuntime; attachments: Attachment[]; hostPorts: HostPortMode };
}

/** A replaced LibreChat: the stack with the new one, and the new container's start (its log lines tell of migrations). */
export interface Replacement {
  stack: StartedLibreChatStack;
  started: StartedService | undefined;
  /** Set when the new LibreChat did not become ready (the stack then has no LibreChat). */
  failure: string | undefined;
}

/**
 * A running stack: its descriptor for the suites, stub variants for the fault matrix, and stop.
 * It never changes after start; `await using` stops it at the end of the scope.
 */
export class StartedLibreChatStack implements AsyncDisposable {
  readonly descriptor: Readonly<StackDescriptor>;
  private readonly stubs: StubFactory;

  constructor(descriptor: StackDescriptor, stubs: StubFactory) {
    this.descriptor = Object.freeze(descriptor);
    this.stubs = stubs;
  }

  get runId(): string {
    return this.descriptor.runId;
  }

  /** A second copy of a stub, under another name and alias, with other switches; the run's own stays. */
  async startStubVariant(role: "django" | "sveltekit", variant: StubVariant): Promise<ServiceDescriptor> {
    const { run, images, wiring, extraEnv } = this.stubs;
    const container =
      role === "django" ? new DjangoContainer(images.django.ref, run, wiring, extraEnv, variant) : new SvelteKitContainer(images.sveltekit.ref, run, wiring, extraEnv, variant);
    return (await container.start()).descriptor;
  }

  /**
   * Replaces LibreChat in place with another image, as an upgrade does: the same environment
   * and secrets, the same networks, aliases and per-run volumes, on the same MongoDB and
   * MeiliSearch data. The stubs keep reaching it by its aliases.
   */
  async replaceLibreChat(image: string, origin: string): Promise<Replacement> {
    const { run, librechat } = this.stubs;
    const old = this.descriptor.services.librechat;
    if (old) await docker().getContainer(old.containerId).remove({ force: true });
    const images = { ...this.stubs.images, librechat: { ...this.stubs.images.librechat, ref: image, source: "given" as const, origin, fixture: undefined } };
    const container = new LibreChatContainer(image, run, librechat.runtime, librechat.attachments, { hostPorts: librechat.hostPorts });
    const services = { ...this.descriptor.services };
    delete services.librechat;
    try {
      const started = await container.start();
      services.librechat = started.descriptor;
      const provenance = await imageProvenance(image);
      const hostUrl = publishedUrl(started.descriptor, this.descriptor.librechat.port);
      const descriptor = { ...this.descriptor, services, images, librechat: { ...this.descriptor.librechat, ...provenance, hostUrl, readinessRoute: container.readiness.route } };
      return { stack: new StartedLibreChatStack(descriptor, { ...this.stubs, images }), started, failure: undefined };
    } catch (error) {
      const descriptor = { ...this.descriptor, services, images };
      return { stack: new StartedLibreChatStack(descriptor, { ...this.stubs, images }), started: undefined, failure: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Removes every container, network and volume of the run, stubs first; returns what could not be removed. */
  stop(): Promise<string[]> {
    return removeRun(this.runId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
