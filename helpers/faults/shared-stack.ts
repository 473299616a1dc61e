import path from "node:path";
import type { HarnessConfig } from "../config.ts";
import { docker, errorText } from "../docker/client.ts";
import { execIn } from "../docker/exec.ts";
import { newRunId, runLabels } from "../docker/labels.ts";
import type { ImageCatalog } from "../images/catalog.ts";
import type { LibreChatInput } from "../run/compose-input.ts";
import { onAbort } from "../run/abort.ts";
import { configuredStack } from "../run/configured-stack.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import { DJANGO, djangoUrlOn, publishedUrl } from "../stack/django.ts";
import { MOCK_LLM } from "../stack/mock-llm.ts";
import type { StartedLibreChatStack } from "../stack/started-stack.ts";
import { SVELTEKIT } from "../stack/sveltekit.ts";
import { removeRun } from "../stack/teardown.ts";
import type { FaultDefinition } from "./catalog.ts";
import { freshDir, readReport, runAgainstStack } from "./harness-runs.ts";
import { healthyRow, judge, type FaultOutcome, type FaultRow } from "./judge.ts";

/** Starts a stub variant on the shared stack and returns the descriptor the suites should see. */
export async function variantStack(started: StartedLibreChatStack, definition: FaultDefinition): Promise<StackDescriptor> {
  const stack = started.descriptor;
  const shared = definition.shared ?? {};
  const services = { ...stack.services };
  let djangoAlias: string = DJANGO.alias;
  if (shared.djangoEnv) {
    djangoAlias = `django-${definition.id}`;
    services.django = await started.startStubVariant("django", { name: definition.id, alias: djangoAlias, env: shared.djangoEnv });
  }
  if (shared.sveltekitEnv || shared.djangoEnv) {
    services.sveltekit = await started.startStubVariant("sveltekit", {
      name: definition.id,
      alias: `frontend-${definition.id}`,
      env: { ...shared.sveltekitEnv, DJANGO_API_URL: djangoUrlOn(djangoAlias) },
    });
  }
  return {
    ...stack,
    services,
    stubs: { ...stack.stubs, djangoUrl: publishedUrl(services.django, DJANGO.port), sveltekitUrl: publishedUrl(services.sveltekit, SVELTEKIT.port) },
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
  const url = `http://localhost:${MOCK_LLM.port}/__mock/script`;
  const cmd = script ? ["curl", "-sS", "-X", "POST", "-H", "content-type: application/json", "-d", JSON.stringify(script), url] : ["curl", "-sS", "-X", "DELETE", url];
  const result = await execIn(llm.containerId, cmd);
  if (result.exitCode !== 0) throw new Error(`scripting the mock LLM failed: ${result.stderr}`);
}

/** Holds a host port with a container publishing it, so the harness can name the holder. */
export async function holdPort(port: number, image: string, runId: string): Promise<() => Promise<void>> {
  const container = await docker().createContainer({
    Image: image,
    name: `${runId}-port-holder`,
    Labels: runLabels({ runId, pid: process.pid }, "port-holder"),
    ExposedPorts: { [`${port}/tcp`]: {} },
    HostConfig: { PortBindings: { [`${port}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(port) }] } },
  });
  const remove = async (): Promise<void> => {
    await container.remove({ force: true }).catch((error: unknown) => console.error(`could not remove the port holder: ${errorText(error)}`));
  };
  const release = onAbort(`the port holder ${runId}-port-holder`, remove);
  await container.start();
  return async () => {
    release();
    await remove();
  };
}

export interface SharedRun {
  baseline: FaultRow;
  outcomes: FaultOutcome[];
  runId: string;
}

/** Faults that are per-request or per-stub run against the one healthy stack, one after another. */
export async function runShared(
  config: HarnessConfig,
  input: LibreChatInput,
  images: ImageCatalog,
  options: { reportRoot: string; env: NodeJS.ProcessEnv; definitions: FaultDefinition[]; log: (line: string) => void; report: (o: FaultOutcome) => void },
): Promise<SharedRun> {
  const runId = newRunId();
  const release = onAbort(`the shared healthy stack ${runId}`, () => removeRun(runId));
  const healthy = await configuredStack(config, input, images, runId).start();
  const stack = healthy.descriptor;
  if (stack.startFailure) {
    await healthy.stop();
    release();
    throw new Error(`the healthy baseline stack did not start:\n${stack.startFailure.message}`);
  }
  options.log(`healthy stack ${runId} ready in ${(stack.startDurationMs / 1000).toFixed(1)} s`);
  const baselineDir = freshDir(path.join(options.reportRoot, "healthy"));
  const started = Date.now();
  await runAgainstStack(stack, baselineDir, options.env);
  const baseline = healthyRow(readReport(baselineDir));
  options.log(`healthy baseline: ${baseline.message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const outcomes: FaultOutcome[] = [];
  for (const definition of options.definitions) {
    const outcome = await runOnShared(healthy, definition, options);
    options.report(outcome);
    outcomes.push(outcome);
  }
  await healthy.stop();
  release();
  return { baseline, outcomes, runId };
}

async function runOnShared(healthy: StartedLibreChatStack, definition: FaultDefinition, options: { reportRoot: string; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<FaultOutcome> {
  const t0 = Date.now();
  const dir = freshDir(path.join(options.reportRoot, definition.id));
  const variant = await variantStack(healthy, definition);
  if (definition.shared?.warmUpLogins && variant.stubs.djangoUrl) {
    options.log(`${definition.id}: ${await warmUpLogins(variant.stubs.djangoUrl, definition.shared.warmUpLogins)}`);
  }
  await scriptLlm(healthy.descriptor, definition.shared?.llmScript);
  try {
    await runAgainstStack(variant, dir, options.env);
  } finally {
    if (definition.shared?.llmScript) await scriptLlm(healthy.descriptor, undefined);
  }
  return { definition, row: judge(definition, readReport(dir), undefined), durationMs: Date.now() - t0 };
}
