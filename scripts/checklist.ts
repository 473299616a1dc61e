// `npm test`: the checklist against the configured stack. Bad input stops here with one
// sentence and a non-zero exit, before any container starts; then vitest runs the suites,
// and whatever happens to vitest (failure, Ctrl-C), this run's containers are removed.
import { readConfig } from "../helpers/config.ts";
import { runChecklist } from "../helpers/run/checklist-run.ts";
import { runMain } from "../helpers/run/main.ts";
import { preflight } from "../helpers/run/preflight.ts";

await runMain(async () => {
  const config = readConfig();
  await preflight(config);
  return runChecklist(config, {}, process.argv.slice(2));
});
