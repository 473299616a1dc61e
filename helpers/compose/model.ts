import type { ComposeSource } from "./source.ts";
import type { DotenvFile } from "./dotenv.ts";

/** One published (or container-only) port, one entry per port of a range. */
export interface PortMapping {
  /** Host port as Compose writes it (a number or range); absent means Docker picks one. */
  host?: string;
  hostIp?: string;
  container: number;
  protocol: string;
}

export interface Healthcheck {
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

export interface ServiceNetwork {
  aliases: string[];
}

export interface VolumeMount {
  type: "bind" | "volume" | "tmpfs" | string;
  /** Absolute host path for binds, volume name for named volumes. */
  source?: string;
  target: string;
  readOnly: boolean;
  /** A missing bind source: true when Compose creates it (short syntax), false when it refuses to start; false for anything but a bind. */
  createHostPath?: boolean;
}

/** A service after merge and interpolation, in the harness's own terms. */
export interface ServiceModel {
  name: string;
  image?: string;
  environment: Record<string, string>;
  command?: string[];
  healthcheck?: Healthcheck;
  containerName?: string;
  networks: Record<string, ServiceNetwork>;
  ports: PortMapping[];
  user?: string;
  volumes: VolumeMount[];
  profiles: string[];
  /** The merged service exactly as Compose holds it (for anything the fields above leave out). */
  merged: Record<string, unknown>;
}

export interface TopLevelNetwork {
  key: string;
  /** The Docker network name Compose would use. */
  name: string;
  external: boolean;
  internal: boolean;
}

/** Where the topology's services are in the compose input (the services themselves are in `services`). */
export interface LibreChatStack {
  projectName: string;
  mongodb?: { service: string; image: string };
  meilisearch?: { service: string; image: string };
  networks: TopLevelNetwork[];
}

export interface ComposeModel {
  projectName: string;
  projectDir: string;
  /** The input files in merge order, each with its own line index. */
  sources: ComposeSource[];
  /**
   * The project's `.env` (`<projectDir>/.env`) as Compose reads it for interpolation, empty when
   * absent; `librechatValues`: the same file as LibreChat's own dotenv reads it from /app/.env.
   */
  dotenv: DotenvFile & { file?: string; librechatValues?: Record<string, string> };
  /** Which engine produced the merged values. */
  engine: "builtin" | "compose-cli";
  /** The Compose CLI found on this host, if any (it decides how strict the v2-feature lint is). */
  cli: { kind: "v1" | "v2"; version: string } | undefined;
  services: Record<string, ServiceModel>;
  networks: TopLevelNetwork[];
  /** Key of LibreChat's service (normally `api`). */
  librechatService: string;
  stack: LibreChatStack;
  /** Compose's own warnings, e.g. unset variables. */
  warnings: string[];
}
