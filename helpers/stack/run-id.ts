import { randomBytes } from "node:crypto";

/** Short, unique per run, and a valid prefix for container and network names. */
export function newRunId(): string {
  return `lch-${randomBytes(4).toString("hex")}`;
}
