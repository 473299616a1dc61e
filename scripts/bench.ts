// `npm run bench [-- --pairs N] [--skip-checklist] [--strict]`: see helpers/bench/bench.ts.
// `--profile-up` (the bench runs it in fresh processes) times each step of `npm run up` before
// its first container and prints them as one JSON line.
import { parseArgs } from "node:util";
import { ConfigError, readConfig } from "../helpers/config.ts";
import { runBench } from "../helpers/bench/bench.ts";
import { profileUp } from "../helpers/bench/up-profile.ts";
import { runMain } from "../helpers/run/main.ts";

const loadedMs = process.uptime() * 1000;
const { values } = parseArgs({
  options: { pairs: { type: "string", default: "5" }, "skip-checklist": { type: "boolean", default: false }, strict: { type: "boolean", default: false }, "profile-up": { type: "boolean", default: false } },
});
await runMain(async () => {
  const config = readConfig();
  if (values["profile-up"]) return void process.stdout.write(`${JSON.stringify(await profileUp(config, loadedMs))}\n`);
  const pairs = Number(values.pairs);
  if (!Number.isInteger(pairs) || pairs < 1) throw new ConfigError(`--pairs ${values.pairs} is not a positive whole number; e.g. npm run bench -- --pairs 5.`);
  return runBench(config, { pairs, skipChecklist: values["skip-checklist"], strict: values.strict });
});
