import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "../config.ts";
import { docker, errorText } from "../docker/client.ts";
import { BUNDLER_FILES, bundleEntry } from "./bundle.ts";
import { cachedInputsHash, DEFAULT_CACHE_OPTIONS, recordInputsHash, type CacheOptions } from "./fixture-cache.ts";
import { BASE_IMAGE_LABEL, FIXTURES, type FixtureDefinition, type FixtureName } from "./fixtures.ts";

export class ImageBuildError extends Error {
  override name = "ImageBuildError";
}

/** Files of a build context, relative to it: everything but tests and local clutter. */
function contextFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === "node_modules" || entry.name === "__pycache__" || entry.name.startsWith(".")) continue;
    if (entry.isDirectory()) out.push(...contextFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/** Prepares the context; returns the files outside it that its preparation read (what esbuild bundled, the copied binary). */
async function prepareContext(def: FixtureDefinition): Promise<string[]> {
  const prep = def.prep;
  const read: string[] = [];
  if (prep.kind === "bundle" || prep.kind === "bundle-and-copy-binary") read.push(...(await bundleMain(def)));
  if (prep.kind === "copy-binary" || prep.kind === "bundle-and-copy-binary") read.push(copyBinary(prep.from, path.join(def.dir, "dist", prep.to)));
  return read;
}

/** Bundles `src/main.ts` into `dist/main.mjs` with esbuild; returns the files it read. */
async function bundleMain(def: FixtureDefinition): Promise<string[]> {
  const outfile = path.join(def.dir, "dist", "main.mjs");
  const bundle = await bundleEntry(path.join(def.dir, "src", "main.ts"), outfile);
  // Runs started side by side prepare the same context: write only a changed bundle, and
  // atomically, so that no run hashes a half-written file.
  if (!existsSync(outfile) || !readFileSync(outfile).equals(bundle.contents)) writeAtomically(outfile, bundle.contents);
  return bundle.inputs;
}

/** Copies a binary shipped inside an npm package into `dist/`; returns where it came from. */
function copyBinary(from: string, target: string): string {
  const source = path.join(REPO_ROOT, "node_modules", from);
  try {
    statSync(source);
  } catch {
    throw new ImageBuildError(`${from} is not installed (it ships only for linux x64 with glibc); run npm ci on such a host.`);
  }
  const binary = readFileSync(source);
  if (!existsSync(target) || !readFileSync(target).equals(binary)) writeAtomically(target, binary, 0o755);
  return source;
}

function writeAtomically(file: string, content: Buffer, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // A dot name: contextFiles() skips it, so no concurrent build sends it.
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, file);
}

