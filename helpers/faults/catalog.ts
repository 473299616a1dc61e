/**
 * The fault matrix: every way the guide's deployment breaks (its Troubleshooting section and
 * LibreChat's real behaviour), each injected as configuration of the same stack: an overlay
 * change, a variable, or a stub switch. The suites never know a fault is injected.
 */
export type OverlayDoc = {
  networks?: Record<string, Record<string, unknown>>;
  services: Record<string, Record<string, unknown> & { environment?: Record<string, string>; networks?: unknown }>;
};

export interface FaultDefinition {
  id: string;
  /** The fault, in the words of the guide's Troubleshooting section where it has them. */
  fault: string;
  /** The checklist item that must fail, or "preflight" for bad input stopped before any container. */
  expectedItem: string;
  /** Items that also fail, legitimately, because they depend on what the fault breaks. */
  alsoFails: string[];
  /** The message must say this (the true cause), not just fail. */
  message: RegExp;
  /** How a user fixes it, for the README's table. */
  fix: string;
  /**
   * stack: a stack of its own, started with the overlay/variables below;
   * shared: the matrix's healthy stack, with stub variants or a mock LLM script;
   * preflight: expected to stop before any container starts.
   */
  mode: "stack" | "shared" | "preflight";
  /** Changes to the baseline overlay (fixtures/faults/baseline.yaml). */
  overlay?: (doc: OverlayDoc) => void;
  /** The overlay to use instead of the baseline, as a path under the repo. */
  overlayFile?: string;
  env?: Record<string, string>;
  shared?: {
    /** Start a second SvelteKit stub with this environment and run the suites through it. */
    sveltekitEnv?: Record<string, string>;
    /** Start a second Django stub (and a SvelteKit stub that uses it) with this environment. */
    djangoEnv?: Record<string, string>;
    /** Log this many users in through the variant Django first ("many users from one address"). */
    warmUpLogins?: number;
    /** Script the mock LLM's next requests (POST /__mock/script). */
    llmScript?: Record<string, number>;
  };
  /** Something on the host that the fault needs (a container holding LibreChat's port). */
  holdHostPort?: number;
}

const api = (doc: OverlayDoc): Record<string, unknown> & { environment?: Record<string, string> } => {
  const service = doc.services.api;
  if (!service) throw new Error("the baseline overlay has no api service");
  return service;
};

const setEnv = (name: string, value: string) => (doc: OverlayDoc): void => {
  const service = api(doc);
  service.environment = { ...service.environment, [name]: value };
};

/** Items that fail whenever the stubs cannot use LibreChat at all. */
const THROUGH_STUBS = ["registration-creates-user", "login-establishes-session", "session-refresh", "chat-routes-through-sveltekit", "search-indexing"];
/** Items that are blocked (skip) when LibreChat does not start; skips are not failures. */
const NONE: string[] = [];

