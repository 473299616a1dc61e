import { existsSync, statSync } from "node:fs";
import type { VolumeMount } from "../compose/model.ts";

/** One way a run differs from what `docker compose up` would start from the same merged files. */
export interface Deviation {
  /** The compose service (or the harness's own service) it concerns. */
  service: string;
  what: string;
  why: string;
}

export const WHY = {
  throwAway: "throw-away state: each run starts from empty data and leaves nothing on the host",
  isolation: "isolation: every run has its own names and networks, so two runs (or a developer's own stack) never meet or collide",
  loopback: "isolation: a published port listens on 127.0.0.1 only, and a random host port never clashes with a port in use",
} as const;

/** Bad input (a bound file that is missing), stopped before any container starts. */
export class MissingBindSourceError extends Error {
  override name = "MissingBindSourceError";
}

/** How one compose volume is mounted in a run: config files stay bound, data becomes a per-run volume. */
export type PlannedMount =
  | { kind: "bind"; source: string; target: string; readOnly: boolean }
  | { kind: "volume"; name: string; target: string; readOnly: boolean; was: string }
  | { kind: "tmpfs"; target: string };

/** A bound file is configuration (LibreChat's ./.env); a bound directory, or a named volume, holds data. */
export function planMount(volume: VolumeMount, perRunName: string): PlannedMount {
  if (volume.type === "tmpfs") return { kind: "tmpfs", target: volume.target };
  const source = volume.source;
  if (volume.type === "bind" && source && !existsSync(source) && volume.createHostPath === false) {
    throw new MissingBindSourceError(`The compose input binds ${source} at ${volume.target}, but it does not exist, so Compose would refuse to start: create it (for LibreChat's .env: copy .env.example to .env).`);
  }
  if (volume.type === "bind" && source && existsSync(source) && statSync(source).isFile()) {
    return { kind: "bind", source, target: volume.target, readOnly: volume.readOnly };
  }
  const was = volume.type === "bind" ? `host directory ${source ?? "(none)"}` : `volume ${source ?? "(anonymous)"}`;
  return { kind: "volume", name: perRunName, target: volume.target, readOnly: volume.readOnly, was };
}

export function mountDeviation(service: string, mount: PlannedMount): Deviation | undefined {
  if (mount.kind !== "volume") return undefined;
  return { service, what: `${mount.was} at ${mount.target} → the per-run volume ${mount.name}`, why: WHY.throwAway };
}

/** What the run's topology changes as a whole: names, networks, services left out or added, images. */
export interface TopologyFacts {
  runId: string;
  profile: "dev" | "prod";
  /** Each compose service the run starts (by its role), with its container_name and networks. */
  started: { role: string; serviceName: string; containerName: string | undefined; networks: { name: string; runName: string }[] }[];
  unstarted: string[];
  /** Image changes: the compose file's image and the one the run uses, with where that came from. */
  images: { serviceName: string; written: string | undefined; used: string; origin: string }[];
}

export function topologyDeviations(facts: TopologyFacts): Deviation[] {
  const out: Deviation[] = [];
  for (const s of facts.started) {
    if (s.containerName) out.push({ service: s.serviceName, what: `container_name ${s.containerName} → container ${facts.runId}-${s.role}, with ${s.containerName} as a network alias`, why: WHY.isolation });
    const networks = s.networks.map((n) => `${n.name} → ${n.runName}`).join(", ");
    if (networks) out.push({ service: s.serviceName, what: `networks ${networks}`, why: WHY.isolation });
  }
  if (facts.profile === "prod") out.push({ service: "(networks)", what: `${facts.runId}-librechat-internal is internal: true`, why: "HARNESS_PROFILE=prod: the guide's Production Considerations" });
  if (facts.unstarted.length > 0) {
    out.push({ service: facts.unstarted.join(", "), what: "not started", why: "outside the guide's topology: the checklist needs LibreChat, MongoDB and MeiliSearch only" });
  }
  out.push({ service: "probe, llm, django, sveltekit", what: "added by the harness", why: "the probe checks the internal network from inside; the mock LLM answers chats; the stubs stand for the application's Django and SvelteKit" });
  for (const image of facts.images.filter((i) => i.written !== i.used)) {
    out.push({ service: image.serviceName, what: `image ${image.written ?? "(none)"} → ${image.used}`, why: `chosen by ${image.origin}` });
  }
  return out;
}
