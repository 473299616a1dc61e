// `npm run gate`: the bump gate (helpers/gate/). Flags in, nothing more:
//   npm run gate -- [--baseline-image <image> | --baseline-dir <checkout>] [--candidate-image <image> | --candidate-dir <checkout>]
//                   [--checklist parallel|serial] [--skip-upgrade]
//   npm run gate -- --selftest-regression <v0.8.7 checkout>
import { parseArgs } from "node:util";
import { gateMain, type GateFlags } from "../helpers/gate/command.ts";

function flags(): GateFlags | Error {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        "baseline-image": { type: "string" },
        "baseline-dir": { type: "string" },
        "candidate-image": { type: "string" },
        "candidate-dir": { type: "string" },
        checklist: { type: "string" },
        "skip-upgrade": { type: "boolean" },
        "selftest-regression": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    return values;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

await gateMain(flags());
