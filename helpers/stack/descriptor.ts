import type { Healthcheck } from "../compose/model.ts";
import type { Profile } from "../config.ts";
import type { ImageCatalog, ImageRole } from "../images/catalog.ts";
import type { Deviation } from "./deviations.ts";
import type { AppliedSetting } from "./librechat-env.ts";
import type { StackNetwork } from "./networks.ts";

export type ServiceRole = ImageRole | "probe";
export type NetworkKey = StackNetwork["key"];

export interface ServiceDescriptor {
  role: ServiceRole;
  containerId: string;
  containerName: string;
  image: string;
  networks: { key: NetworkKey; name: string; aliases: string[] }[];
  /** Published container ports: container port → host address. */
  ports: Record<string, { hostIp: string; hostPort: number }>;
}

/**
 * Everything the suites need to find the stack, passed from the global setup to the test
 * workers (it must stay plain JSON). Secrets the suites need travel here and are never printed.
 */
export interface StackDescriptor {
  runId: string;
  /** The process that owns (and at its end removes) the run; containers the suites add carry it too. */
  ownerPid: number;
  profile: Profile;
  startedAt: string;
  startDurationMs: number;
  networks: Record<NetworkKey, StackNetwork>;
  /** Services that started (all of them, unless startFailure is set). */
  services: Partial<Record<ServiceRole, ServiceDescriptor>>;
  /** Set when the stack could not be brought up (its message keeps the failed container's state and last log lines). */
  startFailure: { role: ServiceRole; message: string; inconclusive: boolean } | undefined;
  images: ImageCatalog;
  librechat: {
    /** LibreChat's port inside its container (its PORT). */
    port: number;
    /** http://127.0.0.1:<host port>, or undefined when the compose input publishes no port. */
    hostUrl: string | undefined;
    /** "/readyz" when this LibreChat answered it, else undefined (older versions). */
    readinessRoute: string | undefined;
    healthRoute: string;
    version: string;
    /** How the image came to be: built-airgapped, built-dockerfile, harness-fixture or registry-image. */
    origin: string;
    /** The source commit the image was built from, when it says. */
    commit: string | undefined;
    /** The healthcheck Docker runs on LibreChat, from the compose input. */
    healthcheck: (Healthcheck & { source: string }) | undefined;
    settings: AppliedSetting[];
    /** The environment LibreChat was given (secrets removed), for env-wiring diagnostics. */
    environment: Record<string, string>;
    composeFiles: string[];
    /** Aliases on the backend network the stubs use to reach LibreChat. */
    backendAliases: string[];
    /** The run's networks LibreChat joins (known also when it failed to start). */
    networks: NetworkKey[];
  };
  stubs: { librechatApiUrl: string; djangoUrl: string | undefined; sveltekitUrl: string | undefined };
  chat: { endpoint: string; model: string };
  mongo: { uri: string; database: string };
  secrets: { internalToken: string; fernetKey: string };
  /** How the run differs from what `docker compose up` would start from the same merged files, and why. */
  deviations: Deviation[];
}
