import { setTimeout as delay } from "node:timers/promises";
import type Dockerode from "dockerode";
import type { WaitStrategy } from "testcontainers";
import { execIn } from "../docker/exec.ts";
import { containerState, describeContainer } from "./diagnostics.ts";
import { ContainerStartError } from "./harness-container.ts";

export interface ProbeResult {
  ready: boolean;
  /** What the probe saw, for the timeout message. */
  detail: string;
}

/** Gets the id of the container being waited for (Docker assigns it only at create). */
export type Probe = (containerId: string) => Promise<ProbeResult>;

const POLL_MS = 250;

/**
 * Polls a readiness probe until it passes, and fails at once (with the container's state,
 * health log and last log lines) when the container stops running or turns unhealthy.
 */
export async function waitUntilReady(label: string, containerId: string, probe: Probe, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no probe ran yet";
  for (;;) {
    const state = await containerState(containerId);
    if (!state.running) {
      throw new ContainerStartError(`${label} stopped while starting (${last}).\n${await describeContainer(containerId)}`);
    }
    if (state.health?.status === "unhealthy") {
      throw new ContainerStartError(`${label} turned unhealthy while starting (${last}).\n${await describeContainer(containerId)}`);
    }
    const result = await probe(containerId).catch((error: unknown) => ({ ready: false, detail: String(error) }));
    last = result.detail;
    if (result.ready) return;
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

interface ProbeJson {
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
}

/** Runs the probe tool inside the probe container and parses its one JSON line. */
export async function runProbe(probeContainerId: string, args: string[], timeoutMs = 10_000): Promise<ProbeJson> {
  const result = await execIn(probeContainerId, ["probe", ...args], { timeoutMs });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as ProbeJson;
  } catch {
    return { ok: false, error: `probe printed no JSON (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 300)}` };
  }
}

/** An HTTP GET from inside a container, with Node when it has it, else BusyBox/GNU wget. */
const NODE_FETCH =
  "fetch(process.argv[1],{signal:AbortSignal.timeout(4000)}).then(async r=>console.log(JSON.stringify({ok:true,status:r.status,body:(await r.text()).slice(0,500)}))).catch(e=>console.log(JSON.stringify({ok:false,error:String((e.cause&&e.cause.code)||e.message)})))";

export async function httpGetInside(containerId: string, url: string): Promise<ProbeJson> {
  const viaNode = await execIn(containerId, ["node", "-e", NODE_FETCH, url], { timeoutMs: 8000 });
  const line = viaNode.stdout.trim().split("\n").pop() ?? "";
  if (viaNode.exitCode === 0 && line.startsWith("{")) return JSON.parse(line) as ProbeJson;
  const viaWget = await execIn(containerId, ["wget", "-q", "-O", "-", "-T", "4", url], { timeoutMs: 8000 });
  if (viaWget.exitCode === 0) return { ok: true, status: 200, body: viaWget.stdout.slice(0, 500) };
  const status = /HTTP\/\S+ (\d{3})/.exec(viaWget.stderr)?.[1];
  if (status) return { ok: true, status: Number(status), body: "" };
  return { ok: false, error: (viaWget.stderr || viaNode.stderr).trim().slice(0, 300) || `exit ${viaWget.exitCode}` };
}
