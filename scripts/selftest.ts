// `npm run selftest [-- --real <folder of librechat-<version>.tar.gz> [--saturated]]`: see helpers/selftest/selftest.ts.
import { parseArgs } from "node:util";
import { runMain } from "../helpers/run/main.ts";
import { runSelftest } from "../helpers/selftest/selftest.ts";

const { values } = parseArgs({ options: { real: { type: "string" }, saturated: { type: "boolean", default: false } } });
await runMain(() => runSelftest({ realSources: values.real, saturated: values.saturated ?? false }));
