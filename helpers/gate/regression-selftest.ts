// `npm run gate -- --selftest-regression <v0.8.7 checkout>`: the gate must fail, and name the
// item, when the candidate breaks registration. The candidate is a copy of the checkout with one
// line added to its .env: ALLOW_REGISTRATION=false. The copy is built like any candidate; its
// build reuses the original's image, honestly, because LibreChat's own .dockerignore keeps every
// hidden file (`.*`) out of the build context, so the image's inputs are unchanged, while the
// harness reads the .env as Compose does (the `.env` bound at /app/.env, and interpolation).
// A line in the copy's docker-compose.yml would break registration the same way, but that file
// is inside the build context (it lands in /app): its inputs hash changes and the copy costs a
// full build (5-10 minutes here); a line of LibreChat's source would too.
import { spawn } from "node:child_process";
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";
import { inputsHash, listInputs } from "../images/librechat-context.ts";
import { onAbort } from "../run/abort.ts";
import type { GateReport } from "./gate-report.ts";
import type { Log } from "./prepare.ts";
import { checkoutDirOf } from "./sides.ts";

export const INJECTED_LINE = "ALLOW_REGISTRATION=false";
export const EXPECTED_REGRESSION = "registration-creates-user";
const GUIDE_DOTENV = path.join(REPO_ROOT, "fixtures", "librechat-default", ".env");
const SKIPPED = new Set(["node_modules", ".git"]);

/** A copy of the checkout with the one-line patch; resolves with its directory (under `root`). */
export function patchedCopy(checkout: string, root: string): string {
  const copy = path.join(root, path.basename(checkout));
  cpSync(checkout, copy, { recursive: true, filter: (source) => !SKIPPED.has(path.basename(source)) });
  if (!existsSync(path.join(copy, ".env"))) copyFileSync(GUIDE_DOTENV, path.join(copy, ".env"));
  const text = readFileSync(path.join(copy, ".env"), "utf8");
  appendFileSync(path.join(copy, ".env"), `${text.endsWith("\n") || text === "" ? "" : "\n"}${INJECTED_LINE}\n`);
  return copy;
}

/** Whether the copy's air-gapped build inputs equal the original's (then its build is a reuse). */
export function sameBuildInputs(a: string, b: string): boolean {
  return inputsHash(a, listInputs(a), {}) === inputsHash(b, listInputs(b), {});
}

function runGateChild(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, ["scripts/harness.mjs", "gate", ...args], { cwd: REPO_ROOT, env, stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}

/** What the selftest requires of the gate's report: the regression named, for the true cause. */
export function judgeSelftest(code: number, report: GateReport | undefined): { ok: boolean; why: string } {
  if (code === 0) return { ok: false, why: "the gate passed although the candidate cannot register users" };
  if (!report) return { ok: false, why: `the gate exited ${code} without writing gate.json` };
  const named = report.regressions.find((r) => r.kind === "checklist" && r.id === EXPECTED_REGRESSION);
  if (!named) return { ok: false, why: `the gate failed (exit ${code}) but does not name ${EXPECTED_REGRESSION} among its regressions (${report.regressions.map((r) => r.id).join(", ") || "none"})` };
  if (!/Registration is not allowed/.test(named.candidate)) return { ok: false, why: `${EXPECTED_REGRESSION} is named, but its diagnosis lacks LibreChat's "Registration is not allowed." (the true cause)` };
  return { ok: true, why: `the gate exited ${code} and names ${EXPECTED_REGRESSION} (LibreChat: "Registration is not allowed.") among ${report.regressions.length} regression(s): ${report.regressions.map((r) => r.id).join(", ")}` };
}

/** Exit 0 only when the gate exits non-zero and its report names registration-creates-user as a regression. */
export async function regressionSelftest(checkout: string, passThrough: string[], env: NodeJS.ProcessEnv, log: Log): Promise<number> {
  const original = checkoutDirOf("--selftest-regression", checkout);
  const root = mkdtempSync(path.join(os.tmpdir(), "lch-gate-selftest-"));
  const unregister = onAbort(`the patched copy ${root}`, async () => rmSync(root, { recursive: true, force: true }), log);
  try {
    const copy = patchedCopy(original, root);
    log(`selftest: ${copy} is ${original} with one line added to its .env: ${INJECTED_LINE}`);
    log(`selftest: the copy's build inputs ${sameBuildInputs(original, copy) ? "equal the original's (.env is outside LibreChat's build context), so its build reuses the image" : "differ from the original's, so it is built again"}`);
    const reportRoot = path.join(env.HARNESS_REPORT_DIR?.trim() || path.join(REPO_ROOT, "reports"), "gate-selftest");
    const code = await runGateChild(["--baseline-dir", original, "--candidate-dir", copy, ...passThrough], { ...env, HARNESS_REPORT_DIR: reportRoot });
    const file = path.join(reportRoot, "gate", "gate.json");
    const report = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as GateReport) : undefined;
    const verdict = judgeSelftest(code, report);
    log(`selftest ${verdict.ok ? "PASSED" : "FAILED"}: ${verdict.why} (report: ${file})`);
    return verdict.ok ? 0 : 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
    unregister();
  }
}
