import { spawn } from "node:child_process";
import { readConfig, type HarnessConfig } from "../config.ts";
import { assertDockerReachable } from "../docker/client.ts";
import { resolveImages, type ImageCatalog } from "../images/catalog.ts";
import { ensureImages } from "../images/ensure.ts";
import { checkExternalNetworks, loadLibreChatInput, type LibreChatInput } from "../stack/compose-input.ts";
import { checkHostPorts, hostPortMode } from "../stack/host-ports.ts";
import { forgetKept } from "../stack/keep.ts";
import { newRunId } from "../stack/run-id.ts";
import { removeRun } from "../stack/teardown.ts";

/**
 * Every check made before a container starts, so that a mistake reads as one sentence: the
 * engine, the compose input, its external networks, the images (built or pulled), the host
 * ports. Returns what the stack is then built from.
 */
export async function preflight(
  config: HarnessConfig,
  log: (line: string) => void = (line) => console.log(`[harness] ${line}`),
): Promise<{ input: LibreChatInput; catalog: ImageCatalog }> {
  await assertDockerReachable();
  const input = await loadLibreChatInput(config);
  for (const warning of input.model.warnings) log(`compose: ${warning}`);
  await checkExternalNetworks(input.definition);
  const catalog = resolveImages(config, input.composeImages);
  await ensureImages(catalog, ["probe"], config.fixtureBaseImage, log);
  if (hostPortMode() === "compose") await checkHostPorts(input.definition);
  return { input, catalog };
}

/** Runs the checklist project once; resolves with vitest's exit code. */
export async function runChecklist(extraEnv: Record<string, string>, vitestArgs: string[]): Promise<number> {
  const runId = newRunId();
  const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", "checklist", ...vitestArgs], {
    stdio: "inherit",
    env: { ...process.env, ...extraEnv, HARNESS_RUN_ID: runId },
  });
  // Ctrl-C reaches vitest too (same process group); this process waits and cleans up after it.
  const ignore = (): void => undefined;
  process.on("SIGINT", ignore);
  process.on("SIGTERM", ignore);
  const code = await new Promise<number>((resolve) => child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1))));
  process.off("SIGINT", ignore);
  process.off("SIGTERM", ignore);
  const config = readConfig({ ...process.env, ...extraEnv });
  if (config.reuseStack) {
    // The global setup kept the stack for the next run with the same configuration.
  } else if (config.keepOnFailure && code !== 0) {
    console.log(`[harness] HARNESS_KEEP: run ${runId} stays up (commands above); remove it with npm run clean -- ${runId}`);
  } else {
    forgetKept(runId);
    const problems = await removeRun(runId);
    for (const problem of problems) console.error(`[harness] cleanup: ${problem}`);
  }
  return code;
}
