// What a bump changes in LibreChat's own docker-compose.yml, as written (before interpolation):
// services, their images, their published ports and their networks, added or removed.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { findComposeFile } from "../compose/load.ts";

export interface ComposeImpact {
  files: { baseline: string; candidate: string };
  services: { added: string[]; removed: string[] };
  /** A service's image as written, where it changed (undefined: the service has none on that side). */
  images: { service: string; from: string | undefined; to: string | undefined }[];
  ports: { service: string; added: string[]; removed: string[] }[];
  networks: { added: string[]; removed: string[]; services: { service: string; added: string[]; removed: string[] }[] };
}

interface ServiceShape {
  image: string | undefined;
  ports: string[];
  networks: string[];
}

interface ComposeShape {
  services: Map<string, ServiceShape>;
  networks: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

function portText(port: unknown): string {
  if (!isRecord(port)) return String(port);
  const ip = port.host_ip ? `${String(port.host_ip)}:` : "";
  const published = port.published !== undefined ? `${String(port.published)}:` : "";
  return `${ip}${published}${String(port.target)}${port.protocol && port.protocol !== "tcp" ? `/${String(port.protocol)}` : ""}`;
}

function networksOf(service: Record<string, unknown>): string[] {
  if (service.network_mode !== undefined) return [`network_mode: ${String(service.network_mode)}`];
  const nets = service.networks;
  if (Array.isArray(nets)) return nets.map(String);
  if (isRecord(nets)) return Object.keys(nets);
  return ["default"];
}

export function composeShape(text: string): ComposeShape {
  const doc = parse(text) as unknown;
  const root = isRecord(doc) ? doc : {};
  const services = new Map<string, ServiceShape>();
  for (const [name, raw] of Object.entries(isRecord(root.services) ? root.services : {})) {
    const service = isRecord(raw) ? raw : {};
    services.set(name, {
      image: service.image === undefined || service.image === null ? undefined : String(service.image),
      ports: (Array.isArray(service.ports) ? service.ports : []).map(portText),
      networks: networksOf(service),
    });
  }
  return { services, networks: Object.keys(isRecord(root.networks) ? root.networks : {}) };
}

const minus = (a: string[], b: string[]): string[] => a.filter((x) => !b.includes(x));

export function diffCompose(baseline: ComposeShape, candidate: ComposeShape, files: ComposeImpact["files"]): ComposeImpact {
  const before = [...baseline.services.keys()];
  const after = [...candidate.services.keys()];
  const all = [...before, ...minus(after, before)];
  const images: ComposeImpact["images"] = [];
  const ports: ComposeImpact["ports"] = [];
  const serviceNets: ComposeImpact["networks"]["services"] = [];
  for (const service of all) {
    const b = baseline.services.get(service);
    const c = candidate.services.get(service);
    if (b?.image !== c?.image) images.push({ service, from: b?.image, to: c?.image });
    const portChange = { service, added: minus(c?.ports ?? [], b?.ports ?? []), removed: minus(b?.ports ?? [], c?.ports ?? []) };
    if (portChange.added.length + portChange.removed.length > 0) ports.push(portChange);
    if (b && c) {
      const netChange = { service, added: minus(c.networks, b.networks), removed: minus(b.networks, c.networks) };
      if (netChange.added.length + netChange.removed.length > 0) serviceNets.push(netChange);
    }
  }
  return {
    files,
    services: { added: minus(after, before), removed: minus(before, after) },
    images,
    ports,
    networks: { added: minus(candidate.networks, baseline.networks), removed: minus(baseline.networks, candidate.networks), services: serviceNets },
  };
}

/** The compose files `docker compose` would pick in each directory, compared. */
export function composeImpact(baselineDir: string, candidateDir: string): ComposeImpact {
  const files = { baseline: findComposeFile(baselineDir), candidate: findComposeFile(candidateDir) };
  return diffCompose(composeShape(readFileSync(files.baseline, "utf8")), composeShape(readFileSync(files.candidate, "utf8")), files);
}
