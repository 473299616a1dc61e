// Each side made ready to run: a checkout built into an image (reused while its inputs are
// unchanged), an image checked to exist (or pulled); its version read from package.json or the
// image's labels; its environment: the gate's configuration plus its own compose input and image.
import { existsSync } from "node:fs";
import path from "node:path";
import { CORRECTED_ENV, CORRECTED_OVERLAY, type HarnessConfig } from "../config.ts";
import { docker, errorText } from "../docker/client.ts";
import { buildLibreChat } from "../images/librechat-build.ts";
import { readCheckout } from "../images/librechat-checkout.ts";
import { DEFAULT_LIBRECHAT_DIR, loadLibreChatInput } from "../run/compose-input.ts";
import { exportMergeBase } from "./git-baseline.ts";
import { GateInputError, noBaselineSentence, sideFromArgs, type SideArgs } from "./sides.ts";
import type { PreparedSide, SideName, SideSpec } from "./types.ts";

export type Log = (line: string) => void;

const VERSION_LABEL = "org.opencontainers.image.version";

/**
 * The environment every run of the gate starts from: the corrected configuration (the guide's
 * overlay with its healthcheck fixed, ADMIN_PANEL_PORT=3001) unless LIBRECHAT_OVERLAY names
 * another overlay; never a build inside a run (the gate builds once), no job summary of the
 * runs (the gate writes its own), no shared run id.
 */
export function gateEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const own = env.LIBRECHAT_OVERLAY?.trim() ? {} : { LIBRECHAT_OVERLAY: CORRECTED_OVERLAY, ...correctedDefaults(env) };
  return { ...env, ...own, LIBRECHAT_BUILD: "", GITHUB_STEP_SUMMARY: "", HARNESS_RUN_ID: "" };
}

function correctedDefaults(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(CORRECTED_ENV).filter(([name]) => !env[name]?.trim()));
}

/** The image the compose input pins for LibreChat's service (the last default baseline). */
async function pinnedImage(composeDir: string, overlay: string): Promise<string | undefined> {
  const input = await loadLibreChatInput({ librechatDir: composeDir, overlayPath: overlay });
  return input.definition.image;
}

/** The baseline: the flags, else the candidate directory at the merge-base, else the pinned image. */
export async function baselineSpec(args: SideArgs, candidate: SideSpec, config: HarnessConfig, log: Log): Promise<SideSpec> {
  const given = sideFromArgs("baseline", args);
  if (given) return given;
  const reasons: string[] = [];
  if (candidate.kind === "dir") {
    const exported = exportMergeBase(candidate.dir, path.join(candidate.dir, ".env"));
    if (exported.ok) {
      log(`baseline: ${candidate.dir} at ${exported.commit.slice(0, 12)}, the merge-base of HEAD and ${exported.branch} (git archive into ${exported.dir})`);
      return { kind: "dir", dir: exported.dir, how: `the candidate directory at the merge-base ${exported.commit.slice(0, 12)} of HEAD and ${exported.branch}`, temporary: exported.root };
    }
    reasons.push(exported.why);
  }
  const composeDir = candidate.kind === "dir" ? candidate.dir : (config.librechatDir ?? DEFAULT_LIBRECHAT_DIR);
  const pinned = await pinnedImage(composeDir, config.overlayPath).catch(() => undefined);
  if (pinned && (await imageAvailable(pinned, log)).ok) {
    log(`baseline: ${pinned}, the image ${composeDir}'s compose file pins`);
    return { kind: "image", image: pinned, how: `the image the candidate's compose file pins (${composeDir})` };
  }
  reasons.push(pinned ? `the image its compose file pins (${pinned}) is not on this host and cannot be pulled` : `its compose file (${composeDir}) pins no LibreChat image`);
  throw new GateInputError(noBaselineSentence(reasons));
}

