import { ConfigError } from "../config.ts";
import { assertDockerReachable } from "../docker/client.ts";
import { buildFixture } from "./build.ts";
import { FIXTURES, type FixtureName } from "./fixtures.ts";

/** `npm run images:build [name...]`: the named fixture images (all by default), each rebuilt only when its inputs changed. */
export async function buildFixtures(names: string[], baseImage: string | undefined, log: (line: string) => void): Promise<void> {
  const unknown = names.filter((name) => !(name in FIXTURES));
  if (unknown.length > 0) throw new ConfigError(`Unknown fixture(s): ${unknown.join(", ")}; known: ${Object.keys(FIXTURES).join(", ")}.`);
  await assertDockerReachable();
  for (const name of (names.length > 0 ? names : Object.keys(FIXTURES)) as FixtureName[]) {
    const result = await buildFixture(name, baseImage, log);
    log(`${result.built ? "built " : "reused"} ${result.tag} (${result.hash}) in ${(result.durationMs / 1000).toFixed(1)} s`);
  }
}
