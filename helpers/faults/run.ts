import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../config.ts";
import { docker, errorText, LABELS } from "../docker/client.ts";
import { execIn } from "../docker/exec.ts";
import type { ChecklistReport } from "../report/report.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import type { StartedLibreChatStack } from "../stack/librechat-stack.ts";
import { stubUrl } from "../stack/stack.ts";
import type { FaultDefinition, OverlayDoc } from "./catalog.ts";

export const BASELINE_OVERLAY = path.join(REPO_ROOT, "fixtures", "faults", "baseline.yaml");

export interface FaultRow {
  fault: string;
  expectedItem: string;
  detected: boolean;
  falseAlarms: string[];
  message: string;
}

export interface FaultOutcome {
  definition: FaultDefinition;
  row: FaultRow;
  durationMs: number;
}

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

/** Runs one `npm test` (through the harness's own entry point) and keeps its output in a log file. */
export function runHarness(env: Record<string, string>, logFile: string, args: string[] = []): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/harness.mjs", "checklist", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
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
export async function runAgainstStack(stack: StackDescriptor, dir: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
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

function firstLines(text: string, count = 4): string {
  return text.trim().split("\n").slice(0, count).join("\n");
}

/** Judges one fault's run: caught on the right item, with the true cause, and nothing else failing. */
export function judge(definition: FaultDefinition, report: ChecklistReport | undefined, preflight: { code: number; output: string } | undefined): FaultRow {
  const base = { fault: definition.id, expectedItem: definition.expectedItem };
  if (definition.expectedItem === "preflight") {
    const output = preflight?.output ?? "";
    const detected = (preflight?.code ?? 0) !== 0 && definition.message.test(output) && !report;
    const line = output.split("\n").find((l) => definition.message.test(l)) ?? firstLines(output, 2);
    return { ...base, detected, falseAlarms: [], message: line.trim() };
  }
  if (!report) return { ...base, detected: false, falseAlarms: [], message: `no report was written:\n${firstLines(preflight?.output ?? "", 6)}` };
  const item = report.items.find((i) => i.id === definition.expectedItem);
  const detected = item?.status === "fail" && definition.message.test(item.detail);
  const allowed = new Set([definition.expectedItem, ...definition.alsoFails]);
  const falseAlarms = report.items.filter((i) => i.status === "fail" && !allowed.has(i.id)).map((i) => i.id);
  const excerpt = item ? `${item.status}: ${firstLines(item.detail)}` : "item missing from the report";
  return { ...base, detected, falseAlarms, message: excerpt };
}

/** Starts a stub variant on the shared stack and returns the descriptor the suites should see. */
export async function variantStack(started: StartedLibreChatStack, definition: FaultDefinition): Promise<StackDescriptor> {
  const stack = started.descriptor;
  const shared = definition.shared ?? {};
  const services = { ...stack.services };
  let djangoAlias = "django-dev";
  if (shared.djangoEnv) {
    djangoAlias = `django-${definition.id}`;
    services.django = await started.startStubVariant("django", { name: definition.id, alias: djangoAlias, env: shared.djangoEnv });
  }
  if (shared.sveltekitEnv || shared.djangoEnv) {
    services.sveltekit = await started.startStubVariant("sveltekit", {
      name: definition.id,
      alias: `frontend-${definition.id}`,
      env: { ...shared.sveltekitEnv, DJANGO_API_URL: `http://${djangoAlias}:8050` },
    });
  }
  return {
    ...stack,
    services,
    stubs: { ...stack.stubs, djangoUrl: stubUrl(services.django, "django"), sveltekitUrl: stubUrl(services.sveltekit, "sveltekit") },
  };
}

/** "Many users logging in from one address": registrations and logins through a Django stub. */
export async function warmUpLogins(djangoUrl: string, count: number): Promise<string> {
  let lastStatus = 0;
  for (let index = 0; index < count; index++) {
    const email = `warmup-${Date.now().toString(36)}-${index}@example.test`;
    const password = `Warm-up-${index}-password!`;
    const post = (route: string, body: unknown) =>
      fetch(`${djangoUrl}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await post("/api/auth/register", { email, password, name: `Warm Up ${index}` });
    lastStatus = (await post("/api/auth/login", { email, password })).status;
  }
  return `${count} users logged in through one Django (last login answered ${lastStatus})`;
}

export async function scriptLlm(stack: StackDescriptor, script: Record<string, number> | undefined): Promise<void> {
  const llm = stack.services.llm;
  if (!llm) return;
  const cmd = script
    ? ["curl", "-sS", "-X", "POST", "-H", "content-type: application/json", "-d", JSON.stringify(script), "http://localhost:8080/__mock/script"]
    : ["curl", "-sS", "-X", "DELETE", "http://localhost:8080/__mock/script"];
  const result = await execIn(llm.containerId, cmd);
  if (result.exitCode !== 0) throw new Error(`scripting the mock LLM failed: ${result.stderr}`);
}

/** Holds a host port with a container publishing it, so the harness can name the holder. */
export async function holdPort(port: number, image: string, runId: string): Promise<() => Promise<void>> {
  const container = await docker().createContainer({
    Image: image,
    name: `${runId}-port-holder`,
    Labels: { [LABELS.harness]: "true", [LABELS.runId]: runId, [LABELS.pid]: String(process.pid), [LABELS.role]: "port-holder" },
    ExposedPorts: { [`${port}/tcp`]: {} },
    HostConfig: { PortBindings: { [`${port}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(port) }] } },
  });
  await container.start();
  return async () => {
    await container.remove({ force: true }).catch((error: unknown) => console.error(`could not remove the port holder: ${errorText(error)}`));
  };
}

export function freshDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
