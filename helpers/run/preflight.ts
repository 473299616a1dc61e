import type { HarnessConfig } from "../config.ts";
import { assertDockerReachable } from "../docker/client.ts";
import { resolveImages, type ImageCatalog, type ImageChoice } from "../images/catalog.ts";
import { ensureImages } from "../images/ensure.ts";
import { buildLibreChat } from "../images/librechat-build.ts";
import { checkBindSources, checkExternalNetworks, loadLibreChatInput, type LibreChatInput } from "./compose-input.ts";
import { checkHostPorts } from "./host-ports.ts";
import { harnessLog, type Log } from "./log.ts";

/** What the preflight established: the compose input it checked and the images it made available. */
export interface PreflightResult {
  input: LibreChatInput;
  catalog: ImageCatalog;
}

/**
 * LIBRECHAT_BUILD=1: LibreChat built from LIBRECHAT_DIR (air-gapped on HARNESS_BASE_IMAGE when
 * set, else with the checkout's own Dockerfile), reused while the checkout's inputs are unchanged.
 */
export async function builtLibreChat(config: HarnessConfig, log: Log): Promise<ImageChoice> {
  const mode = config.fixtureBaseImage ? "airgapped" : "dockerfile";
  const built = await buildLibreChat({ checkoutDir: config.librechatDir!, mode, baseImage: config.fixtureBaseImage, workDir: config.librechatBuildDir, progress: log });
  const commit = built.commit ? ` at ${built.commit.slice(0, 12)}` : "";
  return { role: "librechat", ref: built.tag, source: "build", origin: `LIBRECHAT_BUILD (${built.origin} from ${config.librechatDir}${commit})`, fixture: undefined };
}

/**
 * Every check made before a container starts, so that a mistake reads as one sentence: the
 * engine, the compose input, its external networks, the images (built or pulled), the host
 * ports. Returns what the stack is then built from.
 */
export async function preflight(config: HarnessConfig, log: Log = harnessLog): Promise<PreflightResult> {
  await assertDockerReachable();
  const input = await loadLibreChatInput(config);
  for (const warning of input.model.warnings) log(`compose: ${warning}`);
  await checkExternalNetworks(input.definition);
  checkBindSources(input);
  const catalog = resolveImages(config, input.composeImages);
  if (config.librechatBuild) catalog.librechat = await builtLibreChat(config, log);
  await ensureImages(catalog, ["probe"], config.fixtureBaseImage, log);
  if (config.hostPorts === "compose") await checkHostPorts(input.definition);
  return { input, catalog };
}
