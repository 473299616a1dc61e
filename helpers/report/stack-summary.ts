import type { StackDescriptor } from "../stack/descriptor.ts";
import { standinRoles } from "../images/catalog.ts";

/** What the global setup tells the reporter about the stack (no secrets). */
export interface StackSummary {
  runId: string;
  profile: string;
  startedAt: string;
  librechatImage: string;
  librechatVersion: string;
  standins: string[];
  settings: { name: string; outcome: string; value: string; reason: string }[];
}

export const STACK_SUMMARY_FILE = "stack.json";

export function summarize(stack: StackDescriptor): StackSummary {
  return {
    runId: stack.runId,
    profile: stack.profile,
    startedAt: stack.startedAt,
    librechatImage: stack.images.librechat.ref,
    librechatVersion: stack.librechat.version,
    standins: standinRoles(stack.images),
    settings: stack.librechat.settings.map((s) => ({ name: s.name, outcome: s.outcome, value: s.shownValue, reason: s.reason })),
  };
}
