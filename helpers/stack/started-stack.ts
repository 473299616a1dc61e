import type { ImageCatalog } from "../images/catalog.ts";
import type { ServiceDescriptor, StackDescriptor } from "./descriptor.ts";
import { DjangoContainer } from "./django.ts";
import type { RunContext } from "./run-context.ts";
import type { StubVariant, StubWiring } from "./stub-container.ts";
import { SvelteKitContainer } from "./sveltekit.ts";
import { removeRun } from "./teardown.ts";

/** What a started stack needs to add stub copies to itself later. */
export interface StubFactory {
  run: RunContext;
  images: ImageCatalog;
  wiring: StubWiring;
  extraEnv: Record<string, string>;
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

  /** Removes every container, network and volume of the run, stubs first; returns what could not be removed. */
  stop(): Promise<string[]> {
    return removeRun(this.runId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
