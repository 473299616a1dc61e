import type { Expectation, GuideCheck, GuideContext } from "./checks.ts";
import { couldNotRun, sh, trimmed, type ShellOptions, type ShellResult } from "./shell.ts";

/** A command that shows why, recorded under the command it explains. */
export interface EvidenceRecord {
  command: string;
  exitCode: number;
  output: string;
}

/** One command of the run: what the guide writes, what ran, what it printed, and the verdict. */
export interface CommandRecord {
  id: string;
  /** Where the guide has it (a setup step of the harness's own says so). */
  where: string;
  /** As the guide writes it; absent for the harness's own steps. */
  guide: string | undefined;
  command: string;
  deviation: string | undefined;
  exitCode: number;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** False when the command could not run at all (then the test fails); `couldNotRun` says why. */
  ran: boolean;
  couldNotRun: string | undefined;
  expected: Expectation | undefined;
  /** Whether real LibreChat matches the guide; null when the guide states no expectation. */
  matches: boolean | null;
  finding: string;
  evidence: EvidenceRecord[];
}

function evidenceOf(result: ShellResult): EvidenceRecord {
  return { command: result.command, exitCode: result.exitCode, output: trimmed([result.stdout, result.stderr].filter((t) => t.trim() !== "").join("\n")) };
}

export function recordOf(result: ShellResult, fields: Partial<CommandRecord> & Pick<CommandRecord, "id" | "where">): CommandRecord {
  const why = fields.couldNotRun ?? couldNotRun(result);
  return {
    guide: undefined,
    deviation: undefined,
    expected: undefined,
    matches: null,
    finding: "",
    evidence: [],
    ...fields,
    command: result.command,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    stdout: trimmed(result.stdout),
    stderr: trimmed(result.stderr, 12, 1500),
    ran: why === undefined,
    couldNotRun: why,
  };
}

/** Runs one of the guide's checks, then its evidence, and judges what real LibreChat answered. */
export async function runCheck(check: GuideCheck, ctx: GuideContext, shell: ShellOptions): Promise<CommandRecord> {
  const result = await sh(check.command(ctx), shell);
  const evidence: ShellResult[] = [];
  for (const command of check.evidence?.(ctx) ?? []) evidence.push(await sh(command, shell));
  const why = couldNotRun(result);
  const judged = why === undefined && check.judge ? check.judge(result, evidence, ctx) : undefined;
  return recordOf(check.shown ? { ...result, stdout: check.shown(result.stdout) } : result, {
    id: check.id,
    where: check.where,
    guide: check.guide,
    deviation: check.deviation,
    expected: check.expected,
    matches: judged?.matches ?? null,
    finding: judged?.finding ?? (why ? `could not run: ${why}` : "the guide shows no output for it"),
    evidence: evidence.map(evidenceOf),
  });
}

/** A setup step: it ran when it exited 0 (or `accept` says its exit code is an answer). */
export async function runStep(
  id: string,
  where: string,
  command: string,
  shell: ShellOptions,
  extra: { guide?: string; deviation?: string; accept?: (r: ShellResult) => boolean; finding?: (r: ShellResult) => string } = {},
): Promise<CommandRecord> {
  const result = await sh(command, shell);
  const accepted = extra.accept ? extra.accept(result) : result.exitCode === 0;
  const why = couldNotRun(result) ?? (accepted ? undefined : `exit code ${result.exitCode}: ${result.stderr.trim().split("\n").slice(-3).join(" ") || result.stdout.trim()}`);
  return recordOf(result, { id, where, guide: extra.guide, deviation: extra.deviation, couldNotRun: why, finding: extra.finding?.(result) ?? "" });
}
