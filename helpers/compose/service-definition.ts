import { isRecord } from "./normalize.ts";
import type { ComposeModel, Healthcheck, VolumeMount } from "./model.ts";

/**
 * A compose service as the stack runs it: the one shape of LibreChat's service (and of the other
 * services the topology takes from the compose input), after merge and interpolation.
 */
export interface ServiceDefinition {
  /** Compose service key, e.g. "api"; Compose makes it a DNS alias on every network. */
  serviceName: string;
  image: string | undefined;
  /** What Compose puts into the container's environment (its `environment` and `env_file`). */
  environment: Record<string, string>;
  /**
   * The project's `.env` as LibreChat's own dotenv reads it from the file Compose binds at /app/.env
   * (not Compose's reading: no interpolation, `#` comments as dotenv has them; empty for services
   * that do not read it): it fills what the environment leaves unset.
   */
  dotenv: Record<string, string>;
  command: string[] | undefined;
  healthcheck: Healthcheck | undefined;
  containerName: string | undefined;
  /** The networks the service joins, each with its top-level definition and the service's aliases on it. */
  networks: { key: string; name: string; external: boolean; internal: boolean; aliases: string[] }[];
  ports: { container: number; host: number | undefined; hostIp: string | undefined }[];
  user: string | undefined;
  /** `user:` as the merged files have it, when it was left out as unusable (`":"` with UID and GID unset). */
  unusableUser: string | undefined;
  volumes: VolumeMount[];
  /** `extra_hosts` as `host:address` (Docker's own form; `host-gateway` stays as written). */
  extraHosts: string[];
  restart: string | undefined;
  /** The compose files this definition was merged from, in order. */
  sourceFiles: string[];
}

/** What the service's process sees: the container environment over the values it reads from `.env`. */
export function processEnvironment(definition: ServiceDefinition): Record<string, string> {
  return { ...definition.dotenv, ...definition.environment };
}

/** `extra_hosts` in either of Compose's forms (a list of `host:ip` / `host=ip`, or a mapping), sorted as Compose v2 passes them. */
function extraHostsOf(value: unknown): string[] {
  if (isRecord(value)) return Object.entries(value).map(([host, ip]) => `${host}:${String(ip)}`).sort();
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => {
      const text = String(entry);
      const at = text.includes("=") ? text.indexOf("=") : text.indexOf(":");
      return at > 0 ? `${text.slice(0, at)}:${text.slice(at + 1)}` : text;
    })
    .sort();
}

/** `user: "${UID}:${GID}"` with both unset interpolates to ":", which Docker rejects; Compose users leave it out. */
function usableUser(user: string | undefined): string | undefined {
  if (!user || user.startsWith(":") || user.endsWith(":")) return undefined;
  return user;
}

/**
 * The definition of one service of the merged model. LibreChat also reads its `.env` at start
 * (`withDotenv`), under the compose `environment`, which wins.
 */
export function serviceDefinition(model: ComposeModel, serviceName: string, options: { withDotenv: boolean }): ServiceDefinition {
  const service = model.services[serviceName];
  if (!service) throw new Error(`the compose input has no service ${serviceName} (${model.sources.map((s) => s.file).join(", ")})`);
  const entries = Object.entries(service.networks);
  const attached = entries.length > 0 ? entries : [["default", { aliases: [] }] as const];
  const networks = attached.map(([key, network]) => {
    const top = model.networks.find((n) => n.key === key);
    return { key, name: top?.name ?? key, external: top?.external ?? false, internal: top?.internal ?? false, aliases: [...network.aliases] };
  });
  return {
    serviceName,
    image: service.image,
    environment: { ...service.environment },
    dotenv: options.withDotenv ? { ...(model.dotenv.librechatValues ?? model.dotenv.values) } : {},
    command: service.command,
    healthcheck: service.healthcheck,
    containerName: service.containerName,
    networks,
    ports: service.ports.map((p) => ({
      container: p.container,
      host: p.host !== undefined && /^\d+$/.test(p.host) ? Number(p.host) : undefined,
      hostIp: p.hostIp,
    })),
    user: usableUser(service.user),
    unusableUser: service.user !== undefined && usableUser(service.user) === undefined ? service.user : undefined,
    volumes: service.volumes,
    extraHosts: extraHostsOf(service.merged.extra_hosts),
    restart: typeof service.merged.restart === "string" ? service.merged.restart : undefined,
    sourceFiles: model.sources.map((s) => s.file),
  };
}