export const FAULTS: FaultDefinition[] = [
  {
    id: "not-on-backend",
    fault: "LibreChat not joined to the backend network (overlay without backend-dev)",
    expectedItem: "django-reaches-librechat",
    alsoFails: ["sveltekit-reaches-librechat", "librechat-on-backend-network", "dns-service-discovery", "env-wiring", ...THROUGH_STUBS],
    message: /Could not resolve host: librechat-api/,
    fix: "list backend-dev under the api service's networks in compose.librechat.yaml and restart with both compose files",
    mode: "stack",
    overlay: (doc) => {
      api(doc).networks = ["default"];
    },
  },
  {
    id: "external-network-missing",
    fault: "an external network the overlay requires does not exist",
    expectedItem: "preflight",
    alsoFails: NONE,
    message: /backend-staging[\s\S]*docker network create backend-staging/,
    fix: "docker network create backend-staging (or start the stack that owns it first)",
    mode: "preflight",
    overlay: (doc) => {
      doc.networks = { "backend-staging": { name: "backend-staging", external: true } };
      api(doc).networks = ["default", "backend-staging"];
    },
  },
  {
    id: "host-port-taken",
    fault: "LibreChat's host port already taken",
    expectedItem: "preflight",
    alsoFails: NONE,
    message: /host port 3080 .*already in use: container \S+/,
    fix: "stop the holder (docker ps | grep :3080) or change PORT in LibreChat's .env",
    mode: "preflight",
    env: { HARNESS_HOST_PORTS: "compose" },
    holdHostPort: 3080,
  },
  {
    id: "mongodb-unreachable",
    fault: "MongoDB down or unreachable from LibreChat",
    expectedItem: "librechat-starts",
    alsoFails: NONE,
    message: /LibreChat did not start\. LibreChat cannot reach MongoDB[^\n]*resolves on LibreChat's networks, but nothing answers on port 27018/,
    fix: "start MongoDB and point MONGO_URI at it (mongodb://mongodb:27017/LibreChat)",
    mode: "stack",
    overlay: setEnv("MONGO_URI", "mongodb://mongodb:27018/LibreChat"),
  },
  {
    id: "guide-healthcheck",
    fault: "the guide's healthcheck as written (curl, /api/health)",
    expectedItem: "healthcheck-passes",
    alsoFails: ["compose-lint"],
    message: /missing-program: the image has no curl[\s\S]*route: \/api\/health is not a route[\s\S]*verified in this run/,
    fix: 'test: ["CMD", "wget", "-qO-", "http://127.0.0.1:${PORT:-3080}/health"]',
    mode: "stack",
    overlayFile: "fixtures/compose.librechat.yaml",
  },
  {
    id: "host-localhost",
    fault: "LibreChat listening on localhost only (HOST not 0.0.0.0)",
    expectedItem: "django-reaches-librechat",
    alsoFails: ["sveltekit-reaches-librechat", "env-wiring", "host-port-published", "compose-lint", ...THROUGH_STUBS],
    message: /answers inside its own container but not at librechat-api[\s\S]*HOST=localhost[\s\S]*HOST=0\.0\.0\.0/,
    fix: "HOST=0.0.0.0 in LibreChat's environment",
    mode: "stack",
    overlay: setEnv("HOST", "localhost"),
  },
  {
    id: "mongo-uri-foreign-host",
    fault: "MONGO_URI pointing at a host that is not on LibreChat's networks",
    expectedItem: "librechat-starts",
    alsoFails: ["compose-lint"],
    message: /LibreChat did not start\. LibreChat cannot reach MongoDB[^\n]*the host mongo-db does not resolve on LibreChat's networks/,
    fix: "MONGO_URI=mongodb://mongodb:27017/LibreChat (a service on a network LibreChat joins)",
    mode: "stack",
    overlay: setEnv("MONGO_URI", "mongodb://mongo-db:27017/LibreChat"),
  },
  {
    id: "registration-disabled",
    fault: "registration disabled in LibreChat",
    expectedItem: "registration-creates-user",
    alsoFails: ["login-establishes-session", "session-refresh", "chat-routes-through-sveltekit", "search-indexing"],
    message: /Registration is not allowed\./,
    fix: "ALLOW_REGISTRATION=true in LibreChat's .env",
    mode: "stack",
    overlay: setEnv("ALLOW_REGISTRATION", "false"),
  },
  {
    id: "ua-not-forwarded",
    fault: "a SvelteKit server that does not forward the browser's User-Agent",
    expectedItem: "chat-routes-through-sveltekit",
    alsoFails: ["search-indexing"],
    message: /Illegal request[\s\S]*User-Agent/,
    fix: "forward the caller's User-Agent from the SvelteKit server to LibreChat",
    mode: "shared",
    shared: { sveltekitEnv: { FORWARD_CLIENT_HEADERS: "false" } },
  },
  {
    id: "secure-refresh-cookie",
    fault: "the refresh cookie marked Secure over plain HTTP",
    expectedItem: "session-refresh",
    alsoFails: NONE,
    message: /Secure[\s\S]*SESSION_COOKIE_SECURE=false/,
    fix: "SESSION_COOKIE_SECURE=false (v0.8.7+), or serve LibreChat over TLS",
    mode: "stack",
    overlay: setEnv("SESSION_COOKIE_SECURE", "true"),
  },
  {
    id: "login-limiter-one-address",
    fault: "many users logging in through Django from one address, without X-Forwarded-For",
    expectedItem: "login-establishes-session",
    alsoFails: ["registration-creates-user", "session-refresh", "chat-routes-through-sveltekit", "search-indexing"],
    message: /Too many login attempts[\s\S]*X-Forwarded-For/,
    fix: "send the end user's address to LibreChat as X-Forwarded-For from Django",
    mode: "shared",
    shared: { djangoEnv: { FORWARD_CLIENT_HEADERS: "false" }, warmUpLogins: 20 },
  },
  {
    id: "prod-mongodb-on-backend",
    fault: "the prod profile with MongoDB on the backend network",
    expectedItem: "internal-services-isolated",
    alsoFails: ["librechat-on-backend-network", "dns-service-discovery", "compose-lint"],
    message: /mongodb is reachable from/,
    fix: "keep mongodb on librechat-internal only, declared internal: true",
    mode: "stack",
    env: { HARNESS_PROFILE: "prod" },
    overlay: (doc) => {
      doc.networks = { "backend-prod": { name: "backend-prod", external: true } };
      api(doc).networks = ["default", "backend-prod"];
      doc.services.mongodb = { networks: ["default", "backend-prod"] };
    },
  },
  {
    id: "llm-fails-mid-stream",
    fault: "the LLM failing mid-stream",
    expectedItem: "chat-routes-through-sveltekit",
    alsoFails: ["search-indexing"],
    message: /An error occurred while processing the request/,
    fix: "look at the LLM provider (its logs and status): LibreChat reports its failure in the reply's error part",
    mode: "shared",
    shared: { llmScript: { breakAfter: 2, times: 1000 } },
  },
];
