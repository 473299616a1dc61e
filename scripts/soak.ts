// `npm run soak -- --runs N`: see helpers/soak/soak.ts. It soaks the configured stack (the image
// variables, LIBRECHAT_DIR, LIBRECHAT_OVERLAY ...), as `npm test` would run it.
import { parseArgs } from "node:util";
import { ConfigError, readConfig } from "../helpers/config.ts";
import { runMain } from "../helpers/run/main.ts";
import { preflight } from "../helpers/run/preflight.ts";
import { runSoak } from "../helpers/soak/soak.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
await runMain(async () => {
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new ConfigError(`--runs ${values.runs} is not a positive whole number; e.g. npm run soak -- --runs 3.`);
  const config = readConfig();
  const { catalog } = await preflight(config);
  return runSoak(config, process.env, runs, catalog.librechat.ref);
});
