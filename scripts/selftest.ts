// `npm run selftest`: see helpers/selftest/selftest.ts.
import { runMain } from "../helpers/run/main.ts";
import { runSelftest } from "../helpers/selftest/selftest.ts";

await runMain(runSelftest);
