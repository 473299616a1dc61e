import { isRecord, toDependsOnMap, toNetworkMap, toStringMap, volumeTarget } from "./normalize.ts";
import { OverrideTag, ResetTag } from "./source.ts";

/**
 * The Compose specification's merge rules for several `-f` files:
 * mappings merge recursively; `command`, `entrypoint`, `healthcheck.test` are replaced;
 * `ports`, `expose`, `dns`, ... are appended without duplicates; `volumes`, `devices`, `secrets`,
 * `configs` merge by target; `environment`, `labels`, `extra_hosts`, `networks`, `depends_on`
 * merge as maps whatever form each file uses; `!reset` drops and `!override` replaces (Compose v2).
 */

type Dict = Record<string, unknown>;

const MAP_FORMS: Record<string, (v: unknown) => unknown> = {
  environment: (v) => toStringMap(v),
  labels: (v) => toStringMap(v),
  annotations: (v) => toStringMap(v),
  sysctls: (v) => toStringMap(v),
  extra_hosts: (v) => toStringMap(v, "=:"),
  networks: (v) => toNetworkMap(v),
  depends_on: (v) => toDependsOnMap(v),
};

const REPLACED = new Set(["command", "entrypoint", "healthcheck.test"]);
const UNIQUE = new Set(["ports", "expose", "dns", "dns_search", "dns_opt", "tmpfs", "external_links", "cap_add", "cap_drop", "security_opt", "profiles", "group_add", "links", "env_file", "device_cgroup_rules"]);
const BY_TARGET: Record<string, (item: unknown) => string> = {
  volumes: volumeTarget,
  devices: (item) => (isRecord(item) ? String(item.target ?? item.source) : String(item).split(":")[1] ?? String(item)),
  secrets: (item) => (isRecord(item) ? String(item.target ?? item.source) : String(item)),
  configs: (item) => (isRecord(item) ? String(item.target ?? item.source) : String(item)),
};

function mapTagged(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (value instanceof ResetTag) return value;
  if (value instanceof OverrideTag) return new OverrideTag(fn(value.value));
  return fn(value);
}

/** Brings one file's service to the forms the merge compares (list/map forms, env_file list). */
export function prepareService(service: unknown): unknown {
  return mapTagged(service, (svc) => {
    if (!isRecord(svc)) return {};
    const out: Dict = { ...svc };
    for (const [key, form] of Object.entries(MAP_FORMS)) if (key in out) out[key] = mapTagged(out[key], form);
    if ("env_file" in out) out.env_file = mapTagged(out.env_file, (v) => (Array.isArray(v) ? v : [v]));
    return out;
  });
}

/** Removes the tags from a value that has nothing left to merge with. */
export function untag(value: unknown): unknown {
  if (value instanceof OverrideTag) return untag(value.value);
  if (Array.isArray(value)) return value.filter((v) => !(v instanceof ResetTag)).map(untag);
  if (isRecord(value)) {
    const out: Dict = {};
    for (const [k, v] of Object.entries(value)) if (!(v instanceof ResetTag)) out[k] = untag(v);
    return out;
  }
  return value;
}

function sameItem(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function mergeSequence(base: unknown[], over: unknown[], rule: string): unknown[] {
  if (REPLACED.has(rule)) return over.map(untag);
  const keyOf = BY_TARGET[rule];
  if (keyOf) {
    const out = base.slice();
    for (const item of over.map(untag)) {
      const at = out.findIndex((b) => keyOf(b) === keyOf(item));
      if (at >= 0) out[at] = item;
      else out.push(item);
    }
    return out;
  }
  const out = base.slice();
  for (const item of over.map(untag)) if (!(UNIQUE.has(rule) || rule.endsWith(".aliases")) || !out.some((b) => sameItem(b, item))) out.push(item);
  return out;
}

/** Merges `over` onto `base`; `rule` names the position (`ports`, `healthcheck.test`, ...) inside a service. */
export function mergeValue(base: unknown, over: unknown, rule: string): unknown {
  if (over instanceof OverrideTag) return untag(over.value);
  if (isRecord(base) && isRecord(over)) {
    const out: Dict = { ...base };
    for (const [k, v] of Object.entries(over)) {
      const childRule = rule ? `${rule}.${k}` : k;
      if (v instanceof ResetTag) delete out[k];
      else out[k] = k in out ? mergeValue(out[k], v, childRule) : untag(v);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) return mergeSequence(base, over, rule);
  return untag(over);
}

/** Merges whole compose documents (already interpolated), first file first. */
export function mergeDocuments(docs: readonly Dict[]): Dict {
  let merged: Dict = {};
  for (const doc of docs) {
    const next: Dict = { ...merged };
    for (const [key, value] of Object.entries(doc)) {
      if (value instanceof ResetTag) {
        delete next[key];
      } else if (key === "services" && isRecord(value)) {
        const services: Dict = isRecord(next.services) ? { ...next.services } : {};
        for (const [name, svc] of Object.entries(value)) {
          const prepared = prepareService(svc);
          if (prepared instanceof ResetTag) delete services[name];
          // Service-level rules are named relative to the service ("ports", "healthcheck.test").
          else services[name] = name in services ? mergeValue(services[name], prepared, "") : untag(prepared);
        }
        next.services = services;
      } else {
        next[key] = key in next ? mergeValue(next[key], value, `top:${key}`) : untag(value);
      }
    }
    merged = next;
  }
  return merged;
}
