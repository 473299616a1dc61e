import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatFinding, lintCompose, type Finding } from "./lint.ts";
import { loadComposeBuiltin } from "./load.ts";
import { GUIDE_OVERLAY, hasUpstream, librechatCheckout, tempProject } from "../testing/compose-files.ts";

const rules = (fs: Finding[]): string[] => [...new Set(fs.map((f) => `${f.rule}:${f.severity}`))].sort();

describe.skipIf(!hasUpstream("v0.8.1") || !hasUpstream("v0.8.7"))("lint of the guide's overlay on LibreChat's real compose files", () => {
  const dir81 = librechatCheckout("v0.8.1");
  const dir87 = librechatCheckout("v0.8.7");
  const lint87 = lintCompose(loadComposeBuiltin({ librechatDir: dir87, overlay: GUIDE_OVERLAY, env: {} }), { profile: "dev" });
  const lint81 = lintCompose(loadComposeBuiltin({ librechatDir: dir81, overlay: GUIDE_OVERLAY, env: {} }), { profile: "dev" });

  it("finds the healthcheck's wrong route and missing curl at the overlay's line 20, with the corrected line", () => {
    for (const findings of [lint81, lint87]) {
      const route = findings.find((f) => f.rule === "healthcheck-route");
      const binary = findings.find((f) => f.rule === "healthcheck-binary");
      expect(route).toMatchObject({ severity: "error", file: GUIDE_OVERLAY, line: 20 });
      expect(route?.message).toMatch(/404/);
      expect(route?.message).toMatch(/SPA fallback/);
      expect(binary).toMatchObject({ severity: "error", file: GUIDE_OVERLAY, line: 20 });
      expect(route?.fix).toBe(`replace ${GUIDE_OVERLAY}:20 with: test: ["CMD", "wget", "-qO-", "http://127.0.0.1:\${PORT:-3080}/health"]`);
    }
  });

  it("names the external network that must exist and the unused one", () => {
    const ext = lint87.find((f) => f.rule === "external-network");
    expect(ext).toMatchObject({ severity: "warning", file: GUIDE_OVERLAY, line: 6 });
    expect(ext?.fix).toMatch(/docker network create backend-dev/);
    expect(lint87.find((f) => f.rule === "unused-network")).toMatchObject({ file: GUIDE_OVERLAY, line: 7 });
  });

  it("finds the admin-panel port clash with the frontend on v0.8.7 but not on v0.8.1", () => {
    const clash = lint87.filter((f) => f.rule === "host-port-clash");
    expect(clash).toHaveLength(1);
    expect(clash[0]).toMatchObject({ severity: "error", file: path.join(dir87, "docker-compose.yml"), line: 42 });
    expect(clash[0]?.message).toMatch(/admin-panel.*3000/);
    expect(clash[0]?.fix).toBe(`add the line ADMIN_PANEL_PORT=3001 to ${path.join(dir87, ".env")}`);
    expect(lint81.some((f) => f.rule === "host-port-clash")).toBe(false);
    // With the frontend elsewhere there is nothing to clash with.
    const moved = lintCompose(loadComposeBuiltin({ librechatDir: dir87, overlay: GUIDE_OVERLAY, env: {} }), { profile: "dev", frontendHostPort: 5173 });
    expect(moved.some((f) => f.rule === "host-port-clash")).toBe(false);
  });

  it("flags top-level name: as v2-only, an error when the Compose here is v1", () => {
    const v2 = lint87.find((f) => f.rule === "compose-v2-only");
    expect(v2).toMatchObject({ severity: "warning", file: GUIDE_OVERLAY, line: 1 });
    expect(v2?.message).toMatch(/'name' does not match any of the regexes: '\^x-'/);
    const withV1 = lintCompose(loadComposeBuiltin({ librechatDir: dir87, overlay: GUIDE_OVERLAY, env: {} }), { profile: "dev", composeCli: "v1" });
    expect(withV1.find((f) => f.rule === "compose-v2-only")?.severity).toBe("error");
  });

  it("reports nothing about MONGO_URI or HOST, which the base file sets correctly", () => {
    expect(rules(lint87)).toEqual(["compose-v2-only:warning", "external-network:warning", "healthcheck-binary:error", "healthcheck-route:error", "host-port-clash:error", "unused-network:warning"]);
  });

  it("adds the production findings in the prod profile", () => {
    const prod = lintCompose(loadComposeBuiltin({ librechatDir: dir87, overlay: GUIDE_OVERLAY, env: {} }), { profile: "prod" });
    const open = prod.filter((f) => f.rule === "port-all-interfaces").map((f) => f.line);
    expect(open.sort()).toEqual([42, 8]);
    expect(prod.filter((f) => f.rule === "internal-network").map((f) => f.message.split(" ")[0])).toEqual(["mongodb", "meilisearch"]);
    expect(prod.find((f) => f.rule === "unused-network")).toMatchObject({ severity: "error", fix: expect.stringContaining(`${GUIDE_OVERLAY}:15`) });
  });

  it("formats a finding as file:line rule — message — fix", () => {
    expect(formatFinding(lint87.find((f) => f.rule === "healthcheck-route") as Finding, path.dirname(path.dirname(GUIDE_OVERLAY)))).toMatch(
      /^fixtures\/compose\.librechat\.yaml:20 healthcheck-route \[error\] — .* — fix: replace /,
    );
  });
});

