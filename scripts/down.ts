// `npm run down -- <run-id> [run-id...]`: removes the runs `npm run up` left up, as
// `npm run clean -- <run-id>` does (helpers/run/up.ts). It imports clean.ts only, so it does not
// pay for loading the stack library.
import { ConfigError } from "../helpers/config.ts";
import { clean } from "../helpers/run/clean.ts";
import { runMain } from "../helpers/run/main.ts";

await runMain(async () => {
  const runIds = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  if (runIds.length === 0) throw new ConfigError("npm run down needs the run id(s) `npm run up` printed: npm run down -- <run-id> [run-id...].");
  await clean(runIds, (line) => console.log(line));
});
