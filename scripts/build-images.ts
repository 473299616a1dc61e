// Builds the fixture images (all, or those named on the command line), reusing every image
// whose inputs hash is unchanged. HARNESS_BASE_IMAGE selects the base (air-gapped in CI).
import { ConfigError, readConfig } from "../helpers/config.ts";
import { assertDockerReachable, errorText } from "../helpers/docker/client.ts";
import { buildFixture } from "../helpers/images/build.ts";
import { FIXTURES, type FixtureName } from "../helpers/images/fixtures.ts";

const names = process.argv.slice(2) as FixtureName[];
const unknown = names.filter((name) => !(name in FIXTURES));
if (unknown.length > 0) {
  console.error(`Unknown fixture(s): ${unknown.join(", ")}; known: ${Object.keys(FIXTURES).join(", ")}.`);
  process.exit(2);
}
try {
  const config = readConfig();
  await assertDockerReachable();
  for (const name of names.length > 0 ? names : (Object.keys(FIXTURES) as FixtureName[])) {
    const result = await buildFixture(name, config.fixtureBaseImage, (line) => console.log(line));
    console.log(`${result.built ? "built " : "reused"} ${result.tag} (${result.hash}) in ${(result.durationMs / 1000).toFixed(1)} s`);
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : errorText(error));
  process.exit(1);
}