function inputsHash(def: FixtureDefinition, files: string[], baseImageId: string): string {
  const hash = createHash("sha256").update(`base=${baseImageId}\n`);
  for (const file of files) {
    hash.update(`${file}\n`).update(readFileSync(path.join(def.dir, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * Files any preparation may depend on beyond what it read: npm's record of node_modules (rewritten
 * by every install) and the harness's own preparing and bundling code.
 */
const PREPARATION_FILES = [path.join(REPO_ROOT, "node_modules", ".package-lock.json"), fileURLToPath(import.meta.url), ...BUNDLER_FILES];

export interface FixtureInputs {
  hash: string;
  /** The build context's files, relative to its directory. */
  files: string[];
  /** "cache": known from the files' stats alone; "bundle": the context was prepared and hashed. */
  checkedBy: "cache" | "bundle";
}

/**
 * The inputs hash a fixture's image must carry, from the fixture cache when no input changed,
 * else by preparing the context (bundling) and hashing it, which is then recorded.
 */
export async function fixtureInputs(name: string, def: FixtureDefinition, baseImageId: string, options: CacheOptions = DEFAULT_CACHE_OPTIONS): Promise<FixtureInputs> {
  const context = JSON.stringify({ baseImageId, dir: def.dir, prep: def.prep });
  const before = contextFiles(def.dir);
  const cached = cachedInputsHash(name, context, before, options);
  if (cached !== undefined) return { hash: cached, files: before, checkedBy: "cache" };
  const startedAtMs = Date.now();
  const read = await prepareContext(def);
  const files = contextFiles(def.dir);
  const hash = inputsHash(def, files, baseImageId);
  const inputs = [...files.map((file) => path.join(def.dir, file)), ...read, ...PREPARATION_FILES];
  recordInputsHash(name, { context, contextFiles: files, inputs, hash, startedAtMs }, options);
  return { hash, files, checkedBy: "bundle" };
}

async function imageLabel(ref: string, label: string): Promise<string | undefined> {
  try {
    const info = await docker().getImage(ref).inspect();
    return info.Config?.Labels?.[label];
  } catch {
    return undefined;
  }
}

async function baseImageIdentity(baseImage: string | undefined): Promise<string> {
  if (!baseImage) return "public-default";
  try {
    return (await docker().getImage(baseImage).inspect()).Id;
  } catch {
    throw new ImageBuildError(
      `The base image ${baseImage} (HARNESS_BASE_IMAGE) does not exist; build it with scripts/build-base-image.sh or unset HARNESS_BASE_IMAGE.`,
    );
  }
}

interface BuildProgress {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

export interface BuildResult {
  fixture: string;
  tag: string;
  built: boolean;
  hash: string;
  durationMs: number;
}

/** One fixture's image against its inputs: `current` when the image carries their hash. */
export interface FixtureStatus extends FixtureInputs {
  name: string;
  def: FixtureDefinition;
  current: boolean;
  startedAtMs: number;
}

/** Checks one fixture (any definition: the project's, or a test's own) without building it. */
export async function fixtureStatus(name: string, def: FixtureDefinition, baseImage: string | undefined, options: CacheOptions = DEFAULT_CACHE_OPTIONS): Promise<FixtureStatus> {
  const startedAtMs = Date.now();
  const [baseImageId, labelled] = await Promise.all([baseImageIdentity(baseImage), imageLabel(def.tag, BASE_IMAGE_LABEL)]);
  const inputs = await fixtureInputs(name, def, baseImageId, options);
  return { ...inputs, name, def, current: labelled === inputs.hash, startedAtMs };
}

/** Builds the image of a checked fixture unless it is current. */
export async function buildChecked(status: FixtureStatus, baseImage: string | undefined, progress: (line: string) => void = () => undefined): Promise<BuildResult> {
  const { name, def, hash } = status;
  // The check's time when nothing is built, else the build's own (builds run one after another).
  const startedAtMs = status.current ? status.startedAtMs : Date.now();
  const result = (built: boolean): BuildResult => ({ fixture: name, tag: def.tag, built, hash, durationMs: Date.now() - startedAtMs });
  if (status.current) return result(false);
  progress(`building ${def.tag} (its inputs changed or it does not exist yet)`);
  const previousId = await docker()
    .getImage(def.tag)
    .inspect()
    .then((info) => info.Id)
    .catch(() => undefined);
  await dockerBuild(status, baseImage);
  // The image the tag pointed at is now untagged: remove it unless a container still uses it.
  const currentId = await docker()
    .getImage(def.tag)
    .inspect()
    .then((info) => info.Id)
    .catch(() => undefined);
  if (previousId && previousId !== currentId) await docker().getImage(previousId).remove().catch(() => undefined);
  return result(true);
}

async function dockerBuild({ name, def, hash, files }: FixtureStatus, baseImage: string | undefined): Promise<void> {
  const log: string[] = [];
  try {
    const stream = await docker().buildImage(
      { context: def.dir, src: files },
      {
        t: def.tag,
        labels: { [BASE_IMAGE_LABEL]: hash, "io.librechat-harness.fixture": name },
        buildargs: baseImage ? { BASE_IMAGE: baseImage } : {},
        rm: true,
        forcerm: true,
      },
    );
    await new Promise<void>((resolve, reject) => {
      docker().modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (event: BuildProgress) => {
          if (event.stream) log.push(event.stream.trimEnd());
          if (event.error) reject(new Error(event.errorDetail?.message ?? event.error));
        },
      );
    });
  } catch (error) {
    const tail = log.filter(Boolean).slice(-20).join("\n");
    throw new ImageBuildError(`Building ${def.tag} from ${path.relative(REPO_ROOT, def.dir)}/Dockerfile failed: ${errorText(error)}\n${tail}`);
  }
}

/** Builds one fixture image unless an image with the same inputs hash already exists. */
export async function buildFixture(name: FixtureName, baseImage: string | undefined, progress: (line: string) => void = () => undefined): Promise<BuildResult> {
  return buildChecked(await fixtureStatus(name, FIXTURES[name], baseImage), baseImage, progress);
}
