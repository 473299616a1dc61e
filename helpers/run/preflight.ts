import type { HarnessConfig } from "../config.ts";
import { assertDockerReachable } from "../docker/client.ts";
import { resolveImages, type ImageCatalog } from "../images/catalog.ts";
import { ensureImages } from "../images/ensure.ts";
import { checkBindSources, checkExternalNetworks, loadLibreChatInput, type LibreChatInput } from "./compose-input.ts";
import { checkHostPorts } from "./host-ports.ts";

export type Log = (line: string) => void;

export const harnessLog: Log = (line) => process.stdout.write(`[harness] ${line}\n`);

/**
 * Every check made before a container starts, so that a mistake reads as one sentence: the
 * engine, the compose input, its external networks, the images (built or pulled), the host
 * ports. Returns what the stack is then built from.
 */
export async function preflight(config: HarnessConfig, log: Log = harnessLog): Promise<{ input: LibreChatInput; catalog: ImageCatalog }> {
  await assertDockerReachable();
  const input = await loadLibreChatInput(config);
  for (const warning of input.model.warnings) log(`compose: ${warning}`);
  await checkExternalNetworks(input.definition);
  checkBindSources(input);
  const catalog = resolveImages(config, input.composeImages);
  await ensureImages(catalog, ["probe"], config.fixtureBaseImage, log);
  if (config.hostPorts === "compose") await checkHostPorts(input.definition);
  return { input, catalog };
}
