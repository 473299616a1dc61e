import { setTimeout as delay } from "node:timers/promises";
import type Dockerode from "dockerode";
import type { WaitStrategy } from "testcontainers";
import { docker } from "../docker/client.ts";
import { containerState, describeContainer } from "../docker/diagnostics.ts";
import { SLOW_HOST_FIX } from "../docker/until.ts";
import { ContainerStartError } from "./harness-container.ts";

export interface ProbeResult {
  ready: boolean;
  /** What the probe saw, for the timeout message. */
  detail: string;
  /** false: the probe could not run or finish (a starved exec), so it says nothing about the service. */
  answered?: boolean;
}

/** A start wait that ended with no probe ever getting an answer: the host was too slow to tell. */
export class HostTooSlowError extends ContainerStartError {
  override name = "HostTooSlowError";
}

/** The base URL (`http://127.0.0.1:<host port>`) where a container port is published on the host, if it is. */
export type Published = (containerPort: number) => string | undefined;

/**
 * Gets the id of the container being waited for (Docker assigns it only at create), and where its
 * ports are published, so that a probe can ask from the host instead of starting a program inside.
 */
export type Probe = (containerId: string, published: Published) => Promise<ProbeResult>;

/** The container's published TCP ports, read once: Docker assigns them at start and keeps them while it runs. */
export async function publishedPorts(containerId: string): Promise<Published> {
  const ports = (await docker().getContainer(containerId).inspect()).NetworkSettings.Ports ?? {};
  return (containerPort) => {
    const binding = ports[`${containerPort}/tcp`]?.[0];
    if (!binding?.HostPort) return undefined;
    // The harness publishes on 127.0.0.1; a binding on every interface (or IPv6's) is reached there too.
    const ip = binding.HostIp && binding.HostIp !== "0.0.0.0" && !binding.HostIp.includes(":") ? binding.HostIp : "127.0.0.1";
    return `http://${ip}:${binding.HostPort}`;
  };
}

const POLL_MS = 250;

/**
 * Polls a readiness probe until it passes, and fails at once (with the container's state,
 * health log and last log lines) when the container stops running or is restarted. Docker's
 * "unhealthy" ends nothing: it is the compose healthcheck's verdict at one moment (its start
 * period may be short for a busy host, and a container turns healthy again when it answers);
 * healthcheck-passes judges it, and readiness decides here, by the deadline.
 */
export async function waitUntilReady(label: string, containerId: string, probe: Probe, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no probe ran yet";
  let answered = false;
  let published: Published | undefined;
  for (;;) {
    const state = await containerState(containerId);
    if (state.restartCount > 0 || state.status === "restarting") {
      // Its restart policy (compose `restart: always`) brought it back: it exited while starting.
      throw new ContainerStartError(`${label} exited while starting and Docker restarted it (${last}).\n${await describeContainer(containerId)}`);
    }
    if (!state.running) {
      throw new ContainerStartError(`${label} stopped while starting (${last}).\n${await describeContainer(containerId)}`);
    }
    published ??= await publishedPorts(containerId);
    const result: ProbeResult = await probe(containerId, published).catch((error: unknown) => {
      // A start failure the probe depends on (the probe container itself) is final.
      if (error instanceof ContainerStartError) throw error;
      return { ready: false, detail: String(error) };
    });
    last = result.detail;
    answered ||= result.answered !== false;
    if (result.ready) return;
    if (Date.now() > deadline && !answered) {
      throw new HostTooSlowError(`the host was too slow to judge whether ${label} starts: in ${Math.round(timeoutMs / 1000)} s no readiness probe got an answer; last: ${last}. ${SLOW_HOST_FIX}\n${await describeContainer(containerId)}`);
    }
    if (Date.now() > deadline) {
      throw new ContainerStartError(
        `${label} was not ready after ${Math.round(timeoutMs / 1000)} s; last probe: ${last}.\n${await describeContainer(containerId)}`,
      );
    }
    await delay(POLL_MS);
  }
}

/** Lets Testcontainers' start() wait with a harness probe. */
export class ProbeWaitStrategy implements WaitStrategy {
  private readonly label: string;
  private readonly probe: Probe;
  private startupTimeoutMs: number;

  constructor(label: string, probe: Probe, timeoutMs: number) {
    this.label = label;
    this.probe = probe;
    this.startupTimeoutMs = timeoutMs;
  }

  async waitUntilReady(container: Dockerode.Container): Promise<void> {
    await waitUntilReady(this.label, container.id, this.probe, this.startupTimeoutMs);
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return true;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }
}

/** For a container that is ready once it runs (the idle probe). */
export function runningIsReady(label: string): ProbeWaitStrategy {
  return new ProbeWaitStrategy(label, async () => ({ ready: true, detail: "running" }), 10_000);
}
