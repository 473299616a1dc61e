// Real LibreChat for the self-test: each librechat-<version>.tar.gz of a sources folder (as
// ../shared/librechat/source holds them) unpacked as a LibreChat-main checkout with the guide's
// .env, and built into an image (air-gapped on the base image when one is given).
import { copyFileSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { ConfigError, REPO_ROOT, type HarnessConfig } from "../config.ts";
import { buildLibreChat, unpackCheckout, type LibreChatBuildResult } from "../images/librechat-build.ts";

export interface RealLibreChat {
  /** As the tarball names it, e.g. v0.8.7. */
  version: string;
  checkoutDir: string;
  build: LibreChatBuildResult;
}

/** The team's .env for a checkout that has none: the guide's "Environment Variables" section. */
const GUIDE_DOTENV = path.join(REPO_ROOT, "fixtures", "librechat-default", ".env");
const UNPACK_DIR = path.join(REPO_ROOT, ".harness", "librechat-src");

/** The versions a sources folder offers: librechat-<version>.tar.gz. */
export function sourceTarballs(sourcesDir: string): { version: string; tarball: string }[] {
  if (!existsSync(sourcesDir)) throw new ConfigError(`--real ${sourcesDir} does not exist; point it at a folder of librechat-<version>.tar.gz checkouts.`);
  const found = readdirSync(sourcesDir)
    .map((name) => ({ name, match: /^librechat-(v?\d[\w.-]*)\.tar\.gz$/.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ version: match[1]!, tarball: path.join(sourcesDir, name) }));
  if (found.length === 0) throw new ConfigError(`--real ${sourcesDir} holds no librechat-<version>.tar.gz; point it at ../shared/librechat/source or a folder like it.`);
  return found;
}

/**
 * Unpacks and builds every version of the folder, side by side (each build waits on the network
 * and the disk as much as on the CPU). An image whose inputs are unchanged is reused at once.
 */
export async function prepareRealLibreChats(sourcesDir: string, config: Pick<HarnessConfig, "fixtureBaseImage" | "librechatBuildDir">, log: (line: string) => void): Promise<RealLibreChat[]> {
  const baseImage = config.fixtureBaseImage;
  return Promise.all(
    sourceTarballs(sourcesDir).map(async ({ version, tarball }) => {
      const checkoutDir = await unpackCheckout(tarball, path.join(UNPACK_DIR, path.basename(tarball, ".tar.gz")));
      if (!existsSync(path.join(checkoutDir, ".env"))) copyFileSync(GUIDE_DOTENV, path.join(checkoutDir, ".env"));
      const mode = baseImage ? "airgapped" : "dockerfile";
      const build = await buildLibreChat({ checkoutDir, mode, baseImage, workDir: config.librechatBuildDir, progress: log });
      return { version, checkoutDir, build };
    }),
  );
}
