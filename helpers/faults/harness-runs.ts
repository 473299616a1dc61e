import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { CORRECTED_OVERLAY as BASELINE_OVERLAY, REPO_ROOT } from "../config.ts";
import type { ChecklistReport } from "../report/report.ts";
import { trackChild } from "../run/abort.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import type { FaultDefinition, OverlayDoc } from "./catalog.ts";

/** The overlay file a fault runs with: the baseline, changed as the fault says. */
export function writeOverlay(definition: FaultDefinition, dir: string): string {
  if (definition.overlayFile) return path.join(REPO_ROOT, definition.overlayFile);
  if (!definition.overlay) return BASELINE_OVERLAY;
  const doc = parse(readFileSync(BASELINE_OVERLAY, "utf8")) as OverlayDoc;
  definition.overlay(doc);
  const file = path.join(dir, "overlay.yaml");
  writeFileSync(file, `# ${definition.fault}\n${stringify(doc)}`);
  return file;
}

/** Runs one `npm test` (through the harness's own entry point) with `env`, keeping its output in a log file. */
export function runHarness(env: NodeJS.ProcessEnv, logFile: string, args: string[] = []): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/harness.mjs", "checklist", ...args], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    trackChild(child);
    const log = createWriteStream(logFile);
    const chunks: string[] = [];
    const keep = (chunk: Buffer): void => {
      log.write(chunk);
      chunks.push(chunk.toString("utf8"));
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("exit", (code) => {
      log.end();
      resolve({ code: code ?? 1, output: chunks.join("") });
    });
  });
}

/** Runs the suites against a stack this process owns (HARNESS_STACK_FILE), with its own report dir. */
export async function runAgainstStack(stack: StackDescriptor, dir: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  // The descriptor carries the run's secrets: it stays out of reports/, readable by this user only.
  const secretDir = mkdtempSync(path.join(os.tmpdir(), "lch-stack-"));
  const file = path.join(secretDir, "stack.json");
  writeFileSync(file, JSON.stringify(stack), { mode: 0o600 });
  try {
    return await runHarness({ ...env, HARNESS_STACK_FILE: file, HARNESS_REPORT_DIR: dir }, path.join(dir, "vitest.log"));
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

export function readReport(dir: string): ChecklistReport | undefined {
  const file = path.join(dir, "checklist.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ChecklistReport) : undefined;
}

export function freshDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
