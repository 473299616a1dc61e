// Builds the fixture images (all, or those named on the command line), reusing every image
// whose inputs hash is unchanged. HARNESS_BASE_IMAGE selects the base (air-gapped in CI).
import { readConfig } from "../helpers/config.ts";
import { buildFixtures } from "../helpers/images/build-all.ts";
import { runMain } from "../helpers/run/main.ts";

await runMain(() => buildFixtures(process.argv.slice(2), readConfig().fixtureBaseImage, (line) => console.log(line)));
