import type { Finding, LintContext } from "./findings.ts";
import { locate, locateServiceNetwork } from "./locate.ts";
import type { ComposeModel, ServiceModel } from "./model.ts";
import { runtimeValue } from "./runtime-env.ts";

function overlayFile(model: ComposeModel): string {
  return model.sources[model.sources.length - 1]?.file ?? "";
}

/** Without an image LibreChat's own compose file is not part of the input (an overlay linted alone): its environment is unknown. */
function baseKnown(model: ComposeModel): boolean {
  return model.services[model.librechatService]?.image !== undefined;
}

function usedNetworks(model: ComposeModel): Set<string> {
  return new Set(Object.values(model.services).flatMap((s) => Object.keys(s.networks)));
}

/** External networks must exist before `up`; declared networks no service joins are ignored by Compose. */
export function externalNetworkRules({ model, options }: LintContext): Finding[] {
  const used = usedNetworks(model);
  const lc = model.services[model.librechatService];
  const findings: Finding[] = [];
  for (const net of model.networks) {
    if (net.key === "default") continue;
    if (net.external && used.has(net.key)) {
      findings.push({
        rule: "external-network",
        severity: "warning",
        ...locate(model.sources, ["networks", net.key, "external"]),
        message: `network "${net.name}" is external: Compose will not create it and stops with "Network ${net.name} declared as external, but could not be found" unless it already exists`,
        fix: `run \`docker network create ${net.name}\` before \`docker-compose up\` (or start the stack that owns it first)`,
      });
    } else if (!used.has(net.key)) {
      const wanted = options.profile === "prod" && net.key.endsWith("-prod") && lc;
      const devNet = wanted ? Object.keys(lc.networks).find((n) => n.endsWith("-dev")) : undefined;
      const devLine = devNet && lc ? (locateServiceNetwork(model.sources, lc.name, devNet) ?? locate(model.sources, ["services", lc.name, "networks"])) : undefined;
      findings.push({
        rule: "unused-network",
        severity: devNet ? "error" : "warning",
        ...locate(model.sources, ["networks", net.key]),
        message: devNet
          ? `the prod profile expects LibreChat on "${net.name}", but service "${lc?.name}" joins "${devNet}" and no service joins "${net.key}"`
          : `network "${net.key}" is declared but no service joins it; Compose ignores it ("Some networks were defined but are not used by any service")`,
        fix: devNet && devLine
          ? `change ${devLine.file}:${devLine.line} (services.${lc?.name}.networks) from "${devNet}" to "${net.key}"`
          : `delete the "${net.key}:" block at this line, or list "${net.key}" under the networks of the service that should join it`,
      });
    }
  }
  return findings;
}

/** Names a container can be reached by on `network`: service name, container_name, aliases. */
function namesOn(model: ComposeModel, network: string): Map<string, ServiceModel> {
  const names = new Map<string, ServiceModel>();
  for (const svc of Object.values(model.services)) {
    const attachment = svc.networks[network];
    if (!attachment) continue;
    for (const n of [svc.name, svc.containerName, ...attachment.aliases]) if (n) names.set(n.toLowerCase(), svc);
  }
  return names;
}

function uriHosts(uri: string): string[] | undefined {
  const m = /^mongodb:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri);
  if (!m) return undefined;
  return (m[1] as string).split(",").map((h) => (h.startsWith("[") ? h.slice(1, h.indexOf("]")) : (h.split(":")[0] as string)).toLowerCase());
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "0.0.0.0"]);

function hostFinding(model: ComposeModel, rule: string, key: string, host: string, target: ServiceModel | undefined, example: string): Finding | undefined {
  const name = model.librechatService;
  const lc = model.services[name] as ServiceModel;
  const rv = runtimeValue(model, name, key);
  const where = rv.pos ?? locate(model.sources, ["services", name, "environment"]);
  const setLine = rv.pos ? `change ${rv.pos.file}:${rv.pos.line} to ${key}=${example}` : `under services.${name}.environment in ${overlayFile(model)} add "- ${key}=${example}"`;
  const shared = Object.keys(lc.networks).filter((n) => namesOn(model, n).has(host));
  if (shared.length > 0) return undefined;
  if (LOOPBACK.has(host)) {
    return { rule, severity: "error", ...where, message: `${key} points at ${host}, which inside the container is LibreChat's own loopback, not the database`, fix: setLine };
  }
  if (host.includes(".") || /^[\d:]+$/.test(host)) return undefined; // an outside address: not the files' business
  const elsewhere = Object.values(model.services).find((s) => [s.name, s.containerName].includes(host));
  if (elsewhere) {
    const theirs = Object.keys(elsewhere.networks);
    const netsLine = locate(model.sources, ["services", name, "networks"]);
    return {
      rule,
      severity: "error",
      ...where,
      message: `${key} names "${host}", service "${elsewhere.name}", but it shares no network with "${name}" (${name}: ${Object.keys(lc.networks).join(", ") || "none"}; ${elsewhere.name}: ${theirs.join(", ") || "none"}), so the name does not resolve`,
      fix: `in ${netsLine.file} under services.${name}.networks (line ${netsLine.line}) add "- ${theirs[0] ?? "default"}"`,
    };
  }
  return {
    rule,
    severity: "error",
    ...where,
    message: `${key} names host "${host}", which is no service, container_name or alias on a network "${name}" joins (${Object.keys(lc.networks).join(", ")})${target ? `; the ${target.name} service is "${target.name}"` : ""}`,
    fix: setLine,
  };
}

