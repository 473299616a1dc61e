// `npm run bench`: see helpers/bench/bench.ts.
import { readConfig } from "../helpers/config.ts";
import { runBench } from "../helpers/bench/bench.ts";
import { runMain } from "../helpers/run/main.ts";

await runMain(() => runBench(readConfig()));
