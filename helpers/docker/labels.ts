import { randomBytes } from "node:crypto";
import os from "node:os";

/** Label keys every resource of a run carries, so that cleanup never depends on Ryuk. */
export const LABELS = {
  harness: "io.librechat-harness",
  runId: "io.librechat-harness.run-id",
  pid: "io.librechat-harness.pid",
  host: "io.librechat-harness.hostname",
  role: "io.librechat-harness.role",
  configHash: "io.librechat-harness.config-hash",
} as const;

/** Who owns a run's resources: the sweeper removes a run only once this process is gone from this host. */
export interface RunOwner {
  runId: string;
  /** The process that removes the run at its end (not a short-lived worker of it). */
  pid: number;
}

/** The one place labels are built: every container, network and volume of a run carries these. */
export function runLabels(owner: RunOwner, role: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    [LABELS.harness]: "true",
    [LABELS.runId]: owner.runId,
    [LABELS.pid]: String(owner.pid),
    [LABELS.host]: os.hostname(),
    [LABELS.role]: role,
    ...extra,
  };
}

/** The Engine API filter for one run's resources. */
export function runFilter(runId: string): { label: string[] } {
  return { label: [`${LABELS.runId}=${runId}`] };
}

/** Short, unique per run, and a valid prefix for container and network names. */
export function newRunId(): string {
  return `lch-${randomBytes(4).toString("hex")}`;
}
