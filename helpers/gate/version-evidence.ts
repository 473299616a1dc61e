// What this run saw of each version fact on either side: the evidence lines of the checklist
// items, the upgrade rows and the static impact that show the difference, so the report puts
// what real LibreChat did next to the contract's explanation of it.
import type { StaticImpact } from "./static-impact.ts";
import type { ItemChange, UpgradeResult } from "./types.ts";

export interface ObserveContext {
  items: ItemChange[];
  impact: StaticImpact;
  upgrade: UpgradeResult;
}

export interface Seen {
  baseline: string | undefined;
  candidate: string | undefined;
}

const cut = (line: string, max = 160): string => (line.length > max ? `${line.slice(0, max)}…` : line);

function lineOf(detail: string | undefined, pattern: RegExp): string | undefined {
  const line = detail?.split("\n").find((l) => pattern.test(l));
  return line === undefined ? undefined : cut(line.trim());
}

function itemLines(ctx: ObserveContext, id: string, pattern: RegExp): Seen | undefined {
  const item = ctx.items.find((i) => i.id === id);
  if (!item) return undefined;
  const seen = { baseline: lineOf(item.baseline.detail, pattern), candidate: lineOf(item.candidate.detail, pattern) };
  return seen.baseline || seen.candidate ? seen : undefined;
}

function verdictOf(ctx: ObserveContext, id: string): Seen | undefined {
  const item = ctx.items.find((i) => i.id === id);
  if (!item || item.baseline.status === "missing") return undefined;
  const first = (status: string, detail: string): string => `${status}: ${cut(detail.split("\n")[0] ?? "", 200)}`;
  return { baseline: first(item.baseline.status, item.baseline.detail), candidate: first(item.candidate.status, item.candidate.detail) };
}

function imageOf(ctx: ObserveContext, service: string): Seen | undefined {
  const change = ctx.impact.compose?.images.find((i) => i.service === service);
  return change ? { baseline: change.from ?? "(no such service)", candidate: change.to ?? "(removed)" } : undefined;
}

function adminPanel(ctx: ObserveContext): Seen | undefined {
  const compose = ctx.impact.compose;
  if (!compose) return undefined;
  const added = compose.services.added.includes("admin-panel");
  const clash = ctx.impact.clashes;
  const port = compose.ports.find((p) => p.service === "admin-panel")?.added.join(", ");
  const clashText = clash ? `; host-port clash as written: ${clash.asWritten.length > 0 ? "yes" : "no"}, with the gate's configuration: ${clash.withGateConfig.length > 0 ? "yes" : "no"}` : "";
  return { baseline: added ? "no admin-panel service" : undefined, candidate: added ? `admin-panel publishes ${port ?? "a port"}${clashText}` : undefined };
}

function startsRow(ctx: ObserveContext): Seen | undefined {
  const readiness = (rows: UpgradeResult["upgrade"]): string | undefined => {
    const found = /readiness: (.*?)\);/.exec(rows.find((r) => r.id === "starts-on-old-data")?.detail ?? "")?.[1];
    return found ? `upgrade path, readiness: ${found}` : undefined;
  };
  const seen = { baseline: readiness(ctx.upgrade.downgrade), candidate: readiness(ctx.upgrade.upgrade) };
  return seen.baseline || seen.candidate ? seen : undefined;
}

const OBSERVERS: Record<string, (ctx: ObserveContext) => Seen | undefined> = {
  readyz: (ctx) => itemLines(ctx, "librechat-starts", /readyz|readiness/) ?? startsRow(ctx),
  "api-health-404": (ctx) => itemLines(ctx, "django-reaches-librechat", /\/api\/health → /),
  "resumable-chat": (ctx) => itemLines(ctx, "chat-routes-through-sveltekit", /protocol (single-step|resumable)/),
  "session-cookie-secure": (ctx) => verdictOf(ctx, "session-refresh"),
  "unauthorized-body": (ctx) => {
    const refused = [...ctx.upgrade.upgrade, ...ctx.upgrade.downgrade].find((r) => r.id === "old-access-tokens" && / → 401 /.test(r.detail));
    return refused ? { baseline: undefined, candidate: lineOf(refused.detail, / → 401 /) } : undefined;
  },
  "admin-panel": adminPanel,
  "registry-move": (ctx) => imageOf(ctx, "api"),
  "meilisearch-data": (ctx) => imageOf(ctx, "meilisearch"),
  "config-version": (ctx) => (ctx.impact.yamlVersion ? { baseline: `librechat.example.yaml version: ${ctx.impact.yamlVersion.baseline ?? "(none)"}`, candidate: `librechat.example.yaml version: ${ctx.impact.yamlVersion.candidate ?? "(none)"}` } : undefined),
};

/** What this run saw of a fact on each side, or undefined when nothing in it shows the fact. */
export function observed(factId: string, ctx: ObserveContext): Seen | undefined {
  return OBSERVERS[factId]?.(ctx);
}
