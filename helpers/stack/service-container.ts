import type Dockerode from "dockerode";
import { AbstractStartedContainer, type StartedTestContainer } from "testcontainers";
import { docker, errorText } from "../docker/client.ts";
import type { NetworkKey, ServiceDescriptor, ServiceRole } from "./descriptor.ts";
import { createVolumes, dockerMounts, plannedMounts, restartPolicy, composeDeviations, type ComposeFields } from "./compose-fields.ts";
import type { Deviation, PlannedMount } from "./deviations.ts";
import { HarnessContainer } from "./harness-container.ts";
import { HostTooSlowError } from "./readiness.ts";
import { labelsFor, type RunContext } from "./run-context.ts";

/** A container start of the topology that failed; the suites report it under its role. */
export class StackStartError extends Error {
  override name = "StackStartError";
  readonly role: ServiceRole;
  /** The host was too slow to judge the start (no probe ever got an answer): not the service's fault. */
  readonly inconclusive: boolean;
  constructor(role: ServiceRole, message: string, inconclusive = false) {
    super(message);
    this.role = role;
    this.inconclusive = inconclusive;
  }
}

export interface Attachment {
  key: NetworkKey;
  aliases: string[];
}

/** A started service of the topology, with what the suites need to find it and how it differs from Compose's. */
export class StartedService extends AbstractStartedContainer {
  readonly descriptor: ServiceDescriptor;
  readonly deviations: Deviation[];
  constructor(started: StartedTestContainer, descriptor: ServiceDescriptor, deviations: Deviation[]) {
    super(started);
    this.descriptor = descriptor;
    this.deviations = deviations;
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
  private mounts: PlannedMount[] = [];
  /** How this container differs from what Compose would start from its service (for the report). */
  readonly deviations: Deviation[] = [];

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

  /** Carries the compose service's command, user, extra hosts, restart policy and volumes over, as Compose would. */
  withComposeFields(fields: ComposeFields): this {
    if (fields.command) this.withCommand(fields.command);
    if (fields.user) this.withUser(fields.user);
    if (fields.unusableUser !== undefined) {
      this.deviations.push({ service: fields.serviceName, what: `user "${fields.unusableUser}" left out`, why: "UID and GID are unset, and Docker accepts no empty user" });
    }
    if (fields.extraHosts.length > 0) this.hostConfig.ExtraHosts = [...fields.extraHosts];
    if (fields.restart) this.hostConfig.RestartPolicy = restartPolicy(fields.restart);
    this.mounts = plannedMounts(fields, this.run.owner.runId, this.role);
    this.hostConfig.Mounts = dockerMounts(this.mounts);
    this.deviations.push(...composeDeviations(fields, this.mounts));
    return this;
  }

  override async start(): Promise<StartedService> {
    try {
      await createVolumes(this.mounts, labelsFor(this.run, this.role));
      const started = await super.start();
      const inspect = await docker().getContainer(started.getId()).inspect();
      return new StartedService(started, {
        role: this.role,
        containerId: started.getId(),
        containerName: inspect.Name.replace(/^\//, ""),
        image: this.image,
        networks: this.serviceAttachments.map((a) => ({ key: a.key, name: this.run.networks[a.key].name, aliases: a.aliases })),
        ports: publishedPorts(inspect),
      }, [...this.deviations]);
    } catch (error) {
      throw error instanceof StackStartError ? error : new StackStartError(this.role, errorText(error), error instanceof HostTooSlowError);
    }
  }
}
