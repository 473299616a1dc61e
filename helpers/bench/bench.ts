// `npm run bench`: how long a stack takes to start and to stop, how much memory each
// container uses once ready, and how long the checklist takes against it. Speed is measured
// here, never in a timed test. Writes reports/bench.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { HarnessConfig } from "../config.ts";
import { docker } from "../docker/client.ts";
import { newRunId } from "../docker/labels.ts";
import { runChecklist } from "../run/checklist-run.ts";
import { configuredStack } from "../run/configured-stack.ts";
import { preflight } from "../run/preflight.ts";
import { removeRun } from "../stack/teardown.ts";

interface MemoryStats {
  memory_stats?: { usage?: number; stats?: { cache?: number; inactive_file?: number } };
}

async function memoryMiB(containerId: string): Promise<number> {
  const stats = (await docker().getContainer(containerId).stats({ stream: false })) as MemoryStats;
  const usage = stats.memory_stats?.usage ?? 0;
  const cache = stats.memory_stats?.stats?.inactive_file ?? stats.memory_stats?.stats?.cache ?? 0;
  return Math.round(((usage - cache) / 1024 / 1024) * 10) / 10;
}

export async function runBench(config: HarnessConfig): Promise<void> {
  const { input, catalog } = await preflight(config);
  const runId = newRunId();
  const t0 = Date.now();
  const started = await configuredStack(config, input, catalog, runId).start();
  const descriptor = started.descriptor;
  const startMs = Date.now() - t0;
  if (descriptor.startFailure) throw new Error(`the stack did not start: ${descriptor.startFailure.message}`);
  const memory: Record<string, number> = {};
  for (const [role, service] of Object.entries(descriptor.services)) memory[role] = await memoryMiB(service.containerId);
  const t1 = Date.now();
  await started.stop();
  const stopMs = Date.now() - t1;
  const t2 = Date.now();
  const code = await runChecklist(config, {}, []);
  const result = {
    librechat: descriptor.images.librechat.ref,
    stackStartMs: startMs,
    stackStopMs: stopMs,
    checklistRunMs: Date.now() - t2,
    checklistExitCode: code,
    memoryMiB: memory,
    memoryTotalMiB: Math.round(Object.values(memory).reduce((a, b) => a + b, 0)),
    harnessRssMiB: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
  mkdirSync(config.reportDir, { recursive: true });
  writeFileSync(path.join(config.reportDir, "bench.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  await removeRun(runId);
}
