import { docker, errorText } from "../docker/client.ts";
import { buildFixture } from "./build.ts";
import type { ImageCatalog, ImageChoice } from "./catalog.ts";
import { FIXTURES } from "./fixtures.ts";

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

/**
 * Makes every image of the catalog available: builds the project's fixtures when their inputs
 * changed, pulls the others when missing. All missing images are reported together, with
 * what to do, before any container starts.
 */
export async function ensureImages(
  catalog: ImageCatalog,
  extraFixtures: (keyof typeof FIXTURES)[],
  baseImage: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  const choices = Object.values(catalog) as ImageChoice[];
  const fixtureNames = new Set([...extraFixtures, ...choices.flatMap((c) => (c.fixture ? [c.fixture] : []))]);
  for (const name of fixtureNames) {
    const result = await buildFixture(name, baseImage, log);
    if (result.built) log(`built ${result.tag} in ${(result.durationMs / 1000).toFixed(1)} s`);
  }
  const external = choices.filter((c) => !c.fixture);
  const problems = await Promise.all(
    external.map(async (choice): Promise<string | undefined> => {
      if (await existsLocally(choice.ref)) return undefined;
      try {
        log(`pulling ${choice.ref} (${choice.role})`);
        await pull(choice.ref, 60_000);
        return undefined;
      } catch (error) {
        return `${choice.role}: ${choice.ref} (from ${choice.origin}) is not on this host and cannot be pulled: ${errorText(error).split("\n")[0]}`;
      }
    }),
  );
  const missing = problems.filter((p): p is string => p !== undefined);
  if (missing.length > 0) {
    throw new ImageUnavailableError(
      `Cannot get the images this run needs:\n  ${missing.join("\n  ")}\n` +
        "Give this host registry access (or `docker load` the images), point the image variables at images it has, " +
        "or, on an air-gapped host, run `npm run selftest`, which uses the project's stand-ins.",
    );
  }
}
