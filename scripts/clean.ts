// `npm run clean [run-id...] [--all]`: see helpers/run/clean.ts.
import { clean } from "../helpers/run/clean.ts";
import { runMain } from "../helpers/run/main.ts";

await runMain(() => clean(process.argv.slice(2), (line) => console.log(line)));
