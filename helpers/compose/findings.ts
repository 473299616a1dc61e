import path from "node:path";
import type { ComposeModel } from "./model.ts";

export type Severity = "error" | "warning";

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  /** The exact change: which line to edit (or add, or which command to run) and to what. */
  fix: string;
}

export interface LintOptions {
  profile: "dev" | "prod";
  /** Host port the SvelteKit frontend publishes next to LibreChat (the guide: 3000). */
  frontendHostPort?: number;
  /** Which Compose will run the files; decides whether v2-only syntax is an error. Default: the one found. */
  composeCli?: "v1" | "v2" | "none";
}

export interface LintContext {
  model: ComposeModel;
  options: Required<Pick<LintOptions, "profile" | "frontendHostPort">> & { composeCli: "v1" | "v2" | "none" };
}

/** `file:line rule — message — fix`, with the file relative to `base` when it lies below it. */
export function formatFinding(f: Finding, base = process.cwd()): string {
  const rel = path.relative(base, f.file);
  const file = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : f.file;
  return `${file}:${f.line} ${f.rule} [${f.severity}] — ${f.message} — fix: ${f.fix}`;
}
