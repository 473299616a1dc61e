import type Dockerode from "dockerode";
import { AbstractStartedContainer, type StartedTestContainer } from "testcontainers";
import { docker, errorText } from "../docker/client.ts";
import type { NetworkKey, ServiceDescriptor, ServiceRole } from "./descriptor.ts";
import { HarnessContainer } from "./harness-container.ts";
import { labelsFor, type RunContext } from "./run-context.ts";

/** A container start of the topology that failed; the suites report it under its role. */
export class StackStartError extends Error {
  override name = "StackStartError";
  readonly role: ServiceRole;
  constructor(role: ServiceRole, message: string) {
    super(message);
    this.role = role;
  }
}

export interface Attachment {
  key: NetworkKey;
  aliases: string[];
}

/** A started service of the topology, with what the suites need to find it. */
export class StartedService extends AbstractStartedContainer {
  readonly descriptor: ServiceDescriptor;
  constructor(started: StartedTestContainer, descriptor: ServiceDescriptor) {
    super(started);
    this.descriptor = descriptor;
  }
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
 * One service of one run: named `<run id>-<name>`, labelled for the run, attached only to the
 * run's networks it names. Each role module (mongodb.ts, librechat.ts, ...) extends it with its
 * port, aliases, environment and wait, as a testcontainers-node module does.
 */
export class ServiceContainer extends HarnessContainer {
  protected readonly role: ServiceRole;
  protected readonly run: RunContext;
  private readonly serviceAttachments: Attachment[];
  private readonly image: string;

  constructor(image: string, role: ServiceRole, run: RunContext, attachments: Attachment[], name: string = role) {
    super(image, `${name} (${image})`);
    this.image = image;
    this.role = role;
    this.run = run;
    this.serviceAttachments = attachments;
    this.withName(`${run.owner.runId}-${name}`)
      .withLabels(labelsFor(run, role))
      .onNetworks(...attachments.map((a) => ({ network: run.networks[a.key].name, aliases: a.aliases })));
  }

  override async start(): Promise<StartedService> {
    try {
      const started = await super.start();
      const inspect = await docker().getContainer(started.getId()).inspect();
      return new StartedService(started, {
        role: this.role,
        containerId: started.getId(),
        containerName: inspect.Name.replace(/^\//, ""),
        image: this.image,
        networks: this.serviceAttachments.map((a) => ({ key: a.key, name: this.run.networks[a.key].name, aliases: a.aliases })),
        ports: publishedPorts(inspect),
      });
    } catch (error) {
      throw error instanceof StackStartError ? error : new StackStartError(this.role, errorText(error));
    }
  }
}
