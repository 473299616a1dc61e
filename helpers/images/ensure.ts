import { readFileSync } from "node:fs";
import path from "node:path";
import { docker, errorText } from "../docker/client.ts";
import { buildChecked, fixtureStatus } from "./build.ts";
import type { ImageCatalog, ImageChoice } from "./catalog.ts";
import { FIXTURES, type FixtureName } from "./fixtures.ts";

export class ImageUnavailableError extends Error {
  override name = "ImageUnavailableError";
}

async function existsLocally(ref: string): Promise<boolean> {
  try {
    await docker().getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

async function pull(ref: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stream = await Promise.race([
    docker().pull(ref),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the registry within ${timeoutMs / 1000} s`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  await new Promise<void>((resolve, reject) => {
    docker().modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** The public base a fixture's Dockerfile builds FROM when no HARNESS_BASE_IMAGE is given. */
export function publicBase(name: FixtureName): string | undefined {
  const dockerfile = readFileSync(path.join(FIXTURES[name].dir, "Dockerfile"), "utf8");
  return /^ARG BASE_IMAGE=(\S+)/m.exec(dockerfile)?.[1];
}

/** One image this run needs and cannot get, said as a person can act on it; undefined when it is there. */
async function unavailable(ref: string, neededFor: string, log: (line: string) => void): Promise<string | undefined> {
  if (await existsLocally(ref)) return undefined;
  try {
    log(`pulling ${ref} (${neededFor})`);
    await pull(ref, 60_000);
    return undefined;
  } catch (error) {
    return `${ref} (${neededFor}) is not on this host and cannot be pulled: ${errorText(error).split("\n")[0]}`;
  }
}

/**
 * Makes every image of the catalog available before any container starts: the images to pull,
 * and the bases of the project's fixtures to build (their public bases unless `baseImage` is
 * given). Everything missing is reported together, in one message that says what to do; then
 * the fixtures are built where their inputs changed.
 */
export async function ensureImages(catalog: ImageCatalog, extraFixtures: FixtureName[], baseImage: string | undefined, log: (line: string) => void): Promise<void> {
  const choices = Object.values(catalog) as ImageChoice[];
  const fixtureNames = [...new Set([...extraFixtures, ...choices.flatMap((c) => (c.fixture ? [c.fixture] : []))])];
  const needed = choices.filter((c) => !c.fixture).map((c) => ({ ref: c.ref, neededFor: `${c.role}, from ${c.origin}` }));
  if (!baseImage) {
    for (const name of fixtureNames) {
      const base = publicBase(name);
      if (base && !needed.some((n) => n.ref === base)) needed.push({ ref: base, neededFor: `the base the ${name} fixture is built from` });
    }
  }
  const missing = (await Promise.all(needed.map((n) => unavailable(n.ref, n.neededFor, log)))).filter((p): p is string => p !== undefined);
  if (missing.length > 0) {
    throw new ImageUnavailableError(
      `Cannot get the images this run needs:\n  ${missing.join("\n  ")}\n` +
        "Give this host registry access (or `docker load` the images), point the image variables at images it has, " +
        "or, on a host without a registry, run `npm run selftest`, which builds the project's air-gapped stand-ins (and the base they need).",
    );
  }
  // Checked side by side (from the fixture cache, a few ms each when nothing changed); the
  // builds, rare, one after the other.
  const statuses = await Promise.all(fixtureNames.map((name) => fixtureStatus(name, FIXTURES[name], baseImage)));
  for (const status of statuses) {
    const result = await buildChecked(status, baseImage, log);
    if (result.built) log(`built ${result.tag} in ${(result.durationMs / 1000).toFixed(1)} s`);
  }
}
