// Issue 14 §1: the built-in merge must agree with Compose v2 on what the harness starts. Compose
// v2's own `config` is the truth; this runs it (it needs no Docker engine) on LibreChat's real
// compose files with the guide's overlay and the corrected one, and compares field by field
// through serviceDefinition, the one shape the stack runs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../config.ts";
import { GUIDE_OVERLAY, hasUpstream, librechatCheckout } from "../testing/compose-files.ts";
import { composeConfigJson, detectComposeCli } from "./compose-cli.ts";
import { loadCompose, loadComposeBuiltin } from "./load.ts";
import type { ComposeModel } from "./model.ts";
import { isRecord } from "./normalize.ts";
import { serviceDefinition } from "./service-definition.ts";

const detected = await detectComposeCli();
const cli = detected?.kind === "v2" ? detected : undefined;
const absent = detected
  ? `Compose v2 is not installed (found Compose ${detected.version} as \`${detected.argv.join(" ")}\`, which cannot print its model as JSON)`
  : "Compose v2 is not installed (`docker compose version` and `docker-compose version` failed)";
const NO_V2 = `${absent}: the built-in merge is not compared with Compose v2 on this host (CI installs Compose v2, so there it runs)`;
if (!cli) console.warn(`skipped: ${NO_V2}`);

const BASELINE_OVERLAY = path.join(REPO_ROOT, "fixtures", "faults", "baseline.yaml");
const VERSIONS = (["v0.8.1", "v0.8.7"] as const).filter(hasUpstream);
const OVERLAYS = { "the guide's overlay": GUIDE_OVERLAY, "the corrected overlay (faults/baseline.yaml)": BASELINE_OVERLAY };
/** Variable settings on top of env.example as the `.env`; the process environment wins over it, as in Compose. */
const SETTINGS: Record<string, Record<string, string>> = {
  "env.example alone": {},
  "PORT=3081": { PORT: "3081" },
  "UID and GID set": { UID: "1000", GID: "1000" },
  "UID set, GID unset": { UID: "1000" },
  "PORT, UID/GID, RAG_PORT, NO_PROXY, a `$` in MEILI_MASTER_KEY, COMPOSE_PROJECT_NAME": {
    PORT: "3081",
    UID: "1001",
    GID: "1002",
    RAG_PORT: "9000",
    NO_PROXY: "corp.example",
    MEILI_MASTER_KEY: "pa$word",
    COMPOSE_PROJECT_NAME: "lch-compare",
  },
};

type Keyed = { key: string };
const byKey = <T extends Keyed>(items: readonly T[]): T[] => [...items].sort((a, b) => a.key.localeCompare(b.key));

/**
 * What the harness starts from a model: per service its definition (networks by key: Compose v2
 * prints them sorted, and the order of attachment changes nothing Docker does) and its profiles;
 * the top-level networks; which services are LibreChat, MongoDB and MeiliSearch; the project name.
 */
function startedShape(model: ComposeModel): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const name of Object.keys(model.services).sort()) {
    const { sourceFiles: _files, networks, ...definition } = serviceDefinition(model, name, { withDotenv: name === model.librechatService });
    services[name] = { ...definition, networks: byKey(networks), profiles: [...(model.services[name]?.profiles ?? [])].sort() };
  }
  return {
    services,
    networks: byKey(model.networks),
    roles: { librechat: model.librechatService, mongodb: model.stack.mongodb ?? null, meilisearch: model.stack.meilisearch ?? null },
    projectName: model.projectName,
  };
}

/** Every leaf where the two differ, as `path: builtin … / Compose v2 …`. */
function differences(builtin: unknown, compose: unknown, at = ""): string[] {
  if (isDeepStrictEqual(builtin, compose)) return [];
  if (isRecord(builtin) && isRecord(compose)) {
    return [...new Set([...Object.keys(builtin), ...Object.keys(compose)])].flatMap((k) => differences(builtin[k], compose[k], `${at}.${k}`));
  }
  return [`${at || "."}: built-in merge ${JSON.stringify(builtin)} / Compose v2 ${JSON.stringify(compose)}`];
}

/** The `.env` as Compose itself reads it: a probe service with the file as its env_file (no `.env` of its own next to it). */
async function composeReadsDotenv(file: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  if (!cli) throw new Error(NO_V2);
  const dir = mkdtempSync(path.join(tmpdir(), "compose-dotenv-probe-"));
  const probe = path.join(dir, "compose.yaml");
  writeFileSync(probe, `services:\n  probe:\n    image: probe\n    env_file: [${JSON.stringify(file)}]\n`);
  const model = await composeConfigJson(cli, [probe], { env, cwd: dir });
  const services = isRecord(model.services) ? model.services : {};
  const service = isRecord(services.probe) ? services.probe : {};
  return isRecord(service.environment) ? service.environment : {};
}

describe.skipIf(!cli || VERSIONS.length === 0)("the built-in merge agrees with Compose v2 on LibreChat's real compose files", () => {
  describe.each(VERSIONS)("LibreChat %s (env.example as .env)", (version) => {
    describe.each(Object.entries(OVERLAYS))("with %s", (_overlayName, overlay) => {
      it.each(Object.entries(SETTINGS))("%s: every field the harness starts is the same", async (_name, env) => {
        const librechatDir = librechatCheckout(version);
        const builtin = loadComposeBuiltin({ librechatDir, overlay, env });
        const compose = await loadCompose({ librechatDir, overlay, env, cli });
        expect(compose.engine).toBe("compose-cli");
        expect(differences(startedShape(builtin), startedShape(compose))).toEqual([]);
        // The project's .env as the harness reads it for interpolation is Compose's own reading of it.
        expect(differences(builtin.dotenv.values, await composeReadsDotenv(path.join(librechatDir, ".env"), env))).toEqual([]);
      });
    });
  });
});

