// How the harness reads `docker compose config --format json`, without Compose: each case is one
// difference between the built-in merge and Compose v2 found on LibreChat's real files
// (compose-v2.test.ts runs the same against the real CLI).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempProject } from "../testing/compose-files.ts";
import { composeConfig, composeWarnings, unescapeDollars, type ComposeCli, type Runner } from "./compose-cli.ts";
import { ComposeInputError } from "./errors.ts";
import { loadCompose } from "./load.ts";
import { serviceDefinition } from "./service-definition.ts";

const V2: ComposeCli = { kind: "v2", argv: ["docker", "compose"], version: "2.26.1" };

/** A fake CLI that prints `model` (and `stderr`) for `config`, recording each argv. */
function fakeCli(model: Record<string, unknown>, stderr = ""): { run: Runner; calls: string[][] } {
  const calls: string[][] = [];
  const run: Runner = async (argv) => {
    calls.push(argv);
    return { code: 0, stdout: JSON.stringify(model), stderr };
  };
  return { run, calls };
}

describe("reading Compose v2's config output", () => {
  it("undoes the `$$` Compose writes for every `$` (docker/compose#8632), keys included", () => {
    expect(unescapeDollars({ "K$$": ["x$$y", { k: "p$$$$q" }], n: 1, z: null })).toEqual({ K$: ["x$y", { k: "p$$q" }], n: 1, z: null });
  });

  it("gives the container the single `$` Compose gives it", async () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n" });
    const { run } = fakeCli({ name: "p", services: { api: { image: "x", environment: { MEILI_MASTER_KEY: "pa$$word" }, command: ["sh", "-c", "echo $$HOME"] } } });
    const m = await loadCompose({ librechatDir: dir, env: {}, cli: V2, run });
    expect(m.services.api?.environment.MEILI_MASTER_KEY).toBe("pa$word");
    expect(m.services.api?.command).toEqual(["sh", "-c", "echo $HOME"]);
  });

  it("keeps Compose's warnings, and leaves them out of an error", async () => {
    const warn = 'time="t" level=warning msg="The \\"UID\\" variable is not set. Defaulting to a blank string."\n';
    expect(composeWarnings(warn + warn)).toEqual(['The "UID" variable is not set. Defaulting to a blank string.']);
    const failing: Runner = async () => ({ code: 15, stdout: "", stderr: `${warn}validating x.yaml: services.api.user must be a string\n` });
    await expect(composeConfig(V2, ["/x.yaml"], { env: {}, cwd: "/" }, failing)).rejects.toThrow(/failed: validating x\.yaml: services\.api\.user must be a string$/);
    await expect(composeConfig(V2, ["/x.yaml"], { env: {}, cwd: "/" }, failing)).rejects.toBeInstanceOf(ComposeInputError);
  });

  it("enables every profile the files name, so that `config` shows the services the built-in model has", async () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n  meilisearch:\n    image: getmeili/meilisearch:v1\n    profiles: [search, debug]\n" });
    const { run, calls } = fakeCli({ name: "p", services: { api: { image: "x" }, meilisearch: { image: "getmeili/meilisearch:v1", profiles: ["search", "debug"] } } });
    const m = await loadCompose({ librechatDir: dir, env: {}, cli: V2, run });
    expect(calls[0]).toEqual(["docker", "compose", "-f", path.join(dir, "docker-compose.yml"), "--profile", "debug", "--profile", "search", "config", "--format", "json"]);
    expect(m.stack.meilisearch).toEqual({ service: "meilisearch", image: "getmeili/meilisearch:v1" });
    expect(m.services.meilisearch?.profiles).toEqual(["search", "debug"]);
  });

  it("keeps the declared networks Compose leaves out as unused (the lint names them)", async () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n    networks: [default, backend-dev]\nnetworks:\n  backend-dev:\n    external: true\n  backend-prod:\n    name: backend-prod\n    external: true\n" });
    const { run } = fakeCli({
      name: "p",
      services: { api: { image: "x", networks: { "backend-dev": null, default: null } } },
      networks: { "backend-dev": { name: "backend-dev", external: true }, default: { name: "p_default" } },
    });
    const m = await loadCompose({ librechatDir: dir, env: {}, cli: V2, run });
    expect(m.networks).toEqual([
      { key: "backend-dev", name: "backend-dev", external: true, internal: false },
      { key: "default", name: "p_default", external: false, internal: false },
      { key: "backend-prod", name: "backend-prod", external: true, internal: false },
    ]);
  });

  it("takes a variable Compose left unset (null) as unset, without looking it up again", async () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n    environment: [FROM_ENV]\n" });
    writeFileSync(path.join(dir, ".env"), "OTHER=1\n");
    const { run } = fakeCli({ name: "p", services: { api: { image: "x", environment: { FROM_ENV: null } } } });
    const m = await loadCompose({ librechatDir: dir, env: { FROM_ENV: "only the harness would see this" }, cli: V2, run });
    expect(m.services.api?.environment).toEqual({});
  });
});

describe("serviceDefinition", () => {
  it("sorts extra_hosts as Compose v2 passes them, whatever form the file uses", async () => {
    const dir = tempProject({ "docker-compose.yml": 'services:\n  api:\n    image: x\n    extra_hosts: ["zed:10.0.0.9", "alpha=10.0.0.1"]\n' });
    const m = await loadCompose({ librechatDir: dir, env: {}, cli: null });
    expect(serviceDefinition(m, "api", { withDotenv: false }).extraHosts).toEqual(["alpha:10.0.0.1", "zed:10.0.0.9"]);
  });

  it("gives LibreChat the .env as its own dotenv reads /app/.env, not as Compose reads it for interpolation", async () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n    ports: ['${PORT}:${PORT}']\n" });
    writeFileSync(path.join(dir, ".env"), "PORT=3080\nOPENID_JWKS_URL_CACHE_TIME= # 600000 ms\n");
    const m = await loadCompose({ librechatDir: dir, env: {}, cli: null });
    expect(m.dotenv.values.OPENID_JWKS_URL_CACHE_TIME).toBe("# 600000 ms"); // Compose's reading (an env_file would get this)
    expect(serviceDefinition(m, "api", { withDotenv: true }).dotenv).toEqual({ PORT: "3080", OPENID_JWKS_URL_CACHE_TIME: "" });
  });
});