describe("lint rules on small inputs", () => {
  const lintOf = (compose: string, overlay?: string, profile: "dev" | "prod" = "dev", env = ""): Finding[] => {
    const dir = tempProject({ "docker-compose.yml": compose, ".env": env, ...(overlay ? { "o.yaml": overlay } : {}) });
    return lintCompose(loadComposeBuiltin({ librechatDir: dir, overlay: overlay ? path.join(dir, "o.yaml") : null, env: {} }), { profile });
  };
  const good = `
services:
  api:
    image: registry.librechat.ai/danny-avila/librechat:v0.8.7
    ports: ["127.0.0.1:3080:3080"]
    environment: [MONGO_URI=mongodb://mongodb:27017/LibreChat]
    networks: [internal, backend]
    healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3080/health"] }
  mongodb:
    image: mongo:8.0.20
    networks: [internal]
networks:
  internal: { internal: true }
  backend: {}
`;

  it("a correct setup has no findings, in dev and prod", () => {
    expect(lintOf(good)).toEqual([]);
    expect(lintOf(good, undefined, "prod")).toEqual([]);
  });

  it("MONGO_URI on loopback (e.g. env.example's value through the mounted .env) is an error", () => {
    const compose = good.replace("    environment: [MONGO_URI=mongodb://mongodb:27017/LibreChat]\n", "    volumes: ['./.env:/app/.env']\n");
    const f = lintOf(compose, undefined, "dev", "MONGO_URI=mongodb://127.0.0.1:27017/LibreChat\n");
    expect(f.find((x) => x.rule === "mongo-uri-host")).toMatchObject({ severity: "error", line: 1, fix: expect.stringMatching(/\.env:1 to MONGO_URI=mongodb:\/\/mongodb:27017\/LibreChat$/) });
  });

  it("MONGO_URI naming a service on no shared network is an error naming both networks", () => {
    const f = lintOf(good.replace("    networks: [internal]\n", "    networks: [backend2]\n").replace("  backend: {}", "  backend: {}\n  backend2: {}"));
    const m = f.find((x) => x.rule === "mongo-uri-host");
    expect(m?.message).toMatch(/shares no network/);
    expect(m?.fix).toMatch(/add "- backend2"/);
  });

  it("HOST other than 0.0.0.0 is an error at its line", () => {
    const f = lintOf(good.replace("environment: [", "environment: [HOST=localhost, "));
    expect(f.find((x) => x.rule === "host-binding")).toMatchObject({ severity: "error", line: 6 });
  });

  it("a service clash between two services and v2-only syntax in an overlay are found", () => {
    const f = lintOf(good, `
services:
  mongodb:
    ports: ["127.0.0.1:3080:27017"]
    develop: { watch: [] }
  api:
    environment: ["X=\${A:+b}"]
    ports: !override ["127.0.0.1:3080:3080"]
`);
    expect(f.filter((x) => x.rule === "host-port-clash").map((x) => x.message)).toEqual(['services "api" and "mongodb" both publish host port 3080/tcp']);
    expect(f.filter((x) => x.rule === "compose-v2-only").map((x) => x.line).sort()).toEqual([5, 7, 8]);
  });

  it("prod: a datastore on a non-internal network and a port on all interfaces are errors", () => {
    const f = lintOf(good.replace("internal: { internal: true }", "internal: {}").replace("127.0.0.1:3080:3080", "3080:3080"), undefined, "prod");
    expect(rules(f)).toEqual(["internal-network:error", "port-all-interfaces:error"]);
    expect(f.find((x) => x.rule === "port-all-interfaces")?.fix).toMatch(/docker-compose\.yml:5 to - "127\.0\.0\.1:3080:3080"$/);
  });

  it("curl in a -api image is fine; an unknown image only gets a warning", () => {
    const curl = good.replace(`"wget", "-qO-"`, `"curl", "-f"`);
    // Dockerfile.multi's HOST default is not in the contract, so only host-binding (a warning) remains.
    expect(rules(lintOf(curl.replace("librechat:v0.8.7", "librechat-dev-api:latest")))).toEqual(["host-binding:warning"]);
    expect(lintOf(curl.replace("registry.librechat.ai/danny-avila/librechat:v0.8.7", "example/other:1")).map((x) => `${x.rule}:${x.severity}`)).toContain("healthcheck-binary:warning");
  });
});
