// Version awareness: what legitimately differs between LibreChat releases, as contract.md states
// it (each fact cites its section). A fact explains a difference the gate shows; it never changes
// a verdict: a check is the same on both sides, and the explanation says why its answer may differ.
import type { ItemChange } from "./types.ts";

export interface VersionFact {
  id: string;
  /** The last release known without it, and the first known with it (contract.md's bounds). */
  lastWithout: string;
  firstWith: string;
  text: string;
  /** Checklist items (and upgrade rows) whose answers it can change. */
  items: string[];
}

export const VERSION_FACTS: VersionFact[] = [
  {
    id: "readyz",
    lastWithout: "v0.8.5",
    firstWith: "v0.8.6",
    text: "/readyz (503 NOT_READY until initialised, then 200 OK) and /livez exist since v0.8.6; older releases have only /health, and v0.8.1's SPA fallback even answers /readyz with index.html. The harness waits on /readyz where it answers as a readiness route, else on /health, and librechat-starts checks each route the version has (contract.md §1).",
    items: ["librechat-starts", "healthcheck-passes", "starts-on-old-data"],
  },
  {
    id: "api-health-404",
    lastWithout: "v0.8.2",
    firstWith: "v0.8.3",
    text: "GET /api/health answers 404 {\"message\":\"Endpoint not found\"} since v0.8.3 (apiNotFound); up to v0.8.2 the SPA fallback answered it 200 with index.html, so the guide's `curl -f .../api/health` passed there for the wrong reason (contract.md §1).",
    items: ["healthcheck-passes", "compose-lint", "django-reaches-librechat", "sveltekit-reaches-librechat"],
  },
  {
    id: "resumable-chat",
    lastWithout: "v0.8.1",
    firstWith: "v0.8.2",
    text: "Chat is a resumable two-step protocol since v0.8.2 (POST /api/agents/chat/:endpoint → {streamId}, then GET /api/agents/chat/stream/:streamId); v0.8.1 streams the reply on the POST itself. The SvelteKit stub detects either and says which in its meta event (contract.md §7).",
    items: ["chat-routes-through-sveltekit", "search-indexing"],
  },
  {
    id: "session-cookie-secure",
    lastWithout: "v0.8.1",
    firstWith: "v0.8.7",
    text: "v0.8.1 marks the refresh cookie Secure whenever NODE_ENV=production, which its image always sets, and has no override; newer releases (v0.8.7 at least) honour SESSION_COOKIE_SECURE=false, which the harness sets. A standard cookie jar (Django's) therefore cannot send v0.8.1's refresh cookie back over plain HTTP (contract.md §5).",
    items: ["session-refresh", "old-refresh-sessions"],
  },
  {
    id: "unauthorized-body",
    lastWithout: "v0.8.1",
    firstWith: "v0.8.7",
    text: "A refused access token gets passport's plain-text 401 Unauthorized on v0.8.1 and a JSON {\"message\":...} 401 on v0.8.7 (contract.md §5).",
    items: ["old-access-tokens"],
  },
  {
    id: "admin-panel",
    lastWithout: "v0.8.6",
    firstWith: "v0.8.7",
    text: "LibreChat's docker-compose.yml gained the admin-panel service in v0.8.7, publishing host port ${ADMIN_PANEL_PORT:-3000}, which clashes with the SvelteKit frontend's 3000 unless ADMIN_PANEL_PORT moves it (the corrected configuration sets 3001) (contract.md §8).",
    items: ["compose-lint"],
  },
  {
    id: "registry-move",
    lastWithout: "v0.8.2",
    firstWith: "v0.8.3",
    text: "The compose file's images moved from ghcr.io to registry.librechat.ai in v0.8.3 (contract.md §8).",
    items: [],
  },
  {
    id: "meilisearch-data",
    lastWithout: "v0.8.1",
    firstWith: "v0.8.7",
    text: "The compose file pins MeiliSearch v1.12.3 on ./meili_data_v1.12 in v0.8.1 and v1.35.1 on ./meili_data_v1.35.1 in v0.8.7, and MongoDB `mongo` (untagged) then mongo:8.0.20: a real `docker compose up` of the candidate starts MeiliSearch on a new, empty data directory. The gate's upgrade path keeps the baseline's MongoDB and MeiliSearch containers and their data, so its search row says whether the candidate still finds old messages in the old index (contract.md §8).",
    items: ["old-messages-searchable"],
  },
  {
    id: "config-version",
    lastWithout: "v0.8.1",
    firstWith: "v0.8.7",
    text: "librechat.yaml's current CONFIG_VERSION is 1.3.1 in v0.8.1 and 1.3.13 in v0.8.7; an older `version:` only logs \"Outdated Config version\" (contract.md §7, mock endpoint configuration).",
    items: [],
  },
];

/** [major, minor, patch] of "v0.8.7" / "0.8.7-rc1", or undefined for "latest" and the like. */
export function parseVersion(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** How a fact stands between two releases: it separates them, may separate them, or not. */
export function factBetween(fact: VersionFact, baseline: string, candidate: string): "separates" | "may-separate" | "same" | "unknown" {
  const [b, c] = [parseVersion(baseline), parseVersion(candidate)];
  const [without, withIt] = [parseVersion(fact.lastWithout)!, parseVersion(fact.firstWith)!];
  if (!b || !c) return "unknown";
  const side = (v: [number, number, number]): "without" | "with" | "between" => (compareVersions(v, without) <= 0 ? "without" : compareVersions(v, withIt) >= 0 ? "with" : "between");
  const [sb, sc] = [side(b), side(c)];
  if (sb === sc && sb !== "between") return "same";
  if (sb !== "between" && sc !== "between") return "separates";
  return "may-separate";
}

/** The facts that separate (or may separate) the two releases. */
export function versionNotes(baseline: string, candidate: string): { fact: VersionFact; how: "separates" | "may-separate" }[] {
  const out: { fact: VersionFact; how: "separates" | "may-separate" }[] = [];
  for (const fact of VERSION_FACTS) {
    const how = factBetween(fact, baseline, candidate);
    if (how === "separates" || how === "may-separate") out.push({ fact, how });
  }
  return out;
}

/** Attaches the facts that bear on each item whose verdict changed. */
export function explainChanges(changes: ItemChange[], baseline: string, candidate: string): ItemChange[] {
  const notes = versionNotes(baseline, candidate);
  return changes.map((change) => {
    if (change.change === "same") return change;
    const explanations = notes.filter(({ fact }) => fact.items.includes(change.id)).map(({ fact, how }) => `${how === "may-separate" ? "(may apply) " : ""}${fact.text}`);
    return { ...change, explanations };
  });
}
