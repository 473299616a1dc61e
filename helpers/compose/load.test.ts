import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Runner } from "./compose-cli.ts";
import { ComposeInputError } from "./errors.ts";
import { findComposeFile, loadCompose, loadComposeBuiltin } from "./load.ts";
import { GUIDE_OVERLAY, hasUpstream, librechatCheckout, tempProject, upstreamDir } from "../testing/compose-files.ts";

const versions = (["v0.8.1", "v0.8.7"] as const).filter(hasUpstream);

describe.skipIf(versions.length === 0)("the guide's overlay on LibreChat's real docker-compose.yml (../shared)", () => {
  describe.each(versions)("%s", (version) => {
    const dir = librechatCheckout(version);
    const model = loadComposeBuiltin({ librechatDir: dir, overlay: GUIDE_OVERLAY, env: {} });
    const api = model.services[model.librechatService]!;

    it("keeps the base image, replaces container_name and takes the overlay's healthcheck", () => {
      expect(api.image).toBe(version === "v0.8.1" ? "ghcr.io/danny-avila/librechat-dev:latest" : "registry.librechat.ai/danny-avila/librechat-dev:latest");
      expect(api.containerName).toBe("librechat-api");
      expect(api.healthcheck).toEqual({
        test: ["CMD", "curl", "-f", "http://localhost:3080/api/health"],
        intervalMs: 30_000,
        timeoutMs: 10_000,
        retries: 3,
        startPeriodMs: 40_000,
      });
    });

    it("joins default and backend-dev, with ${PORT}:${PORT} from the .env", () => {
      expect(Object.keys(api.networks).sort()).toEqual(["backend-dev", "default"]);
      expect(api.ports).toEqual([{ host: "3080", container: 3080, protocol: "tcp" }]);
      expect(api.user).toBe(":"); // UID/GID are not in env.example: blank, with Compose's warning
      expect(model.warnings).toContain('The "UID" variable is not set. Defaulting to a blank string.');
    });

    it("merges environment (list form, interpolated) and env_file (environment wins)", () => {
      expect(api.environment.HOST).toBe("0.0.0.0");
      expect(api.environment.MONGO_URI).toBe("mongodb://mongodb:27017/LibreChat");
      expect(api.environment.RAG_API_URL).toBe("http://rag_api:8000");
      const rag = model.services.rag_api;
      expect(rag?.environment.DB_HOST).toBe("vectordb"); // from environment
      expect(rag?.environment.ALLOW_REGISTRATION).toBe("true"); // from env_file .env
      expect(rag?.environment.HOST).toBe("localhost"); // .env only: env.example's own value
    });

    it("reports the project name, networks and the other images", () => {
      expect(model.projectName).toBe("hestami-ai-librechat");
      expect(model.stack.networks).toEqual([
        { key: "default", name: "hestami-ai-librechat_default", external: false, internal: false },
        { key: "backend-dev", name: "backend-dev", external: true, internal: false },
        { key: "backend-prod", name: "backend-prod", external: true, internal: false },
      ]);
      expect(model.stack.mongodb?.image).toBe(version === "v0.8.1" ? "mongo" : "mongo:8.0.20");
      expect(model.stack.meilisearch?.image).toBe(version === "v0.8.1" ? "getmeili/meilisearch:v1.12.3" : "getmeili/meilisearch:v1.35.1");
      expect(model.sources.map((s) => s.file)).toEqual([path.join(dir, "docker-compose.yml"), GUIDE_OVERLAY]);
    });

    it("lets the process environment win over the .env", () => {
      const m = loadComposeBuiltin({ librechatDir: dir, overlay: GUIDE_OVERLAY, env: { PORT: "3099", COMPOSE_PROJECT_NAME: "mine" } });
      expect(m.services[m.librechatService]!.ports[0]).toMatchObject({ host: "3099", container: 3099 });
      expect(m.services[m.librechatService]!.healthcheck?.test[3]).toBe("http://localhost:3099/api/health");
      expect(m.projectName).toBe("mine");
      // Compose v2 normalizes `name:` and the directory's name, but refuses a COMPOSE_PROJECT_NAME that is not a valid name.
      expect(() => loadComposeBuiltin({ librechatDir: dir, overlay: GUIDE_OVERLAY, env: { COMPOSE_PROJECT_NAME: "Mine" } })).toThrow(/invalid project name "Mine" \(COMPOSE_PROJECT_NAME\)/);
    });
  });

  it.runIf(versions.includes("v0.8.7"))("includes admin-panel with its default host port on v0.8.7", () => {
    const m = loadComposeBuiltin({ librechatDir: librechatCheckout("v0.8.7"), overlay: GUIDE_OVERLAY, env: {} });
    expect(m.services["admin-panel"]?.ports).toEqual([{ host: "3000", container: 3000, protocol: "tcp" }]);
    expect(m.services["admin-panel"]?.environment.API_SERVER_URL).toBe("http://api:3080");
  });
});

