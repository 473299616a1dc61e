import type { Healthcheck } from "../compose/model.ts";
import type { ServiceDefinition } from "../compose/service-definition.ts";
import type { HostPortMode } from "../config.ts";
import { type ComposeFields } from "./compose-fields.ts";
import type { NetworkKey } from "./descriptor.ts";
import { WHY } from "./deviations.ts";
import { httpReadiness } from "./http-readiness.ts";
import { CONFIG_MOUNT_PATH, librechatYaml } from "./librechat-yaml.ts";
import { ProbeWaitStrategy, type Probe } from "./readiness.ts";
import type { RunContext } from "./run-context.ts";
import { ServiceContainer, type Attachment } from "./service-container.ts";

/** The guide's names for LibreChat on the backend network (DESIGN.md "The topology"). */
export const BACKEND_ALIASES = ["librechat-api", "librechat"];

/** LibreChat's liveness route since v0.8.0; /readyz (v0.8.6+) also says it finished initialising. */
export const HEALTH_ROUTE = "/health";
export const READINESS_ROUTE = "/readyz";

/**
 * Where each compose network lands in a run: external networks (backend-dev, backend-prod)
 * are the application's backend network; everything else (LibreChat's `default`, an
 * internal network) is LibreChat's internal network.
 */
export function stackNetworkFor(network: ServiceDefinition["networks"][number]): NetworkKey {
  return network.external ? "backend" : "librechat-internal";
}

/** LibreChat's attachments in this run: per stack network, the aliases Compose would give it. */
export function librechatAttachments(service: ServiceDefinition): Attachment[] {
  const attachments = new Map<NetworkKey, Set<string>>();
  for (const network of service.networks) {
    const key = stackNetworkFor(network);
    const aliases = attachments.get(key) ?? new Set<string>();
    aliases.add(service.serviceName);
    // container_name becomes an alias: real container names stay unique per run.
    if (service.containerName) aliases.add(service.containerName);
    for (const alias of network.aliases) aliases.add(alias);
    if (key === "backend") for (const alias of BACKEND_ALIASES) aliases.add(alias);
    attachments.set(key, aliases);
  }
  return [...attachments].map(([key, aliases]) => ({ key, aliases: [...aliases] }));
}

/** LibreChat's own port: its PORT variable, 3080 when unset or not a number (like the server). */
export function librechatPort(environment: Record<string, string>): number {
  const port = Number(environment.PORT);
  return Number.isInteger(port) && port > 0 ? port : 3080;
}

/** How one LibreChat container runs: what the compose service (or a running LibreChat) gives it. */
export interface LibreChatRuntime extends ComposeFields {
  /** The container's environment: Compose's, plus what the harness adds. */
  environment: Record<string, string>;
  /** What the LibreChat process sees: the container's environment over the values of its bound .env. */
  processEnvironment: Record<string, string>;
  healthcheck: Healthcheck | undefined;
  /** Container ports to publish on 127.0.0.1, with the compose file's host port where it has one. */
  ports: ServiceDefinition["ports"];
}

/** What LibreChat's readiness wait learnt: whether this version answers /readyz. */
export interface ReadinessSeen {
  route: string | undefined;
}

/**
 * Ready on /readyz 200 OK. Only a /readyz that answers, but not as a readiness route does (404,
 * or the SPA page of a version without it), hands the decision to /health: no answer at all
 * means LibreChat is not listening yet, whatever /health says a moment later. Asked from the
 * host over LibreChat's published port, else inside its container (http-readiness.ts).
 */
export function readinessProbe(port: number, seen: ReadinessSeen, timeoutMs: number): Probe {
  return httpReadiness({
    port,
    path: READINESS_ROUTE,
    timeoutMs,
    judge: async (ready, again, where) => {
      if (!ready.ok) return { ready: false, detail: `GET ${READINESS_ROUTE} ${where} → not listening yet (${ready.error})` };
      if (ready.status === 200 && ready.body?.trim() === "OK") {
        seen.route = READINESS_ROUTE;
        return { ready: true, detail: `GET ${READINESS_ROUTE} ${where} → 200 OK` };
      }
      if (ready.status === 503) return { ready: false, detail: `GET ${READINESS_ROUTE} ${where} → 503 ${ready.body ?? ""}` };
      const health = await again(HEALTH_ROUTE);
      if (health.kind === "no-answer") return { ready: false, answered: false, detail: `GET ${READINESS_ROUTE} ${where} → ${ready.status}; GET ${HEALTH_ROUTE}: ${health.why}` };
      const ok = health.value.ok && health.value.status === 200;
      return { ready: ok, detail: `GET ${READINESS_ROUTE} ${where} → ${ready.status}; GET ${HEALTH_ROUTE} → ${health.value.status ?? health.value.error}` };
    },
  });
}

/**
 * One LibreChat container: the stack's own, and the second one the healthcheck check starts to
 * verify its proposal. It gets the harness's librechat.yaml and waits on readiness.
 */
export class LibreChatContainer extends ServiceContainer {
  readonly readiness: ReadinessSeen = { route: undefined };

  constructor(image: string, run: RunContext, runtime: LibreChatRuntime, attachments: Attachment[], options: { hostPorts: HostPortMode; name?: string }) {
    super(image, "librechat", run, attachments, options.name ?? "librechat");
    const port = librechatPort(runtime.processEnvironment);
    this.withEnvironment(runtime.environment)
      .withComposeFields(runtime)
      .withCopyContentToContainer([{ content: librechatYaml(), target: CONFIG_MOUNT_PATH, mode: 0o644 }])
      .withWaitStrategy(new ProbeWaitStrategy(options.name ?? "librechat", readinessProbe(port, this.readiness, 4000 * run.timeScale), run.startupTimeoutMs));
    if (runtime.healthcheck) this.withComposeHealthcheck(runtime.healthcheck);
    this.publish(runtime, port, options.hostPorts);
  }

  withComposeHealthcheck(hc: Healthcheck): this {
    return this.withHealthCheck({
      test: hc.test as ["CMD-SHELL", string] | ["CMD", ...string[]],
      interval: hc.intervalMs,
      timeout: hc.timeoutMs,
      retries: hc.retries,
      startPeriod: hc.startPeriodMs,
    });
  }

  private publish(runtime: LibreChatRuntime, port: number, mode: HostPortMode): void {
    const { ports, serviceName } = runtime;
    // LibreChat's own port; a single mapping counts as LibreChat's whatever its number.
    for (const mapping of ports.filter((p) => p.container === port || ports.length === 1)) {
      const written = `"${mapping.hostIp ? `${mapping.hostIp}:` : ""}${mapping.host ?? ""}:${mapping.container}"`;
      if (mode === "compose" && mapping.host !== undefined) {
        this.withFixedPort(mapping.container, "127.0.0.1", mapping.host);
        if (mapping.hostIp !== "127.0.0.1") this.deviations.push({ service: serviceName, what: `port ${written} → 127.0.0.1:${mapping.host}`, why: WHY.loopback });
      } else {
        this.withLoopbackPorts(mapping.container);
        this.deviations.push({ service: serviceName, what: `port ${written} → 127.0.0.1:<a random free port>`, why: WHY.loopback });
      }
    }
    for (const mapping of ports.filter((p) => !(p.container === port || ports.length === 1))) {
      this.deviations.push({ service: serviceName, what: `port ${mapping.host ?? ""}:${mapping.container} not published`, why: "it is not LibreChat's own PORT, which the checklist reaches" });
    }
  }
}