describe("Compose v2 on this host", () => {
  it("is installed, or the comparison says why it is skipped", async (ctx) => {
    if (cli && VERSIONS.length > 0) {
      await ctx.annotate(`compared with Compose ${cli.version} (\`${cli.argv.join(" ")}\`) on LibreChat ${VERSIONS.join(", ")}`);
      return;
    }
    // CI installs Compose v2 (.ci/run, the workflows): there its absence is a failure, not a skip.
    if (!cli && process.env.CI) expect.fail(`${NO_V2}; CI=${process.env.CI} requires it`);
    ctx.skip(cli ? "LibreChat's upstream compose files are not in ../shared/librechat (set HARNESS_SHARED_DIR)" : NO_V2);
  });
});

/** A throw-away project (compose.yaml plus files) loaded by both engines. */
async function bothEngines(files: Record<string, string>, env: Record<string, string> = {}): Promise<{ builtin: ComposeModel; compose: ComposeModel }> {
  const dir = mkdtempSync(path.join(tmpdir(), "compose-v2-fix-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const options = { baseFiles: [path.join(dir, "compose.yaml")], env, allowIncomplete: true };
  return { builtin: loadComposeBuiltin(options), compose: await loadCompose({ ...options, cli }) };
}

describe.skipIf(!cli)("each difference found, fixed, against Compose v2 itself", () => {
  it("a `$` written `$$` reaches the container as one `$` (the CLI prints it as `$$` again)", async () => {
    const { builtin, compose } = await bothEngines({
      "compose.yaml": 'services:\n  api:\n    image: x\n    environment:\n      X: "a$$b"\n      Y: ${SECRET}\n    command: ["sh", "-c", "echo $$HOME"]\n',
    }, { SECRET: "pa$word" });
    expect(compose.services.api?.environment).toEqual({ X: "a$b", Y: "pa$word" });
    expect(compose.services.api?.command).toEqual(["sh", "-c", "echo $HOME"]);
    expect(differences(startedShape(builtin), startedShape(compose))).toEqual([]);
  });

  it("an unquoted .env value ends only at ` #`: `KEY= # note` is \"# note\", a tab before # does not count", async () => {
    const text = "COMMENTED= # only a comment\nLEADHASH=#x\nTAB=a\t#b\nINLINE=abc # trailing\nHASH=abc#def\nWIDE=a  #  b\n";
    const dir = mkdtempSync(path.join(tmpdir(), "compose-v2-dotenv-"));
    writeFileSync(path.join(dir, "probe.env"), text);
    const { parseDotenv } = await import("./dotenv.ts");
    expect(parseDotenv(text, "probe.env").values).toEqual(await composeReadsDotenv(path.join(dir, "probe.env"), {}));
  });

  it("a named or anonymous volume has no host path to create", async () => {
    const { builtin, compose } = await bothEngines({ "compose.yaml": "services:\n  api:\n    image: x\n    volumes: [data:/data, /anon, ./bind:/bind]\nvolumes:\n  data: {}\n" });
    expect(compose.services.api?.volumes.map((v) => v.createHostPath)).toEqual([false, false, true]);
    expect(differences(startedShape(builtin), startedShape(compose))).toEqual([]);
  });

  it("a network no service joins and a service in a profile are in both models", async () => {
    const { builtin, compose } = await bothEngines({
      "compose.yaml": "services:\n  api:\n    image: x\n  meilisearch:\n    image: getmeili/meilisearch:v1\n    profiles: [search]\n    networks: [search-net]\nnetworks:\n  search-net: {}\n  unused:\n    external: true\n",
    });
    expect(compose.networks.map((n) => n.key).sort()).toEqual(["default", "search-net", "unused"]);
    expect(compose.stack.meilisearch).toEqual({ service: "meilisearch", image: "getmeili/meilisearch:v1" });
    expect(differences(startedShape(builtin), startedShape(compose))).toEqual([]);
  });

  it("extra_hosts come in Compose's sorted order", async () => {
    const { builtin, compose } = await bothEngines({ "compose.yaml": 'services:\n  api:\n    image: x\n    extra_hosts: ["zed:10.0.0.9", "alpha=10.0.0.1", "v6:::1"]\n' });
    expect(serviceDefinition(compose, "api", { withDotenv: false }).extraHosts).toEqual(["alpha:10.0.0.1", "v6:::1", "zed:10.0.0.9"]);
    expect(differences(startedShape(builtin), startedShape(compose))).toEqual([]);
  });

  it("COMPOSE_PROJECT_NAME must already be a valid name; `name:` is normalized", async () => {
    const files = { "compose.yaml": "name: My.Project\nservices:\n  api:\n    image: x\n" };
    await expect(bothEngines(files, { COMPOSE_PROJECT_NAME: "Mine" })).rejects.toThrow(/invalid project name "Mine"/);
    const dir = mkdtempSync(path.join(tmpdir(), "compose-v2-name-"));
    writeFileSync(path.join(dir, "compose.yaml"), files["compose.yaml"]);
    await expect(loadCompose({ baseFiles: [path.join(dir, "compose.yaml")], env: { COMPOSE_PROJECT_NAME: "Mine" }, cli })).rejects.toThrow(/invalid project name "Mine"/);
    const { builtin, compose } = await bothEngines(files);
    expect([builtin.projectName, compose.projectName]).toEqual(["myproject", "myproject"]);
  });
});