describe("compose input errors", () => {
  it("names a LIBRECHAT_DIR with no compose file", () => {
    const dir = tempProject({ "README.md": "x" });
    expect(() => findComposeFile(dir)).toThrow(ComposeInputError);
    expect(() => findComposeFile(dir)).toThrow(/has no compose file \(looked for compose\.yaml, compose\.yml, docker-compose\.yml/);
  });

  it("names a file that does not exist", () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n" });
    expect(() => loadComposeBuiltin({ librechatDir: dir, overlay: path.join(dir, "nope.yaml"), env: {} })).toThrow(/nope\.yaml: compose file does not exist/);
  });

  it("names the file and line of a YAML error", () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n", "o.yaml": "services:\n  api:\n    ports: [1\n  bad: : :\n" });
    try {
      loadComposeBuiltin({ librechatDir: dir, overlay: path.join(dir, "o.yaml"), env: {} });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ComposeInputError);
      expect((e as ComposeInputError).file).toBe(path.join(dir, "o.yaml"));
      expect((e as ComposeInputError).line).toBeGreaterThan(0);
      expect(String(e)).toMatch(/does not parse as YAML/);
    }
  });

  it("names an overlay service the base file lacks", () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  librechat:\n    image: x\n" });
    expect(() => loadComposeBuiltin({ librechatDir: dir, overlay: GUIDE_OVERLAY, env: {} })).toThrow(
      /compose\.librechat\.yaml:12: overrides service "api", which .*docker-compose\.yml does not define \(it defines: librechat\)/,
    );
  });

  it("names a network no top-level entry declares, and an env_file that is missing", () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n    networks: [nope]\n" });
    expect(() => loadComposeBuiltin({ librechatDir: dir, env: {} })).toThrow(/docker-compose\.yml:4: service "api" uses network "nope"/);
    const dir2 = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n    env_file: missing.env\n" });
    expect(() => loadComposeBuiltin({ librechatDir: dir2, env: {} })).toThrow(/docker-compose\.yml:4: service "api" has env_file missing\.env/);
  });

  it("fails on a required variable with its message and line", () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n    environment:\n      - KEY=${SECRET:?set SECRET}\n" });
    expect(() => loadComposeBuiltin({ librechatDir: dir, env: {} })).toThrow(/docker-compose\.yml:5: required variable SECRET is missing a value: set SECRET/);
  });
});

describe("Compose CLI", () => {
  it("uses `docker compose config --format json` when Compose v2 is installed", async () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: from-file\n" });
    const calls: string[][] = [];
    const run: Runner = async (argv) => {
      calls.push(argv);
      if (argv.join(" ") === "docker compose version") return { code: 0, stdout: "Docker Compose version v2.29.1\n", stderr: "" };
      const json = { name: "p", services: { api: { image: "from-cli", environment: { HOST: "0.0.0.0" }, networks: { default: null }, ports: [{ mode: "ingress", target: 3080, published: "3080", protocol: "tcp" }] } }, networks: { default: { name: "p_default" } } };
      return { code: 0, stdout: JSON.stringify(json), stderr: "" };
    };
    const m = await loadCompose({ librechatDir: dir, env: {}, run });
    expect(m.engine).toBe("compose-cli");
    expect(m.cli).toEqual({ kind: "v2", version: "2.29.1" });
    expect(m.services[m.librechatService]!.image).toBe("from-cli");
    expect(m.services[m.librechatService]!.ports).toEqual([{ host: "3080", container: 3080, protocol: "tcp" }]);
    expect(calls[1]).toEqual(["docker", "compose", "-f", path.join(dir, "docker-compose.yml"), "config", "--format", "json"]);
  });

  it("falls back to the built-in merge with Compose v1 or none", async () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: from-file\n" });
    const run: Runner = async (argv) =>
      argv[0] === "docker-compose" ? { code: 0, stdout: "docker-compose version 1.29.2, build unknown\n", stderr: "" } : { code: 1, stdout: "", stderr: "unknown command" };
    const m = await loadCompose({ librechatDir: dir, env: {}, run });
    expect(m.engine).toBe("builtin");
    expect(m.cli).toEqual({ kind: "v1", version: "1.29.2" });
    expect(m.services[m.librechatService]!.image).toBe("from-file");
  });

  it("the project's .env is written next to the base file, not the overlay", () => {
    const dir = tempProject({ "docker-compose.yml": "services:\n  api:\n    image: x\n    ports: ['${PORT}:${PORT}']\n" });
    writeFileSync(path.join(dir, ".env"), "PORT=4000\n");
    const m = loadComposeBuiltin({ librechatDir: dir, overlay: GUIDE_OVERLAY, env: {} });
    expect(m.services[m.librechatService]!.ports[0]?.host).toBe("4000");
    expect(upstreamDir("v0.8.7")).toContain("upstream-v0.8.7");
  });
});
