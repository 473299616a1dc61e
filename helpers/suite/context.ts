import { inject, type TestContext } from "vitest";
import { execIn, type ExecResult } from "../docker/exec.ts";
import type { ServiceDescriptor, ServiceRole, StackDescriptor } from "../stack/descriptor.ts";
import { lastLogLines } from "../docker/diagnostics.ts";
import "../report/provided.ts";
import type { RunInfo } from "../report/provided.ts";

/** The stack the global setup started for this run. */
export function stack(): StackDescriptor {
  return inject("stack");
}

/** What the global setup says about the run itself: its report folder, profile and compose input. */
export function runInfo(): RunInfo {
  return inject("run");
}

/**
 * The service a check needs. When the stack did not come up, every check but
 * librechat-starts is blocked, and says by what, instead of failing for a second reason.
 */
export function service(ctx: TestContext, role: ServiceRole): ServiceDescriptor {
  const current = stack();
  const found = current.services[role];
  if (found) return found;
  if (current.startFailure) {
    ctx.skip(`blocked: the stack did not start (${current.startFailure.role} failed; see librechat-starts)`);
  }
  throw new Error(`the ${role} container is not part of this run`);
}

export function blockedByStartFailure(ctx: TestContext): void {
  const failure = stack().startFailure;
  if (failure) ctx.skip(`blocked: the stack did not start (${failure.role} failed; see librechat-starts)`);
}

/** Records what a passing check saw; it appears in the report next to the item. */
export async function evidence(ctx: TestContext, text: string): Promise<void> {
  await ctx.annotate(text, "evidence");
}

export async function execService(role: ServiceRole, cmd: string[], timeoutMs = 30_000): Promise<ExecResult> {
  const target = stack().services[role];
  if (!target) throw new Error(`the ${role} container is not running in this run`);
  return execIn(target.containerId, cmd, { timeoutMs });
}

export interface Diagnosis {
  /** One sentence: what is wrong. */
  problem: string;
  expected: string;
  seen: string;
  fix: string;
  /** The container whose logs explain it. */
  role?: ServiceRole;
  logLines?: number;
}

/** A failing check's message: cause, expectation, observation, fix, and the container's last log lines. */
export async function diagnosis(d: Diagnosis): Promise<Error> {
  const lines = [d.problem, `expected: ${d.expected}`, `seen: ${d.seen}`, `fix: ${d.fix}`];
  const target = d.role ? stack().services[d.role] : undefined;
  if (target) {
    lines.push(`container ${target.containerName} (${target.image}), last ${d.logLines ?? 20} log lines:`);
    lines.push(indent(await lastLogLines(target.containerId, d.logLines ?? 20)));
  }
  return new Error(lines.join("\n"));
}

export async function fail(d: Diagnosis): Promise<never> {
  throw await diagnosis(d);
}

export function indent(text: string, prefix = "  "): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
