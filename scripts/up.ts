// `npm run up`: see helpers/run/up.ts. Static imports are loaded before this line runs, so the
// process's uptime here is what Node's start and the harness's TypeScript cost.
import { readConfig } from "../helpers/config.ts";
import { runMain } from "../helpers/run/main.ts";
import { up } from "../helpers/run/up.ts";

const loadedMs = process.uptime() * 1000;
await runMain(() => up(readConfig(), loadedMs));
