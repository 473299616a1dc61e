import type { ComposeModel, Healthcheck } from "./model.ts";

/**
 * A compose service as the stack runs it: the one shape of LibreChat's service (and of the other
 * services the topology takes from the compose input), after merge and interpolation.
 */
export interface ServiceDefinition {
  /** Compose service key, e.g. "api"; Compose makes it a DNS alias on every network. */
  serviceName: string;
  image: string | undefined;
  environment: Record<string, string>;
  command: string[] | undefined;
  healthcheck: Healthcheck | undefined;
  containerName: string | undefined;
  /** The networks the service joins, each with its top-level definition and the service's aliases on it. */
  networks: { key: string; name: string; external: boolean; internal: boolean; aliases: string[] }[];
  ports: { container: number; host: number | undefined; hostIp: string | undefined }[];
  user: string | undefined;
  /** The compose files this definition was merged from, in order. */
  sourceFiles: string[];
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
    environment: options.withDotenv ? { ...model.dotenv.values, ...service.environment } : { ...service.environment },
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
    sourceFiles: model.sources.map((s) => s.file),
  };
}
