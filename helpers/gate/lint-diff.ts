// compose-lint on both sides' compose input (files only), compared by rule and service: a
// finding new in the candidate is a regression, one gone is an improvement.
import path from "node:path";
import { loadCompose } from "../compose/load.ts";
import { formatFinding, lintCompose, type Finding } from "../compose/lint.ts";
import type { ComposeModel } from "../compose/model.ts";
import { pathKey, type ComposeSource } from "../compose/source.ts";
import { REPO_ROOT, type Profile } from "../config.ts";
import type { FindingRef, LintDiff } from "./types.ts";

/** The greatest line ≤ `line` among the keys of `prefix`'s children in `source`, and its key. */
function enclosingKey(source: ComposeSource, prefix: string[], line: number): string | undefined {
  let best: { key: string; line: number } | undefined;
  const head = prefix.length > 0 ? `${pathKey(prefix)}\u0000` : "";
  for (const [key, at] of source.lines) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    if (rest.includes("\u0000") || at > line) continue;
    if (!best || at > best.line) best = { key: rest, line: at };
  }
  return best?.key;
}

/** The service a finding is about: where its line sits in its file, else the service its message names. */
export function serviceOf(finding: Pick<Finding, "file" | "line" | "message">, sources: readonly ComposeSource[]): string {
  const source = sources.find((s) => s.file === finding.file);
  if (source) {
    const top = enclosingKey(source, [], finding.line);
    if (top === "services") return enclosingKey(source, ["services"], finding.line) ?? "(services)";
    if (top) return `(${top})`;
  }
  const named = /services? "([^"]+)"|for "([^"]+)"/.exec(finding.message);
  return named?.[1] ?? named?.[2] ?? (path.basename(finding.file) === ".env" ? "(.env)" : "(file)");
}

export function findingRefs(model: ComposeModel, findings: Finding[], base: string): FindingRef[] {
  return findings.map((f) => ({ rule: f.rule, service: serviceOf(f, model.sources), severity: f.severity, message: f.message, fix: f.fix, where: formatFinding(f, base).split(" ")[0] ?? "" }));
}

const keyOf = (f: FindingRef): string => `${f.rule}\u0000${f.service}`;

/** Findings of `from` whose rule and service `against` lacks (counted: two of a kind need two). */
function missingFrom(from: FindingRef[], against: FindingRef[]): FindingRef[] {
  const left = new Map<string, number>();
  for (const f of against) left.set(keyOf(f), (left.get(keyOf(f)) ?? 0) + 1);
  const out: FindingRef[] = [];
  for (const f of from) {
    const n = left.get(keyOf(f)) ?? 0;
    if (n > 0) left.set(keyOf(f), n - 1);
    else out.push(f);
  }
  return out;
}

export function diffFindings(baseline: FindingRef[], candidate: FindingRef[]): LintDiff {
  return { baseline, candidate, added: missingFrom(candidate, baseline), removed: missingFrom(baseline, candidate), error: undefined };
}

/** compose-lint on one compose input, as the checklist's compose-lint item runs it. */
export async function lintInput(librechatDir: string, overlay: string, env: NodeJS.ProcessEnv, profile: Profile): Promise<FindingRef[]> {
  const model = await loadCompose({ librechatDir, overlay, env });
  return findingRefs(model, lintCompose(model, { profile }), REPO_ROOT);
}
