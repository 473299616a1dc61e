import type { Finding, LintContext } from "./findings.ts";
import type { SourcePos } from "./locate.ts";
import type { ComposeModel, PortMapping, ServiceModel } from "./model.ts";
import { parsePort } from "./normalize.ts";
import { pathKey, type ComposeSource } from "./source.ts";

interface Binding {
  service: string;
  mapping: PortMapping;
  port: number;
  /** Where the item was written, with its text before interpolation. */
  origin: (SourcePos & { raw: unknown }) | undefined;
}

const ANY = new Set(["", "0.0.0.0", "::", "[::]"]);

function samePort(a: PortMapping, b: PortMapping): boolean {
  return a.container === b.container && a.protocol === b.protocol && a.host === b.host && (a.hostIp ?? "") === (b.hostIp ?? "");
}

/** The file, line and raw text of the `ports` item that produced `mapping` (last file wins). */
function originOf(sources: readonly ComposeSource[], service: string, mapping: PortMapping): Binding["origin"] {
  for (let i = sources.length - 1; i >= 0; i--) {
    const src = sources[i] as ComposeSource;
    const data = (src.data.services as Record<string, Record<string, unknown>> | undefined)?.[service]?.ports;
    const raw = (src.raw.services as Record<string, Record<string, unknown>> | undefined)?.[service]?.ports;
    if (!Array.isArray(data)) continue;
    for (let j = 0; j < data.length; j++) {
      let parsed: PortMapping[];
      try {
        parsed = parsePort(data[j], {});
      } catch {
        continue;
      }
      const line = src.lines.get(pathKey(["services", service, "ports", j]));
      if (line !== undefined && parsed.some((p) => samePort(p, mapping))) return { file: src.file, line, raw: Array.isArray(raw) ? raw[j] : undefined };
    }
  }
  return undefined;
}

function isActive(svc: ServiceModel): boolean {
  return svc.profiles.length === 0; // services behind a profile do not start by default
}

function bindings(model: ComposeModel): Binding[] {
  const out: Binding[] = [];
  for (const svc of Object.values(model.services)) {
    if (!isActive(svc)) continue;
    for (const mapping of svc.ports) {
      if (!mapping.host || !/^\d+$/.test(mapping.host)) continue; // Docker-chosen ports never clash
      out.push({ service: svc.name, mapping, port: Number(mapping.host), origin: originOf(model.sources, svc.name, mapping) });
    }
  }
  return out;
}

function overlaps(a: PortMapping, b: PortMapping): boolean {
  const ia = a.hostIp ?? "";
  const ib = b.hostIp ?? "";
  return a.protocol === b.protocol && (ANY.has(ia) || ANY.has(ib) || ia === ib);
}

function freePort(taken: Set<number>, from: number): number {
  let p = from + 1;
  while (taken.has(p)) p++;
  return p;
}

/** A fix that changes the host port: through the variable the file uses for it, else the line itself. */
function portFix(model: ComposeModel, b: Binding, newPort: number): string {
  const raw = typeof b.origin?.raw === "string" ? b.origin.raw : undefined;
  const variable = raw ? /^(?:[^:]*:)?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-[^}]*)?\}:/.exec(raw)?.[1] : undefined;
  if (variable) {
    const envFile = model.dotenv.file ?? `${model.projectDir}/.env`;
    const at = model.dotenv.lines[variable];
    return at ? `change ${envFile}:${at} to ${variable}=${newPort}` : `add the line ${variable}=${newPort} to ${envFile}`;
  }
  const where = b.origin ? `${b.origin.file}:${b.origin.line}` : `the ports of service ${b.service}`;
  const ip = b.mapping.hostIp ? `${b.mapping.hostIp}:` : "";
  return `change ${where} to - "${ip}${newPort}:${b.mapping.container}"`;
}

/** Two services (or a service and the SvelteKit frontend) publishing the same host port cannot both start. */
export function portClashRules({ model, options }: LintContext): Finding[] {
  const all = bindings(model);
  const taken = new Set([...all.map((b) => b.port), options.frontendHostPort]);
  const frontend: PortMapping = { host: String(options.frontendHostPort), container: options.frontendHostPort, protocol: "tcp" };
  const findings: Finding[] = [];
  const at = (b: Binding): SourcePos => b.origin ?? { file: model.sources[0]?.file ?? "", line: 1 };
  for (const [i, b] of all.entries()) {
    if (b.port === options.frontendHostPort && overlaps(b.mapping, frontend)) {
      findings.push({
        rule: "host-port-clash",
        severity: "error",
        ...at(b),
        message: `service "${b.service}" publishes host port ${b.port}, which the SvelteKit frontend (frontend-dev) already publishes; whichever starts second fails with "port is already allocated"`,
        fix: portFix(model, b, freePort(taken, b.port)),
      });
    }
    for (const other of all.slice(i + 1)) {
      if (other.port !== b.port || other.service === b.service || !overlaps(b.mapping, other.mapping)) continue;
      findings.push({
        rule: "host-port-clash",
        severity: "error",
        ...at(other),
        message: `services "${b.service}" and "${other.service}" both publish host port ${b.port}/${b.mapping.protocol}`,
        fix: portFix(model, other, freePort(taken, other.port)),
      });
    }
  }
  return findings;
}

/** In production nothing is published on every interface (the guide: "not exposed to public internet"). */
export function publicPortRules({ model, options }: LintContext): Finding[] {
  if (options.profile !== "prod") return [];
  const overlay = model.sources[model.sources.length - 1]?.file ?? "";
  return bindings(model)
    .filter((b) => ANY.has(b.mapping.hostIp ?? ""))
    .map((b) => {
      const raw = typeof b.origin?.raw === "string" ? b.origin.raw : `${b.port}:${b.mapping.container}`;
      const bound = `127.0.0.1:${raw.replace(/^(0\.0\.0\.0|\[::\]|::):/, "")}`;
      const inOverlay = b.origin?.file === overlay;
      return {
        rule: "port-all-interfaces",
        severity: "error" as const,
        ...(b.origin ?? { file: model.sources[0]?.file ?? "", line: 1 }),
        message: `service "${b.service}" publishes port ${b.port} on all host interfaces in the prod profile`,
        fix: inOverlay || !b.origin
          ? `change ${b.origin ? `${b.origin.file}:${b.origin.line}` : "the port"} to - "${bound}"`
          : `in ${overlay} under services.${b.service} add ports: !override ["${bound}"] (Compose v2.24.4+; overlays only append ports, so with Compose v1 change ${b.origin.file}:${b.origin.line} to - "${bound}")`,
      };
    });
}
