import { docker } from "../docker/client.ts";
import type { ServiceRole } from "../stack/descriptor.ts";
import { execService, oneLine, stack } from "./context.ts";
import { answer, noAnswer, scaled, type Observation } from "./evidence.ts";

export interface CurlResult {
  /** The command as a person would type it (`docker exec <container> curl ...`). */
  command: string;
  exitCode: number;
  status: number | undefined;
  body: string;
  /** curl's own error line, e.g. "curl: (6) Could not resolve host: librechat-api". */
  error: string;
  /** A TCP connection was made (curl's time_connect), whatever happened after it. */
  connected: boolean;
  /** curl gave up on its own timeout (exit 28), or the exec did not finish: no answer came in time. */
  timedOut: boolean;
  /** The curl exec itself finished (a starved one did not). */
  finished: boolean;
}

const STATUS_MARK = "\n__harness_http_status__=";
const CONNECT_MARK = " __harness_time_connect__=";

/** `docker exec <stub> curl <url>`, as the guide runs it, with the status code kept apart (curl's timeout × HARNESS_TIME_SCALE). */
export async function curlFrom(role: ServiceRole, url: string, timeoutSeconds = 5): Promise<CurlResult> {
  const name = stack().services[role]?.containerName ?? role;
  const seconds = Math.max(1, Math.round(scaled(timeoutSeconds * 1000) / 1000));
  const result = await execService(role, ["curl", "-sS", "-m", String(seconds), "-w", `${STATUS_MARK}%{http_code}${CONNECT_MARK}%{time_connect}`, url], (seconds + 15) * 1000);
  const index = result.stdout.lastIndexOf(STATUS_MARK);
  const body = index >= 0 ? result.stdout.slice(0, index) : result.stdout;
  const tail = index >= 0 ? result.stdout.slice(index + STATUS_MARK.length) : "";
  const [statusText = "", connectText = "0"] = tail.split(CONNECT_MARK);
  const status = index >= 0 ? Number(statusText.trim()) : undefined;
  return {
    command: `docker exec ${name} curl ${url}`,
    exitCode: result.exitCode,
    status: status && status > 0 ? status : undefined,
    body,
    error: oneLine(result.stderr),
    connected: Number(connectText.trim()) > 0,
    timedOut: result.timedOut || result.exitCode === 28,
    finished: !result.timedOut,
  };
}

/**
 * A curl that must get its answer: one that timed out (before connecting, or connected with no
 * answer yet) is no answer, to be tried again; a refusal or an unknown name is one.
 */
export async function curlAnswer(role: ServiceRole, url: string, timeoutSeconds = 5): Promise<Observation<CurlResult>> {
  const result = await curlFrom(role, url, timeoutSeconds);
  return result.timedOut ? noAnswer(`${result.command}: no answer in time (${result.error || `exit ${result.exitCode}`})`) : answer(result);
}

export function describeCurl(result: CurlResult): string {
  if (result.exitCode === 0) return `${result.command} → HTTP ${result.status} ${oneLine(result.body, 160)}`;
  return `${result.command} → exit ${result.exitCode}: ${result.error || "(no message)"}`;
}

/** The container's address on one of the run's networks. */
export async function addressOn(role: ServiceRole, networkName: string): Promise<string | undefined> {
  const target = stack().services[role];
  if (!target) return undefined;
  const info = await docker().getContainer(target.containerId).inspect();
  return info.NetworkSettings.Networks[networkName]?.IPAddress || undefined;
}

/** Names of the networks a container is attached to, as Docker reports them now. */
export async function attachedNetworks(containerId: string): Promise<Record<string, { aliases: string[]; ip: string }>> {
  const info = await docker().getContainer(containerId).inspect();
  const out: Record<string, { aliases: string[]; ip: string }> = {};
  for (const [name, settings] of Object.entries(info.NetworkSettings.Networks)) {
    out[name] = { aliases: settings.Aliases ?? [], ip: settings.IPAddress };
  }
  return out;
}

export interface Lookup {
  command: string;
  addresses: string[];
  output: string;
  /** The resolver gave no answer in time, as opposed to NXDOMAIN. */
  resolverTimedOut: boolean;
  /** The nslookup exec itself finished (a starved one did not). */
  finished: boolean;
}

/** `docker exec <stub> nslookup <name>`, as the guide runs it; addresses after the server's own lines. */
export async function nslookupFrom(role: ServiceRole, name: string): Promise<Lookup> {
  const container = stack().services[role]?.containerName ?? role;
  const result = await execService(role, ["nslookup", name], scaled(20_000));
  const output = `${result.stdout}${result.stderr}`;
  const afterName = output.split(/\nName:\s/).slice(1).join("\n");
  const addresses = [...afterName.matchAll(/Address(?:es)?:\s*([0-9a-f.:]+)/gi)].map((m) => m[1]!);
  const resolverTimedOut = /timed out|no servers could be reached/i.test(output);
  return { command: `docker exec ${container} nslookup ${name}`, addresses, output: oneLine(output, 240), resolverTimedOut, finished: !result.timedOut };
}

/**
 * An nslookup as evidence. A lookup that did not finish is no answer. A resolver that timed out
 * is no answer where a name must resolve; where a name must not, it is an answer (Docker's DNS
 * had no record and asked upstream), taken only next to a lookup that did resolve in the window.
 */
export async function lookupAnswer(role: ServiceRole, name: string, mustResolve: boolean): Promise<Observation<Lookup>> {
  const lookup = await nslookupFrom(role, name);
  if (!lookup.finished || (mustResolve && lookup.resolverTimedOut)) return noAnswer(`${lookup.command}: ${lookup.output}`);
  return answer(lookup);
}
