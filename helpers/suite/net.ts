import { docker } from "../docker/client.ts";
import type { ServiceRole } from "../stack/descriptor.ts";
import { execService, oneLine, stack } from "./context.ts";

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
}

const STATUS_MARK = "\n__harness_http_status__=";
const CONNECT_MARK = " __harness_time_connect__=";

/** `docker exec <stub> curl <url>`, as the guide runs it, with the status code kept apart. */
export async function curlFrom(role: ServiceRole, url: string, timeoutSeconds = 5): Promise<CurlResult> {
  const name = stack().services[role]?.containerName ?? role;
  const result = await execService(role, ["curl", "-sS", "-m", String(timeoutSeconds), "-w", `${STATUS_MARK}%{http_code}${CONNECT_MARK}%{time_connect}`, url], (timeoutSeconds + 5) * 1000);
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
  };
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
}

/** `docker exec <stub> nslookup <name>`, as the guide runs it; addresses after the server's own lines. */
export async function nslookupFrom(role: ServiceRole, name: string): Promise<Lookup> {
  const container = stack().services[role]?.containerName ?? role;
  const result = await execService(role, ["nslookup", name], 15_000);
  const output = `${result.stdout}${result.stderr}`;
  const afterName = output.split(/\nName:\s/).slice(1).join("\n");
  const addresses = [...afterName.matchAll(/Address(?:es)?:\s*([0-9a-f.:]+)/gi)].map((m) => m[1]!);
  return { command: `docker exec ${container} nslookup ${name}`, addresses, output: oneLine(output, 240) };
}
