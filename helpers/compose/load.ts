import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { composeConfig, detectComposeCli, execRunner, type ComposeCli, type Runner } from "./compose-cli.ts";
import { parseDotenv, readAsLibreChat } from "./dotenv.ts";
import { ComposeInputError } from "./errors.ts";
import { interpolate, type Lookup } from "./interpolate.ts";
import { locate } from "./locate.ts";
import { mergeDocuments } from "./merge.ts";
import type { ComposeModel, LibreChatStack, ServiceModel } from "./model.ts";
import { isRecord, normalizeHealthcheck, parsePort, parseVolume, serviceNetworks, splitCommand, toNetworkMap, toStringMap } from "./normalize.ts";
import { checkNetworks, declaredProfiles, projectNameOf, topLevelNetworks, withDeclaredNetworks } from "./project.ts";
import { lineOf, OverrideTag, readComposeSource, type ComposeSource, type Segment } from "./source.ts";

/** The file names `docker compose` looks for in a project directory, in its order of preference. */
export const DEFAULT_COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

export interface LoadOptions {
  /** A LibreChat checkout: its compose file is the base and its `.env` feeds interpolation. */
  librechatDir?: string | undefined;
  /** Explicit base file(s) instead of the directory's default compose file. */
  baseFiles?: string[];
  /** The project's overlay (`compose.librechat.yaml`); null for none. */
  overlay?: string | null;
  /** Variables for interpolation (before the `.env`); defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** LibreChat's service key; default `api`, else the service running a `librechat` image. */
  service?: string;
  /** Allow services without image/build (linting an overlay on its own). */
  allowIncomplete?: boolean;
}

export interface LoadAsyncOptions extends LoadOptions {
  /** `detect` (default) uses `docker compose config` when Compose v2 is installed; null forces the built-in merge. */
  cli?: ComposeCli | null | "detect";
  run?: Runner;
}

/** The compose file `docker compose` would pick in `dir`. */
export function findComposeFile(dir: string): string {
  const abs = path.resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new ComposeInputError(`LIBRECHAT_DIR=${dir} is not a directory; point it at a LibreChat-main checkout.`);
  for (const name of DEFAULT_COMPOSE_FILES) {
    const candidate = path.join(abs, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new ComposeInputError(`LIBRECHAT_DIR=${dir} has no compose file (looked for ${DEFAULT_COMPOSE_FILES.join(", ")}); point LIBRECHAT_DIR at a LibreChat-main checkout, whose docker-compose.yml defines LibreChat's service.`);
}

interface Inputs {
  files: string[];
  sources: ComposeSource[];
  projectDir: string;
  dotenv: ComposeModel["dotenv"];
  lookup: Lookup;
  env: Record<string, string | undefined>;
}

function readInputs(options: LoadOptions): Inputs {
  const base = options.baseFiles ?? (options.librechatDir ? [findComposeFile(options.librechatDir)] : []);
  const overlay = options.overlay === undefined ? [] : options.overlay === null ? [] : [options.overlay];
  const files = [...base, ...overlay].map((f) => path.resolve(f));
  if (files.length === 0) throw new ComposeInputError("no compose file given: set LIBRECHAT_DIR or LIBRECHAT_OVERLAY");
  const sources = files.map(readComposeSource);
  // Compose's project directory is the first file's directory; `.env` and relative paths live there.
  const projectDir = options.librechatDir ? path.resolve(options.librechatDir) : path.dirname(files[0] as string);
  const env = options.env ?? process.env;
  const envPath = path.join(projectDir, ".env");
  let dotenv: ComposeModel["dotenv"] = { values: {}, lines: {} };
  if (existsSync(envPath) && statSync(envPath).isFile()) {
    const text = readFileSync(envPath, "utf8");
    dotenv = { ...parseDotenv(text, envPath, (n) => env[n]), file: envPath, librechatValues: readAsLibreChat(text) };
  }
  const lookup: Lookup = (name) => env[name] ?? dotenv.values[name];
  return { files, sources, projectDir, dotenv, lookup, env };
}

function interpolateTree(value: unknown, segments: Segment[], source: ComposeSource, lookup: Lookup, warn: (m: string) => void): unknown {
  if (typeof value === "string") return interpolate(value, { lookup, warn, where: { file: source.file, line: lineOf(source, segments) } });
  if (value instanceof OverrideTag) return new OverrideTag(interpolateTree(value.value, segments, source, lookup, warn));
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, [...segments, i], source, lookup, warn));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateTree(v, [...segments, k], source, lookup, warn);
    return out;
  }
  return value;
}