/** MONGO_URI (boot needs it) and MEILI_HOST must name something LibreChat can resolve. */
export function serviceHostRules({ model }: LintContext): Finding[] {
  const name = model.librechatService;
  if (!baseKnown(model)) return [];
  const findings: Finding[] = [];
  const mongo = model.stack.mongodb ? model.services[model.stack.mongodb.service] : undefined;
  const mongoUri = runtimeValue(model, name, "MONGO_URI");
  const mongoExample = `mongodb://${mongo?.name ?? "mongodb"}:27017/LibreChat`;
  if (mongoUri.value === undefined || mongoUri.value === "") {
    findings.push({
      rule: "mongo-uri-host",
      severity: "error",
      ...locate(model.sources, ["services", name]),
      message: `MONGO_URI is not set for "${name}" (not in environment, not in a mounted /app/.env); LibreChat exits at start with "Please define the MONGO_URI environment variable"`,
      fix: `under services.${name}.environment in ${overlayFile(model)} add "- MONGO_URI=${mongoExample}"`,
    });
  } else {
    for (const host of uriHosts(mongoUri.value) ?? []) {
      const f = hostFinding(model, "mongo-uri-host", "MONGO_URI", host, mongo, mongoExample);
      if (f) findings.push(f);
    }
  }
  const meiliHost = runtimeValue(model, name, "MEILI_HOST").value;
  const meili = model.stack.meilisearch ? model.services[model.stack.meilisearch.service] : undefined;
  const m = meiliHost ? /^https?:\/\/([^/:]+)/.exec(meiliHost) : null;
  if (m) {
    const f = hostFinding(model, "meili-host", "MEILI_HOST", (m[1] as string).toLowerCase(), meili, `http://${meili?.name ?? "meilisearch"}:7700`);
    if (f) findings.push({ ...f, severity: "warning" }); // search is optional; LibreChat still starts
  }
  return findings;
}

/** HOST must make LibreChat listen on all interfaces, or no other container can reach it. */
export function hostBindingRules({ model }: LintContext): Finding[] {
  const name = model.librechatService;
  if (!baseKnown(model)) return [];
  const rv = runtimeValue(model, name, "HOST");
  const value = rv.value;
  if (value === "0.0.0.0" || value === "::") return [];
  const where = rv.pos ?? locate(model.sources, ["services", name]);
  return [{
    rule: "host-binding",
    severity: value === undefined ? "warning" : "error",
    ...where,
    message: value === undefined
      ? `HOST is not set for "${name}" and its image is not known to set it; LibreChat then listens on localhost only and is unreachable from Django and SvelteKit`
      : `HOST=${value} (from ${rv.from}) makes LibreChat listen on ${value} only, so Django and SvelteKit cannot reach it over the network`,
    fix: rv.pos && rv.from === "environment" ? `change ${rv.pos.file}:${rv.pos.line} to HOST=0.0.0.0` : `under services.${name}.environment in ${overlayFile(model)} add "- HOST=0.0.0.0"`,
  }];
}

/** In production MongoDB and MeiliSearch sit only on `internal: true` networks (the guide's "Network Isolation"). */
export function internalNetworkRules({ model, options }: LintContext): Finding[] {
  if (options.profile !== "prod") return [];
  const findings: Finding[] = [];
  for (const ref of [model.stack.mongodb, model.stack.meilisearch]) {
    const svc = ref ? model.services[ref.service] : undefined;
    if (!svc) continue;
    const open = Object.keys(svc.networks).filter((n) => !model.networks.find((t) => t.key === n)?.internal);
    if (open.length === 0) continue;
    const internal = model.networks.find((t) => t.internal);
    findings.push({
      rule: "internal-network",
      severity: "error",
      ...locate(model.sources, ["services", svc.name, "networks"]),
      message: `${svc.name} is on non-internal network(s) ${open.join(", ")} in the prod profile; anything on them (and the host, via the bridge) can reach it`,
      fix: internal
        ? `in ${overlayFile(model)} set services.${svc.name}.networks to "[${internal.key}]" (internal: true), and keep ${model.librechatService} on it too`
        : `in ${overlayFile(model)} add top-level "networks: { librechat-internal: { internal: true } }", set services.${svc.name}.networks to "[librechat-internal]" and add "- librechat-internal" to services.${model.librechatService}.networks`,
    });
  }
  return findings;
}
