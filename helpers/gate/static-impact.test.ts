import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasUpstream, upstreamDir } from "../testing/compose-files.ts";
import { afterAll, describe, expect, it } from "vitest";
import { CORRECTED_OVERLAY } from "../config.ts";
import { closeNames, diffEnvExample, parseEnvExample } from "./env-example.ts";
import { staticImpact } from "./static-impact.ts";

// LibreChat's own files of each release, as upstream ships them (docker-compose.yml, env.example, librechat.example.yaml).
const v081 = upstreamDir("v0.8.1");
const v087 = upstreamDir("v0.8.7");
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe.skipIf(!hasUpstream("v0.8.1") || !hasUpstream("v0.8.7"))("the static impact of v0.8.1 → v0.8.7, on the real upstream files", () => {
  const impact = staticImpact({ baseline: v081, candidate: v087 }, CORRECTED_OVERLAY, { ADMIN_PANEL_PORT: "3001" }, undefined);

  it("finds the admin panel added, the images moved to registry.librechat.ai and MeiliSearch v1.35.1", () => {
    expect(impact.compose?.services).toEqual({ added: ["admin-panel"], removed: [] });
    expect(impact.compose?.ports).toEqual([{ service: "admin-panel", added: ["${ADMIN_PANEL_PORT:-3000}:3000"], removed: [] }]);
    expect(impact.compose?.images).toEqual(
      expect.arrayContaining([
        { service: "api", from: "ghcr.io/danny-avila/librechat-dev:latest", to: "registry.librechat.ai/danny-avila/librechat-dev:latest" },
        { service: "mongodb", from: "mongo", to: "mongo:8.0.20" },
        { service: "meilisearch", from: "getmeili/meilisearch:v1.12.3", to: "getmeili/meilisearch:v1.35.1" },
        { service: "admin-panel", from: undefined, to: "registry.librechat.ai/clickhouse/librechat-admin-panel:latest" },
      ]),
    );
    expect(impact.compose?.networks).toEqual({ added: [], removed: [], services: [] });
  });

  it("reports the admin panel's host port 3000 clashing with the SvelteKit frontend as written, and not with ADMIN_PANEL_PORT=3001", () => {
    expect(impact.clashes?.asWritten).toEqual([expect.objectContaining({ rule: "host-port-clash", service: "admin-panel", message: expect.stringMatching(/host port 3000, which the SvelteKit frontend/) })]);
    expect(impact.clashes?.asWritten[0]?.fix).toBe(`add the line ADMIN_PANEL_PORT=3001 to ${v087}/.env`);
    expect(impact.clashes?.withGateConfig).toEqual([]);
  });

  it("compares .env.example: the variables added, removed and changed, and no rename", () => {
    const env = impact.env!;
    expect(env.removed.map((v) => v.name).sort()).toEqual(["DEBUG_PLUGINS", "LIBRECHAT_CODE_API_KEY", "PLUGINS_USE_AZURE", "PLUGIN_MODELS", "YOUTUBE_API_KEY"]);
    expect(env.added.map((v) => v.name)).toEqual(expect.arrayContaining(["ADMIN_PANEL_PORT", "ADMIN_PANEL_SESSION_SECRET", "SESSION_COOKIE_SECURE"]));
    expect(env.added.find((v) => v.name === "SESSION_COOKIE_SECURE")?.active).toBe(false);
    expect(env.renamed).toEqual([]);
    expect(env.defaultChanged).toEqual([{ name: "ALLOW_SHARED_LINKS_PUBLIC", from: "true", to: "false" }]);
  });

  it("reads librechat.example.yaml's version and checks the overlay against the candidate", () => {
    expect(impact.yamlVersion).toEqual({ baseline: "1.2.1", candidate: "1.3.13" });
    expect(impact.overlay).toMatchObject({ merges: true, services: [{ name: "api", exists: true }] });
  });

  it("says when the overlay names a service the candidate lacks", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "lch-impact-"));
    made.push(dir);
    const overlay = path.join(dir, "overlay.yaml");
    writeFileSync(overlay, "services:\n  librechat:\n    container_name: librechat-api\n");
    const checked = staticImpact({ baseline: v081, candidate: v087 }, overlay, {}, undefined).overlay!;
    expect(checked.merges).toBe(false);
    expect(checked.services).toEqual([{ name: "librechat", exists: false }]);
    expect(checked.error).toMatch(/overrides service "librechat", which .* does not define/);
  });

  it("skips the two-checkout comparisons for an image-only side, with the reason", () => {
    const skipped = staticImpact({ baseline: undefined, candidate: v087 }, CORRECTED_OVERLAY, {}, "the baseline is the image x, not a checkout");
    expect(skipped).toMatchObject({ skipped: "the baseline is the image x, not a checkout", compose: undefined, env: undefined });
    expect(skipped.clashes?.asWritten).toHaveLength(1);
  });
});

describe(".env.example renames", () => {
  it("pairs a removed and an added variable with the same distinctive value, or close names", () => {
    const diff = diffEnvExample("MEILI_URL=http://meilisearch:7700\nRAG_URL=x\nSEARCH_ENABLE=true\nYOUTUBE_API_KEY=\n", "SEARCH_HOST=http://meilisearch:7700\nRAG_API_URL=x\nENABLE_SEARCH=true\nGEMINI_API_KEY=\n");
    expect(diff.renamed).toEqual([
      { from: "MEILI_URL", to: "SEARCH_HOST", why: 'the same example value "http://meilisearch:7700"' },
      { from: "RAG_URL", to: "RAG_API_URL", why: "the same words with one word added or dropped" },
      { from: "SEARCH_ENABLE", to: "ENABLE_SEARCH", why: "the same words in another order" },
    ]);
    expect(diff.removed.map((v) => v.name)).toEqual(["YOUTUBE_API_KEY"]);
    expect(diff.added.map((v) => v.name)).toEqual(["GEMINI_API_KEY"]);
  });

  it("does not pair variables that merely share a value like true, or a word", () => {
    expect(diffEnvExample("DEBUG_PLUGINS=true\n", "LOG_TO_FILE=true\n").renamed).toEqual([]);
    expect(closeNames("YOUTUBE_API_KEY", "GEMINI_API_KEY")).toBeUndefined();
    expect(closeNames("OPENID_EMAIL_CLAIM", "OPENID_EMAILS_CLAIM")).toBe("names 1 edit(s) apart");
  });

  it("reads set and commented-out variables, the set one winning", () => {
    const vars = parseEnvExample('# PORT=1\nPORT=3080\n# SECRET="a b" # note\nexport KEY=v # c\n');
    expect([...vars.values()]).toEqual([
      { name: "PORT", value: "3080", active: true, line: 2 },
      { name: "SECRET", value: "a b", active: false, line: 3 },
      { name: "KEY", value: "v", active: true, line: 4 },
    ]);
  });
});
