// `npm test`: the checklist against the configured stack. Bad input stops here with one
// sentence and a non-zero exit, before any container starts; then vitest runs the suites (its
// global setup takes over what was established here instead of doing it again), and whatever
// happens to vitest (failure, Ctrl-C), this run's containers are removed.
import { readConfig } from "../helpers/config.ts";
import { newRunId } from "../helpers/docker/labels.ts";
import { runChecklist } from "../helpers/run/checklist-run.ts";
import { harnessLog } from "../helpers/run/log.ts";
import { runMain } from "../helpers/run/main.ts";
import { prepareRun } from "../helpers/run/prepare-run.ts";

await runMain(async () => {
  const config = readConfig();
  const prepared = await prepareRun(config, config.runId ?? newRunId(), harnessLog);
  return runChecklist(config, {}, process.argv.slice(2), prepared);
});
