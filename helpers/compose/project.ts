import path from "node:path";
import { ComposeInputError } from "./errors.ts";
import type { Lookup } from "./interpolate.ts";
import { locate } from "./locate.ts";
import { mergeDocuments } from "./merge.ts";
import type { ServiceModel, TopLevelNetwork } from "./model.ts";
import { isRecord } from "./normalize.ts";
import { OverrideTag, type ComposeSource } from "./source.ts";

const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Compose's project name: COMPOSE_PROJECT_NAME (which Compose v2 refuses unless it is already a
 * valid name), else the top-level `name:` or the project directory's name, both normalized.
 */
export function projectNameOf(merged: Record<string, unknown>, lookup: Lookup, projectDir: string): string {
  const fromEnv = lookup("COMPOSE_PROJECT_NAME");
  if (fromEnv) {
    if (!VALID_PROJECT_NAME.test(fromEnv)) {
      throw new ComposeInputError(
        `invalid project name "${fromEnv}" (COMPOSE_PROJECT_NAME): must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
      );
    }
    return fromEnv;
  }
  const raw = (typeof merged.name === "string" && merged.name) || path.basename(projectDir);
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, "").replace(/^[^a-z0-9]+/, "");
}

/** The top-level networks, `default` first when a service uses it, with the Docker name Compose gives each. */
export function topLevelNetworks(merged: Record<string, unknown>, services: Record<string, ServiceModel>, project: string): TopLevelNetwork[] {
  const declared = isRecord(merged.networks) ? merged.networks : {};
  const out: TopLevelNetwork[] = [];
  const usesDefault = Object.values(services).some((s) => "default" in s.networks);
  const keys = Object.keys(declared);
  if (usesDefault && !keys.includes("default")) keys.unshift("default");
  for (const key of keys) {
    const def = isRecord(declared[key]) ? declared[key] : {};
    const external = def.external === true || isRecord(def.external);
    const legacyName = isRecord(def.external) && typeof def.external.name === "string" ? def.external.name : undefined;
    const name = typeof def.name === "string" ? def.name : external ? (legacyName ?? key) : `${project}_${key}`;
    out.push({ key, name, external, internal: def.internal === true });
  }
  return out;
}

export function checkNetworks(services: Record<string, ServiceModel>, networks: TopLevelNetwork[], sources: ComposeSource[]): void {
  const known = new Set(networks.map((n) => n.key));
  for (const svc of Object.values(services)) {
    for (const net of Object.keys(svc.networks)) {
      if (!known.has(net)) {
        throw new ComposeInputError(`service "${svc.name}" uses network "${net}", which no top-level networks: entry declares`, locate(sources, ["services", svc.name, "networks"]));
      }
    }
  }
}

/**
 * Compose v2's `config` leaves out the networks no service joins; the model keeps them (as the
 * built-in merge does), since the lint names them (`unused-network`, the prod profile's network).
 * Compose creates none of them either way.
 */
export function withDeclaredNetworks(cliModel: Record<string, unknown>, docs: readonly Record<string, unknown>[]): Record<string, unknown> {
  const declared = mergeDocuments(docs.map((d) => (isRecord(d.networks) ? { networks: d.networks } : {}))).networks;
  if (!isRecord(declared)) return cliModel;
  const shown = isRecord(cliModel.networks) ? cliModel.networks : {};
  const dropped = Object.fromEntries(Object.entries(declared).filter(([key]) => !(key in shown)));
  return { ...cliModel, networks: { ...shown, ...dropped } };
}

/** Every profile a service of the files names, so that `config` shows every service, as the built-in model has them. */
export function declaredProfiles(docs: readonly Record<string, unknown>[]): string[] {
  const out = new Set<string>();
  for (const doc of docs) {
    for (const svc of Object.values(isRecord(doc.services) ? doc.services : {})) {
      const def = svc instanceof OverrideTag ? svc.value : svc;
      if (isRecord(def) && Array.isArray(def.profiles)) for (const p of def.profiles) out.add(String(p));
    }
  }
  return [...out].sort();
}
