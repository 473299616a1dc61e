// The `gate` command behind scripts/gate.ts: its parsed flags to GateOptions, bad input as one
// sentence (exit 2), then the gate or its regression self-test.
import { ConfigError } from "../config.ts";
import { GateInterrupted } from "./checklist-runs.ts";
import { runMain } from "../run/main.ts";
import { DEFAULT_CHECKLIST_MODE, gateLog, runGate, type GateOptions } from "./gate.ts";
import { regressionSelftest } from "./regression-selftest.ts";
import { GateInputError } from "./sides.ts";

export const GATE_USAGE =
  "usage: npm run gate -- [--baseline-image <image> | --baseline-dir <checkout>] [--candidate-image <image> | --candidate-dir <checkout>] " +
  "[--checklist parallel|serial] [--skip-upgrade] | --selftest-regression <v0.8.7 checkout> [--checklist ...] [--skip-upgrade]";

export interface GateFlags {
  "baseline-image"?: string;
  "baseline-dir"?: string;
  "candidate-image"?: string;
  "candidate-dir"?: string;
  checklist?: string;
  "skip-upgrade"?: boolean;
  "selftest-regression"?: string;
  help?: boolean;
}

export function optionsOf(flags: GateFlags): GateOptions {
  const mode = flags.checklist ?? DEFAULT_CHECKLIST_MODE;
  if (mode !== "parallel" && mode !== "serial") throw new GateInputError(`--checklist ${mode} is not known; use --checklist parallel or --checklist serial.`);
  return {
    baseline: { image: flags["baseline-image"], dir: flags["baseline-dir"] },
    candidate: { image: flags["candidate-image"], dir: flags["candidate-dir"] },
    checklistMode: mode,
    upgrade: !flags["skip-upgrade"],
  };
}

async function gate(flags: GateFlags): Promise<number> {
  if (flags.help) {
    console.log(GATE_USAGE);
    return 0;
  }
  const options = optionsOf(flags);
  const selftest = flags["selftest-regression"];
  if (selftest === undefined) return runGate(options);
  const sides = ["baseline-image", "baseline-dir", "candidate-image", "candidate-dir"] as const;
  const given = sides.filter((flag) => flags[flag] !== undefined);
  if (given.length > 0) throw new GateInputError(`--selftest-regression chooses both sides itself (the checkout and its patched copy); drop ${given.map((f) => `--${f}`).join(" and ")}.`);
  const passThrough = [...(flags.checklist ? ["--checklist", options.checklistMode] : []), ...(options.upgrade ? [] : ["--skip-upgrade"])];
  return regressionSelftest(selftest, passThrough, process.env, gateLog);
}

/** Runs the command: bad input is one sentence and exit 2; a regression is exit 1. */
export async function gateMain(flags: GateFlags | Error): Promise<void> {
  await runMain(async () => {
    if (flags instanceof Error) {
      console.error(`${flags.message.replace(/\.?$/, ".")} ${GATE_USAGE}`);
      return 2;
    }
    try {
      return await gate(flags);
    } catch (error) {
      if (error instanceof GateInterrupted) {
        console.error(`[gate] ${error.message}`);
        return 130;
      }
      if (!(error instanceof ConfigError)) throw error;
      console.error(error.message);
      return 2;
    }
  });
}
