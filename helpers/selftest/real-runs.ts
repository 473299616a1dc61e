// The checklist on real LibreChat, as CI runs it: each version built from its checkout, with the
// MongoDB and MeiliSearch stand-ins, on the guide's overlay as written and on the corrected
// configuration; each run's verdicts judged against what real LibreChat really does.
import path from "node:path";
import { CORRECTED_ENV, CORRECTED_OVERLAY, DEFAULT_OVERLAY, type HarnessConfig } from "../config.ts";
import { STANDIN_IMAGES } from "../images/catalog.ts";
import { runChecklist } from "../run/checklist-run.ts";
import { ALL_PASS, GUIDE_OVERLAY_EXPECTATIONS, V081_REAL_EXPECTATIONS, type Expectation } from "./expectations.ts";
import type { RealLibreChat } from "./real-sources.ts";

export interface RealRun {
  /** The reports folder's name under the report dir, e.g. real-v0.8.7-guide. */
  name: string;
  label: string;
  librechat: RealLibreChat;
  env: NodeJS.ProcessEnv;
  reportDir: string;
  expectations: Expectation[];
}

/** The environment of one real-LibreChat run: its checkout, built by the harness (LIBRECHAT_BUILD), beside the stand-ins. */
export function realEnv(base: NodeJS.ProcessEnv, librechat: RealLibreChat, overlay: string, reportDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    LIBRECHAT_DIR: librechat.checkoutDir,
    LIBRECHAT_BUILD: "1",
    MONGO_IMAGE: STANDIN_IMAGES.mongodb,
    MEILI_IMAGE: STANDIN_IMAGES.meilisearch,
    LIBRECHAT_OVERLAY: overlay,
    HARNESS_REPORT_DIR: reportDir,
    ...extra,
  };
  delete env.LIBRECHAT_IMAGE;
  return env;
}

/** issue 11's table: v0.8.7 on the guide's overlay and corrected, every other version corrected. */
export function realRuns(base: NodeJS.ProcessEnv, reals: RealLibreChat[], reportRoot: string): RealRun[] {
  const runs: RealRun[] = [];
  for (const librechat of reals) {
    const corrected = path.join(reportRoot, `real-${librechat.version}`);
    if (librechat.version === "v0.8.7") {
      const guide = path.join(reportRoot, `real-${librechat.version}-guide`);
      runs.push({ name: `real-${librechat.version}-guide`, label: `real ${librechat.version}, the guide's overlay as written`, librechat, env: realEnv(base, librechat, DEFAULT_OVERLAY, guide), reportDir: guide, expectations: GUIDE_OVERLAY_EXPECTATIONS });
    }
    const expectations = librechat.version === "v0.8.1" ? V081_REAL_EXPECTATIONS : ALL_PASS;
    runs.push({ name: `real-${librechat.version}`, label: `real ${librechat.version}, the corrected configuration`, librechat, env: realEnv(base, librechat, CORRECTED_OVERLAY, corrected, CORRECTED_ENV), reportDir: corrected, expectations });
  }
  return runs;
}

export function runReal(config: HarnessConfig, run: RealRun): Promise<number> {
  return runChecklist(config, run.env, []);
}
