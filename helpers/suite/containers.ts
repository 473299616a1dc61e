// What the suites read of the run's containers and networks from Docker, as `docker inspect`
// and `docker network inspect` show it, and the checks they run inside containers.
import dotenv from "dotenv";
import { docker } from "../docker/client.ts";
import { containerState, formatHealthLog, lastLogLines, type ContainerState, type HealthProbe } from "../docker/diagnostics.ts";
import type { ServiceRole } from "../stack/descriptor.ts";
import { httpGetInside, type ProbeJson } from "../stack/in-container.ts";
import { runProbe, type ProbeReply } from "../stack/probe.ts";
import { answer, evidenceOf, finishedInside, scaled, type Observation } from "./evidence.ts";
import { stack } from "./context.ts";

export { containerState, formatHealthLog, httpGetInside, lastLogLines };
export type { ContainerState, HealthProbe, ProbeJson, ProbeReply };

/** The probe tool, run in the run's probe container on LibreChat's internal network (no answer when it could not finish). */
export async function probe(args: string[]): Promise<Observation<ProbeReply>> {
  const id = stack().services.probe?.containerId;
  if (!id) return answer({ ok: false, error: "the probe container is not running in this run" });
  return runProbe(id, args, scaled(20_000));
}

/** The probe's answer, tried until it gives one that `wanted` accepts, or the deadline; inconclusive without any. */
export function probeUntil(what: string, args: string[], wanted: (reply: ProbeReply) => boolean): Promise<ProbeReply> {
  return evidenceOf(what, () => probe(args), wanted);
}

export async function restartCount(containerId: string): Promise<number> {
  return (await docker().getContainer(containerId).inspect()).RestartCount;
}

/** The environment a container was created with (`docker inspect`'s Config.Env). */
export async function configuredEnv(containerId: string): Promise<Record<string, string>> {
  return parseEnvLines((await docker().getContainer(containerId).inspect()).Config.Env ?? []);
}

export function parseEnvLines(lines: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of lines) {
    const index = line.indexOf("=");
    if (index > 0) env[line.slice(0, index)] = line.slice(index + 1);
  }
  return env;
}

/** A container's published ports: `<port>/tcp` → its host bindings. */
export async function publishedPorts(containerId: string): Promise<Record<string, { HostIp: string; HostPort: string }[]>> {
  const ports = (await docker().getContainer(containerId).inspect()).NetworkSettings.Ports ?? {};
  return Object.fromEntries(Object.entries(ports).map(([key, list]) => [key, list ?? []]));
}

/** Names of the networks a container is attached to, as Docker reports them now. */
export async function networkNamesOf(containerId: string): Promise<string[]> {
  return Object.keys((await docker().getContainer(containerId).inspect()).NetworkSettings.Networks);
}

/** `docker network inspect`: its members (container id → name and address) and its internal flag. */
export async function inspectNetwork(networkId: string): Promise<{ internal: boolean; members: { id: string; name: string; address: string }[] }> {
  const inspected = await docker().getNetwork(networkId).inspect();
  const containers = (inspected.Containers ?? {}) as Record<string, { Name: string; IPv4Address: string }>;
  return { internal: inspected.Internal === true, members: Object.entries(containers).map(([id, c]) => ({ id, name: c.Name, address: c.IPv4Address })) };
}

export function serviceId(role: ServiceRole): string | undefined {
  return stack().services[role]?.containerId;
}

/**
 * What a LibreChat process sees, as it reads it: its container environment, over the `.env` its
 * dotenv loads from its working directory (Compose binds the checkout's .env there), which fills
 * only what the environment leaves unset. `fromDotenv` names the values that came from the file.
 */
export async function processEnvOf(containerId: string): Promise<{ env: Record<string, string>; fromDotenv: string[] }> {
  const container = parseEnvLines((await finishedInside("LibreChat's environment", containerId, ["env"])).stdout.split("\n"));
  const workdir = (await docker().getContainer(containerId).inspect()).Config.WorkingDir || "/";
  const file = await finishedInside("LibreChat's .env", containerId, ["cat", `${workdir.replace(/\/$/, "")}/.env`]);
  const dotenvValues = file.exitCode === 0 ? dotenv.parse(file.stdout) : {};
  const fromDotenv = Object.keys(dotenvValues).filter((name) => container[name] === undefined);
  return { env: { ...dotenvValues, ...container }, fromDotenv };
}