/** Interpolates each file on its own (as Compose does before merging) and keeps the result on the source. */
function interpolateSources(inputs: Inputs, warn: (m: string) => void): Record<string, unknown>[] {
  return inputs.sources.map((s) => {
    s.data = interpolateTree(s.raw, [], s, inputs.lookup, warn) as Record<string, unknown>;
    return s.data;
  });
}

function servicesOf(doc: Record<string, unknown>): Record<string, unknown> {
  return isRecord(doc.services) ? doc.services : {};
}

/** An overlay service the base lacks and that cannot run on its own is almost always a wrong name. */
function checkOverlayServices(sources: ComposeSource[], docs: Record<string, unknown>[]): void {
  const known = new Set(Object.keys(servicesOf(docs[0] ?? {})));
  for (let i = 1; i < docs.length; i++) {
    for (const [name, svc] of Object.entries(servicesOf(docs[i] as Record<string, unknown>))) {
      const def = svc instanceof OverrideTag ? svc.value : svc;
      if (!known.has(name) && !(isRecord(def) && (def.image !== undefined || def.build !== undefined))) {
        const src = sources[i] as ComposeSource;
        const baseFiles = sources.slice(0, i).map((s) => s.file).join(", ");
        throw new ComposeInputError(
          `overrides service "${name}", which ${baseFiles} does not define (it defines: ${[...known].join(", ") || "no services"}); ` +
            `a service only in the overlay needs its own image or build`,
          { file: src.file, line: lineOf(src, ["services", name]) },
        );
      }
      known.add(name);
    }
  }
}

function readEnvFiles(svcName: string, value: unknown, inputs: Inputs): Record<string, string> {
  const out: Record<string, string> = {};
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  for (const item of items) {
    const rel = isRecord(item) ? String(item.path) : String(item);
    const required = isRecord(item) ? item.required !== false : true;
    const file = path.resolve(inputs.projectDir, rel);
    if (!existsSync(file)) {
      if (!required) continue;
      const where = locate(inputs.sources, ["services", svcName, "env_file"]);
      throw new ComposeInputError(`service "${svcName}" has env_file ${rel}, but ${file} does not exist`, where);
    }
    Object.assign(out, parseDotenv(readFileSync(file, "utf8"), file, inputs.lookup).values);
  }
  return out;
}

/** `builtin` folds `env_file` in and resolves bare `KEY`s itself; Compose's `config` has done both (null: unset). */
function buildService(name: string, merged: Record<string, unknown>, inputs: Inputs, engine: ComposeModel["engine"]): ServiceModel {
  const where = (...segs: Segment[]) => locate(inputs.sources, ["services", name, ...segs]);
  const builtin = engine === "builtin";
  const environment: Record<string, string> = builtin ? readEnvFiles(name, merged.env_file, inputs) : {};
  for (const [k, v] of Object.entries(toStringMap(merged.environment))) {
    // A bare `KEY` passes the variable through from Compose's environment, or leaves it out.
    const value = v ?? (builtin ? inputs.lookup(k) : undefined);
    if (value !== undefined) environment[k] = value;
    else delete environment[k];
  }
  const hasNetworks = merged.networks !== undefined && merged.network_mode === undefined;
  const networks = serviceNetworks(hasNetworks ? toNetworkMap(merged.networks) : merged.network_mode === undefined ? { default: {} } : {});
  const ports = (Array.isArray(merged.ports) ? merged.ports : []).flatMap((p) => parsePort(p, where("ports")));
  const volumes = (Array.isArray(merged.volumes) ? merged.volumes : []).map((v) => parseVolume(v, inputs.projectDir, where("volumes")));
  const svc: ServiceModel = {
    name,
    environment,
    networks,
    ports,
    volumes,
    profiles: Array.isArray(merged.profiles) ? merged.profiles.map(String) : [],
    merged,
  };
  if (merged.image !== undefined && merged.image !== null) svc.image = String(merged.image);
  const command = splitCommand(merged.command);
  if (command) svc.command = command;
  const healthcheck = normalizeHealthcheck(merged.healthcheck, where("healthcheck"));
  if (healthcheck) svc.healthcheck = healthcheck;
  if (merged.container_name !== undefined && merged.container_name !== null) svc.containerName = String(merged.container_name);
  if (merged.user !== undefined && merged.user !== null) svc.user = String(merged.user);
  return svc;
}

