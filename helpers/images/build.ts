import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build as esbuild } from "esbuild";
import { REPO_ROOT } from "../config.ts";
import { docker, errorText } from "../docker/client.ts";
import { BASE_IMAGE_LABEL, FIXTURES, type FixtureDefinition, type FixtureName } from "./fixtures.ts";

const ESM_REQUIRE_SHIM =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

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

async function prepareContext(def: FixtureDefinition): Promise<void> {
  const prep = def.prep;
  if (prep.kind === "bundle" || prep.kind === "bundle-and-copy-binary") await bundleMain(def);
  if (prep.kind === "copy-binary" || prep.kind === "bundle-and-copy-binary") copyBinary(def, prep.from, prep.to);
}

/** Bundles `src/main.ts` into `dist/main.mjs` with esbuild. */
async function bundleMain(def: FixtureDefinition): Promise<void> {
  const outfile = path.join(def.dir, "dist", "main.mjs");
  const result = await esbuild({
    entryPoints: [path.join(def.dir, "src", "main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    outfile,
    banner: { js: ESM_REQUIRE_SHIM },
    logLevel: "error",
    write: false,
  });
  // Runs started side by side prepare the same context: write only a changed bundle, and
  // atomically, so that no run hashes a half-written file.
  const bundle = Buffer.from(result.outputFiles[0]!.contents);
  if (!existsSync(outfile) || !readFileSync(outfile).equals(bundle)) writeAtomically(outfile, bundle);
}

/** Copies a binary shipped inside an npm package into `dist/`. */
function copyBinary(def: FixtureDefinition, from: string, to: string): void {
  const source = path.join(REPO_ROOT, "node_modules", from);
  try {
    statSync(source);
  } catch {
    throw new ImageBuildError(`${from} is not installed (it ships only for linux x64 with glibc); run npm ci on such a host.`);
  }
  const target = path.join(def.dir, "dist", to);
  const binary = readFileSync(source);
  if (!existsSync(target) || !readFileSync(target).equals(binary)) writeAtomically(target, binary, 0o755);
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
  fixture: FixtureName;
  tag: string;
  built: boolean;
  hash: string;
  durationMs: number;
}

/** Builds one fixture image unless an image with the same inputs hash already exists. */
export async function buildFixture(
  name: FixtureName,
  baseImage: string | undefined,
  progress: (line: string) => void = () => undefined,
): Promise<BuildResult> {
  const started = Date.now();
  const def = FIXTURES[name];
  await prepareContext(def);
  const files = contextFiles(def.dir);
  const hash = inputsHash(def, files, await baseImageIdentity(baseImage));
  if ((await imageLabel(def.tag, BASE_IMAGE_LABEL)) === hash) {
    return { fixture: name, tag: def.tag, built: false, hash, durationMs: Date.now() - started };
  }
  progress(`building ${def.tag} (its inputs changed or it does not exist yet)`);
  const previousId = await docker()
    .getImage(def.tag)
    .inspect()
    .then((info) => info.Id)
    .catch(() => undefined);
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
    throw new ImageBuildError(
      `Building ${def.tag} from ${path.relative(REPO_ROOT, def.dir)}/Dockerfile failed: ${errorText(error)}\n${tail}`,
    );
  }
  // The image the tag pointed at is now untagged: remove it unless a container still uses it.
  const currentId = await docker()
    .getImage(def.tag)
    .inspect()
    .then((info) => info.Id)
    .catch(() => undefined);
  if (previousId && previousId !== currentId) await docker().getImage(previousId).remove().catch(() => undefined);
  return { fixture: name, tag: def.tag, built: true, hash, durationMs: Date.now() - started };
}
