import type { Profile } from "../config.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";

/** What the global setup tells the suites and the reporter about the run, besides the stack. */
export interface RunInfo {
  reportDir: string;
  profile: Profile;
  /** The compose input the stack was built from, for compose-lint (it reads files only). */
  compose: { librechatDir: string; overlay: string };
  /** GitHub's job summary file, when the run has one. */
  jobSummaryFile: string | undefined;
  /** HARNESS_TIME_SCALE: the factor on every check's deadline and every probe's own timeout. */
  timeScale: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackDescriptor;
    run: RunInfo;
  }
}