/** The image is on this host, or can be pulled within a minute. */
export async function imageAvailable(ref: string, log: Log): Promise<{ ok: true } | { ok: false; why: string }> {
  try {
    await docker().getImage(ref).inspect();
    return { ok: true };
  } catch {
    // not here: try the registry
  }
  try {
    log(`pulling ${ref}`);
    const stream = await docker().pull(ref);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no answer from the registry within 60 s")), 60_000);
      docker().modem.followProgress(stream, (error: Error | null) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      });
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, why: errorText(error).split("\n")[0] ?? "" };
  }
}

async function imageVersion(ref: string): Promise<{ version: string; source: string; origin: string; commit: string | undefined }> {
  const labels = (await docker().getImage(ref).inspect()).Config?.Labels ?? {};
  const origin = labels["io.librechat-harness.origin"] ?? (labels["io.librechat-harness.fixture"] ? "harness-fixture" : "registry-image");
  const commit = labels["org.opencontainers.image.revision"];
  if (labels[VERSION_LABEL]) return { version: labels[VERSION_LABEL], source: `image label ${VERSION_LABEL}`, origin, commit };
  const tag = /:([^/:@]+)$/.exec(ref)?.[1] ?? "unknown";
  return { version: tag, source: "image tag (the image has no version label)", origin, commit };
}

interface PrepareContext {
  config: HarnessConfig;
  env: NodeJS.ProcessEnv;
  reportRoot: string;
  /** The compose input an image-only side runs with. */
  composeFallback: string;
  log: Log;
}

/** Builds (or reuses) a checkout's image, or checks an image exists; then the side's environment. */
export async function prepareSide(name: SideName, spec: SideSpec, ctx: PrepareContext): Promise<PreparedSide> {
  const reportDir = path.join(ctx.reportRoot, name);
  const base = { name, spec, reportDir };
  if (spec.kind === "dir") {
    const checkout = readCheckout(spec.dir);
    const mode = ctx.config.fixtureBaseImage ? "airgapped" : "dockerfile";
    const built = await buildLibreChat({ checkoutDir: spec.dir, mode, baseImage: ctx.config.fixtureBaseImage, workDir: ctx.config.librechatBuildDir, progress: (line) => ctx.log(`${name}: ${line}`) });
    const side = { ...base, image: built.tag, version: checkout.version, versionSource: "package.json", origin: built.origin, commit: built.commit, checkoutDir: spec.dir, composeDir: spec.dir };
    return { ...side, build: { built: built.built, durationMs: built.durationMs }, env: sideEnv(ctx.env, side.composeDir, side.image, reportDir) };
  }
  const available = await imageAvailable(spec.image, ctx.log);
  if (!available.ok) {
    throw new GateInputError(`${spec.how} ${spec.image} is not on this host and cannot be pulled: ${available.why.trim()}; pass an image \`docker images\` lists, or --${name}-dir <LibreChat-main checkout> to build one.`);
  }
  const seen = await imageVersion(spec.image);
  const side = { ...base, image: spec.image, version: seen.version, versionSource: seen.source, origin: seen.origin, commit: seen.commit, checkoutDir: undefined, composeDir: ctx.composeFallback };
  return { ...side, build: undefined, env: sideEnv(ctx.env, side.composeDir, side.image, reportDir) };
}

export function sideEnv(env: NodeJS.ProcessEnv, composeDir: string, image: string, reportDir: string): NodeJS.ProcessEnv {
  return { ...env, LIBRECHAT_DIR: composeDir, LIBRECHAT_IMAGE: image, HARNESS_REPORT_DIR: reportDir };
}

/** The compose input of an image-only side: the candidate's checkout when there is one, else LIBRECHAT_DIR or the built-in default. */
export function composeFallback(candidate: SideSpec, config: HarnessConfig): string {
  if (candidate.kind === "dir") return candidate.dir;
  const dir = config.librechatDir ?? DEFAULT_LIBRECHAT_DIR;
  return existsSync(dir) ? dir : DEFAULT_LIBRECHAT_DIR;
}