const LIBRECHAT_IMAGE = /(^|\/)librechat(-dev)?(-api)?(:|@|$)/;

function pickLibreChat(services: Record<string, ServiceModel>, wanted: string | undefined, sources: ComposeSource[]): string {
  if (wanted) {
    if (!services[wanted]) throw new ComposeInputError(`has no service "${wanted}" (services: ${Object.keys(services).join(", ")})`, { file: sources[0]?.file });
    return wanted;
  }
  if (services.api) return "api";
  const byImage = Object.values(services).find((s) => s.image && LIBRECHAT_IMAGE.test(s.image));
  if (byImage) return byImage.name;
  throw new ComposeInputError(`defines no LibreChat service (no "api", no service with a librechat image)`, { file: sources[0]?.file });
}

function findService(services: Record<string, ServiceModel>, name: string, image: RegExp): ServiceModel | undefined {
  return services[name] ?? Object.values(services).find((s) => s.image !== undefined && image.test(s.image));
}

function assemble(merged: Record<string, unknown>, inputs: Inputs, opts: LoadOptions, engine: ComposeModel["engine"], cli: ComposeCli | undefined, warnings: string[]): ComposeModel {
  const projectName = engine === "compose-cli" && typeof merged.name === "string" ? merged.name : projectNameOf(merged, inputs.lookup, inputs.projectDir);
  const services: Record<string, ServiceModel> = {};
  for (const [name, svc] of Object.entries(servicesOf(merged))) {
    const def = isRecord(svc) ? svc : {};
    services[name] = buildService(name, def, inputs, engine);
    if (!opts.allowIncomplete && def.image === undefined && def.build === undefined) {
      throw new ComposeInputError(`service "${name}" has neither an image nor a build context`, locate(inputs.sources, ["services", name]));
    }
  }
  const networks = topLevelNetworks(merged, services, projectName);
  checkNetworks(services, networks, inputs.sources);
  const librechatService = pickLibreChat(services, opts.service, inputs.sources);
  const stack: LibreChatStack = { projectName, networks };
  const mongo = findService(services, "mongodb", /(^|\/)mongo(:|@|$)/);
  if (mongo?.image) stack.mongodb = { service: mongo.name, image: mongo.image };
  const meili = findService(services, "meilisearch", /(^|\/)meilisearch(:|@|$)/);
  if (meili?.image) stack.meilisearch = { service: meili.name, image: meili.image };
  return {
    projectName,
    projectDir: inputs.projectDir,
    sources: inputs.sources,
    dotenv: inputs.dotenv,
    engine,
    cli: cli ? { kind: cli.kind, version: cli.version } : undefined,
    services,
    networks,
    librechatService,
    stack,
    warnings,
  };
}

/** Reads, interpolates and merges the files with the built-in implementation of the Compose rules. */
export function loadComposeBuiltin(options: LoadOptions, cli?: ComposeCli): ComposeModel {
  const inputs = readInputs(options);
  const warnings = new Set<string>();
  const docs = interpolateSources(inputs, (m) => warnings.add(m));
  checkOverlayServices(inputs.sources, docs);
  return assemble(mergeDocuments(docs), inputs, options, "builtin", cli, [...warnings]);
}

/**
 * The merged model of LibreChat's compose file plus the overlay. With Compose v2 installed its
 * own `config` output is the truth (every profile the files name enabled, its `$$` read as the `$`
 * the container gets, its warnings kept, and the declared networks it drops as unused kept for the
 * lint); otherwise (v1 or none) the built-in merge stands in for it, and compose-v2.test.ts checks
 * that the two agree on LibreChat's real files. Line numbers always come from the files themselves.
 */
export async function loadCompose(options: LoadAsyncOptions): Promise<ComposeModel> {
  const run = options.run ?? execRunner;
  const cli = options.cli === "detect" || options.cli === undefined ? await detectComposeCli(run) : (options.cli ?? undefined);
  if (cli?.kind !== "v2") return loadComposeBuiltin(options, cli);
  const inputs = readInputs(options);
  // For the lint's line lookups, the profiles and the declared networks; the CLI's output carries the values.
  const docs = interpolateSources(inputs, () => {});
  const { model, warnings } = await composeConfig(cli, inputs.files, { env: inputs.env, cwd: inputs.projectDir, profiles: declaredProfiles(docs) }, run);
  return assemble(withDeclaredNetworks(model, docs), inputs, options, "compose-cli", cli, warnings);
}
