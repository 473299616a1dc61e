import path from "node:path";
import { ComposeInputError } from "./errors.ts";
import type { Healthcheck, PortMapping, ServiceNetwork, VolumeMount } from "./model.ts";

type Where = { file?: string | undefined; line?: number | undefined };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function scalarString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * `environment`, `labels`, `extra_hosts`, ... in list form (`KEY=VAL`, `host:ip`) or map form, as a
 * map. A bare `KEY` (no value) maps to null: Compose then takes it from the environment.
 */
export function toStringMap(value: unknown, separators: "=" | "=:" = "="): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = String(item);
      let at = s.indexOf("=");
      if (at < 0 && separators === "=:") at = s.indexOf(":");
      if (at < 0) out[s] = null;
      else out[s.slice(0, at)] = s.slice(at + 1);
    }
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) out[k] = scalarString(v);
  }
  return out;
}

/** A service's `networks` (list or map form) as `{name: {aliases?, ...}}`. */
export function toNetworkMap(value: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (Array.isArray(value)) for (const name of value) out[String(name)] = {};
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) out[k] = isRecord(v) ? { ...v } : {};
  return out;
}

export function serviceNetworks(value: Record<string, Record<string, unknown>>): Record<string, ServiceNetwork> {
  const out: Record<string, ServiceNetwork> = {};
  for (const [name, def] of Object.entries(value)) {
    const aliases = Array.isArray(def.aliases) ? def.aliases.map(String) : [];
    out[name] = { aliases };
  }
  return out;
}

/** `depends_on` list form as the map form Compose merges. */
export function toDependsOnMap(value: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (Array.isArray(value)) for (const name of value) out[String(name)] = { condition: "service_started" };
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) out[k] = isRecord(v) ? { ...v } : {};
  return out;
}

function portNumber(text: string, spec: string, where: Where): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) {
    throw new ComposeInputError(`invalid port "${spec}": "${text}" is not a port number`, where);
  }
  return n;
}

function expandRange(text: string, spec: string, where: Where): number[] {
  const [a, b] = text.split("-");
  const start = portNumber(a ?? "", spec, where);
  if (b === undefined) return [start];
  const end = portNumber(b, spec, where);
  if (end < start) throw new ComposeInputError(`invalid port range "${spec}"`, where);
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}

function mappings(hostIp: string | undefined, host: string | undefined, container: string, protocol: string, spec: string, where: Where): PortMapping[] {
  const containers = expandRange(container, spec, where);
  const hosts = host ? expandRange(host, spec, where) : [];
  return containers.map((c, i) => {
    const m: PortMapping = { container: c, protocol };
    // A host range as long as the container range pairs up; otherwise Docker picks within the range.
    if (host) m.host = hosts.length === containers.length ? String(hosts[i]) : host;
    if (hostIp) m.hostIp = hostIp;
    return m;
  });
}

/** One `ports` item, short (`[ip:][host:]container[/proto]`) or long syntax. */
export function parsePort(item: unknown, where: Where): PortMapping[] {
  if (typeof item === "number") return mappings(undefined, undefined, String(item), "tcp", String(item), where);
  if (isRecord(item)) {
    const spec = JSON.stringify(item);
    if (item.target === undefined) throw new ComposeInputError(`invalid port ${spec}: "target" is required`, where);
    const published = item.published === undefined || item.published === null || item.published === "" ? undefined : String(item.published);
    const hostIp = typeof item.host_ip === "string" && item.host_ip !== "" ? item.host_ip : undefined;
    return mappings(hostIp, published, String(item.target), String(item.protocol ?? "tcp"), spec, where);
  }
  if (typeof item !== "string") throw new ComposeInputError(`invalid port ${JSON.stringify(item)}`, where);
  const spec = item;
  let rest = item;
  let protocol = "tcp";
  const slash = rest.lastIndexOf("/");
  if (slash >= 0) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0 || rest[close + 1] !== ":") throw new ComposeInputError(`invalid port "${spec}"`, where);
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(":");
  if (parts.length > 3 && hostIp === undefined) {
    // An unbracketed IPv6 address: everything before the last two fields.
    hostIp = parts.slice(0, -2).join(":");
    parts.splice(0, parts.length - 2);
  }
  let host: string | undefined;
  let container: string;
  if (parts.length === 1) container = parts[0] as string;
  else if (parts.length === 2) [host, container] = parts as [string, string];
  else if (parts.length === 3 && hostIp === undefined) [hostIp, host, container] = parts as [string, string, string];
  else throw new ComposeInputError(`invalid port "${spec}"`, where);
  return mappings(hostIp || undefined, host || undefined, container, protocol, spec, where);
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`1m30s`, `500ms`) as milliseconds. */
export function parseDuration(value: unknown, where: Where): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value / 1e6; // Compose reads bare numbers as nanoseconds
  const text = String(value).trim();
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || text === "") throw new ComposeInputError(`invalid duration "${text}"`, where);
  return total;
}

