import { GenericContainer, type StartedTestContainer } from "testcontainers";
import { docker } from "../docker/client.ts";
import { describeContainer } from "../docker/diagnostics.ts";

export interface NetworkAttachment {
  /** The Docker network's real (per-run) name. */
  network: string;
  aliases: string[];
}

/** A container start that failed; the message already carries state, health log and last log lines. */
export class ContainerStartError extends Error {
  override name = "ContainerStartError";
}

/**
 * GenericContainer that is attached only to the networks it is given.
 *
 * Testcontainers' `withNetworkAliases` creates the container on Docker's default bridge and
 * then connects it to the named network, so the container stays on `bridge` and "isolated"
 * containers can reach each other there. Here the first network is the container's network
 * mode (with its aliases in the create request), and the others are connected after create
 * and before start, so `bridge` is never involved.
 */
export class HarnessContainer extends GenericContainer {
  private attachments: NetworkAttachment[] = [];
  private createdId: string | undefined;
  private readonly label: string;

  constructor(image: string, label: string) {
    super(image);
    this.label = label;
  }

  onNetworks(...attachments: NetworkAttachment[]): this {
    const [first] = attachments;
    if (!first) throw new Error("onNetworks needs at least one network");
    this.attachments = attachments;
    this.withNetworkMode(first.network);
    this.createOpts.NetworkingConfig = {
      EndpointsConfig: { [first.network]: { Aliases: first.aliases } },
    };
    return this;
  }

  /** Publishes container ports on 127.0.0.1 only, each on a random free host port. */
  withLoopbackPorts(...ports: number[]): this {
    for (const port of ports) {
      const key = `${port}/tcp`;
      this.createOpts.ExposedPorts = { ...this.createOpts.ExposedPorts, [key]: {} };
      this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [key]: [{ HostIp: "127.0.0.1", HostPort: "" }] };
    }
    return this;
  }

  /** Publishes a container port on a fixed host address and port (the compose file's own mapping). */
  withFixedPort(containerPort: number, hostIp: string, hostPort: number): this {
    const key = `${containerPort}/tcp`;
    this.createOpts.ExposedPorts = { ...this.createOpts.ExposedPorts, [key]: {} };
    this.hostConfig.PortBindings = {
      ...this.hostConfig.PortBindings,
      [key]: [{ HostIp: hostIp, HostPort: String(hostPort) }],
    };
    return this;
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdId = containerId;
    for (const extra of this.attachments.slice(1)) {
      await docker()
        .getNetwork(extra.network)
        .connect({ Container: containerId, EndpointConfig: { Aliases: extra.aliases } });
    }
  }

  /** The id of the container once created, also when the start then failed. */
  get containerId(): string | undefined {
    return this.createdId;
  }

  override async start(): Promise<StartedTestContainer> {
    try {
      return await super.start();
    } catch (error) {
      if (error instanceof ContainerStartError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const details = this.createdId ? await describeContainer(this.createdId) : "(the container was never created)";
      throw new ContainerStartError(`${this.label} did not start: ${reason}\n${details}`);
    }
  }
}
