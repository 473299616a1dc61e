// `npm test`: the checklist against the configured stack. Bad input stops here with one
// sentence and a non-zero exit, before any container starts; then vitest runs the suites,
// and whatever happens to vitest (failure, Ctrl-C), this run's containers are removed.
import { ConfigError, readConfig } from "../helpers/config.ts";
import { errorText } from "../helpers/docker/client.ts";
import { preflight, runChecklist } from "../helpers/run/checklist-run.ts";

try {
  await preflight(readConfig());
  process.exitCode = await runChecklist({}, process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : errorText(error));
  process.exitCode = 1;
}
