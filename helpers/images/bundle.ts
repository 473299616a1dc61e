import path from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "../config.ts";

const ESM_REQUIRE_SHIM =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** Bundles in flight in this process: esbuild's service stops when the last one ends. */
let active = 0;

export interface Bundle {
  contents: Buffer;
  /** Every file esbuild read (absolute paths): what the fixture cache watches. */
  inputs: string[];
}

/**
 * Bundles one entry point for Node (ESM, with a `require` for the CommonJS it pulls in). esbuild is
 * loaded only here, so that a run whose fixtures are up to date never loads or starts it.
 */
export async function bundleEntry(entryPoint: string, outfile: string): Promise<Bundle> {
  const esbuild = await import("esbuild");
  active++;
  try {
    const result = await esbuild.build({
      entryPoints: [entryPoint],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      outfile,
      banner: { js: ESM_REQUIRE_SHIM },
      logLevel: "error",
      write: false,
      metafile: true,
      // The bundle's path comments, and the metafile's paths, are relative to this: the same from any cwd.
      absWorkingDir: REPO_ROOT,
    });
    const inputs = Object.keys(result.metafile.inputs).map((file) => path.resolve(REPO_ROOT, file));
    return { contents: Buffer.from(result.outputFiles[0]!.contents), inputs };
  } finally {
    active--;
    // The service process (80-160 MiB) would otherwise idle in the run's process tree until it exits.
    if (active === 0) await esbuild.stop();
  }
}

/** The files whose change changes every bundle: esbuild's version and the options above. */
export const BUNDLER_FILES = [path.join(REPO_ROOT, "node_modules", "esbuild", "package.json"), fileURLToPath(import.meta.url)];