/** Docker's own defaults for a healthcheck field the file leaves out. */
const HEALTH_DEFAULTS = { intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 };

export function normalizeHealthcheck(value: unknown, where: Where): Healthcheck | undefined {
  if (!isRecord(value)) return undefined;
  let test: string[];
  if (value.disable === true) test = ["NONE"];
  else if (typeof value.test === "string") test = ["CMD-SHELL", value.test];
  else if (Array.isArray(value.test)) test = value.test.map(String);
  else return undefined; // only timings: Docker keeps the image's HEALTHCHECK test
  return {
    test,
    intervalMs: parseDuration(value.interval, where) ?? HEALTH_DEFAULTS.intervalMs,
    timeoutMs: parseDuration(value.timeout, where) ?? HEALTH_DEFAULTS.timeoutMs,
    retries: value.retries === undefined || value.retries === null ? HEALTH_DEFAULTS.retries : Number(value.retries),
    startPeriodMs: parseDuration(value.start_period, where) ?? HEALTH_DEFAULTS.startPeriodMs,
  };
}

/** A `command`/`entrypoint` string split into words as Compose does (shell-like quoting, no expansion). */
export function splitCommand(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  const text = String(value);
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
      inWord = true;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) i++;
        word += text[i];
        i++;
      }
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** One `volumes` item; bind sources resolve against the project directory, as Compose does. */
export function parseVolume(item: unknown, projectDir: string, where: Where): VolumeMount {
  if (isRecord(item)) {
    const type = String(item.type ?? "volume");
    let source = item.source === undefined || item.source === null ? undefined : String(item.source);
    if (source && type === "bind") source = path.resolve(projectDir, source);
    if (item.target === undefined) throw new ComposeInputError(`invalid volume ${JSON.stringify(item)}: "target" is required`, where);
    const bind = isRecord(item.bind) ? item.bind : {};
    return { type, ...(source ? { source } : {}), target: String(item.target), readOnly: item.read_only === true, createHostPath: type === "bind" && bind.create_host_path === true };
  }
  const parts = String(item).split(":");
  if (parts.length === 1) return { type: "volume", target: parts[0] as string, readOnly: false, createHostPath: false };
  const [src, target, mode] = parts as [string, string, string | undefined];
  const isPath = /^[./~]/.test(src);
  const source = isPath ? path.resolve(projectDir, src.replace(/^~(?=\/|$)/, process.env.HOME ?? "~")) : src;
  // Compose creates a missing bind source of the short syntax; named volumes have no host path.
  return { type: isPath ? "bind" : "volume", source, target, readOnly: (mode ?? "").split(",").includes("ro"), createHostPath: isPath };
}

/** The target path a `volumes` item mounts at, which is what Compose merges volumes by. */
export function volumeTarget(item: unknown): string {
  if (isRecord(item)) return String(item.target ?? "");
  const parts = String(item).split(":");
  return (parts.length === 1 ? parts[0] : parts[1]) ?? "";
}
