// Real LibreChat from a LibreChat-main checkout, as an image shaped like upstream's: with the
// checkout's own Dockerfile (needs a registry), or air-gapped on the harness's base. The image
// carries the hash of its inputs and is built again only when that hash changes.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { docker } from "../docker/client.ts";
import { buildAirgapped } from "./librechat-airgapped.ts";
import { LibreChatCheckoutError, readCheckout, type CheckoutInfo } from "./librechat-checkout.ts";
import { inputsHash, listInputs, readDockerignore } from "./librechat-context.ts";
import { buildWithDockerfile } from "./librechat-dockerfile.ts";
import { IMAGE_LABELS } from "./librechat-image.ts";
import { acquireLock } from "./librechat-lock.ts";
import { failureMessage, formatElapsed, LibreChatBuildError, PhaseRunner, type PhaseRecord } from "./librechat-progress.ts";
import { RUNTIME_RECIPE } from "./librechat-runtime.ts";

export { LibreChatBuildError } from "./librechat-progress.ts";
export { unpackCheckout } from "./librechat-checkout.ts";

export type LibreChatBuildMode = "dockerfile" | "airgapped";

export interface LibreChatBuildOptions {
  /** A LibreChat-main checkout (unpacked). */
  checkoutDir: string;
  /** dockerfile: the checkout's own Dockerfile, unchanged (needs a registry); airgapped: the harness's build on baseImage. */
  mode: LibreChatBuildMode;
  /** Required for airgapped: the air-gapped base image. */
  baseImage?: string;
  /** Default localhost/librechat-harness/librechat-built:<version>-<hash12>. */
  tag?: string;
  /** Where the air-gapped build stages (e.g. <repo>/.harness/librechat-build). */
  workDir: string;
  progress: (line: string) => void;
}

export interface LibreChatBuildResult {
  tag: string;
  imageId: string;
  origin: "built-dockerfile" | "built-airgapped";
  commit: string | undefined;
  version: string;
  inputsHash: string;
  /** false when an image with the same inputs hash was reused. */
  built: boolean;
  durationMs: number;
  phases: PhaseRecord[];
}

/** Bump when the air-gapped steps or the image settings change: every image is then built again. */
export const AIRGAPPED_RECIPE = "1";
export const BUILT_REPOSITORY = "localhost/librechat-harness/librechat-built";

/** <version>-<hash12>: the default tag's tag part, and the name of the build's log file. */
export function buildName(version: string, hash: string): string {
  return `${version.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 100)}-${hash.slice(0, 12)}`;
}

export function defaultTag(version: string, hash: string): string {
  return `${BUILT_REPOSITORY}:${buildName(version, hash)}`;
}

export function buildLabel(version: string, mode: LibreChatBuildMode): string {
  return `librechat build ${version}${mode === "dockerfile" ? " (dockerfile)" : ""}`;
}

interface Plan {
  checkout: CheckoutInfo;
  label: string;
  origin: LibreChatBuildResult["origin"];
  hash: string;
  tag: string;
  labels: Record<string, string>;
  entries: ReturnType<typeof listInputs>;
}

/** Builds (or reuses) the image of a checkout; see LibreChatBuildOptions. */
export async function buildLibreChat(options: LibreChatBuildOptions): Promise<LibreChatBuildResult> {
  const started = Date.now();
  const plan = await planBuild(options);
  const result = (imageId: string, built: boolean, phases: PhaseRecord[]): LibreChatBuildResult => ({
    tag: plan.tag,
    imageId,
    origin: plan.origin,
    commit: plan.checkout.commit,
    version: plan.checkout.version,
    inputsHash: plan.hash,
    built,
    durationMs: Date.now() - started,
    phases,
  });
  const inputs: PhaseRecord = { name: "inputs", durationMs: Date.now() - started };
  const reusable = await imageWithHash(plan.tag, plan.hash);
  if (reusable) {
    options.progress(`${plan.label}: reusing ${plan.tag} (inputs ${plan.hash.slice(0, 12)} unchanged)`);
    return result(reusable, false, [inputs]);
  }
  const release = await acquireLock(path.join(path.resolve(options.workDir), "locks"), plan.hash.slice(0, 16), (pid, waitedMs) =>
    options.progress(`${plan.label}: waiting for process ${pid}, which is building the same inputs … ${formatElapsed(waitedMs)}`),
  );
  try {
    const builtMeanwhile = await imageWithHash(plan.tag, plan.hash);
    if (builtMeanwhile) {
      options.progress(`${plan.label}: reusing ${plan.tag}, built meanwhile by another process`);
      return result(builtMeanwhile, false, [inputs]);
    }
    const logFile = path.join(path.resolve(options.workDir), "logs", `${buildName(plan.checkout.version, plan.hash)}.log`);
    const runner = new PhaseRunner(plan.label, options.progress, 15_000, logFile);
    options.progress(`${plan.label}: building ${plan.tag} (${describeMode(options)}, inputs ${plan.hash.slice(0, 12)})`);
    const previousId = await currentImageId(plan.tag);
    const builtId = await runBuild(options, plan, runner);
    // A tag given by the caller may have pointed at an image of older inputs: drop it unless in use.
    if (previousId && previousId !== builtId) await docker().getImage(previousId).remove().catch(() => undefined);
    const outcome = result(builtId, true, [inputs, ...runner.phases]);
    options.progress(`${plan.label}: built ${plan.tag} in ${formatElapsed(outcome.durationMs)} (its output: ${logFile})`);
    return outcome;
  } finally {
    release();
  }
}

function describeMode(options: LibreChatBuildOptions): string {
  return options.mode === "airgapped" ? `air-gapped on ${options.baseImage}` : "the checkout's own Dockerfile";
}

function runBuild(options: LibreChatBuildOptions, plan: Plan, runner: PhaseRunner): Promise<string> {
  if (options.mode === "dockerfile") {
    return buildWithDockerfile({ checkoutDir: plan.checkout.dir, tag: plan.tag, labels: plan.labels, runner });
  }
  return buildAirgapped({
    checkoutDir: plan.checkout.dir,
    entries: plan.entries,
    baseImage: options.baseImage!,
    workDir: path.resolve(options.workDir),
    tag: plan.tag,
    inputsHash: plan.hash,
    labels: plan.labels,
    runner,
  });
}

/** Reads the checkout and hashes its inputs; bad input fails as phase "inputs" with one sentence. */
async function planBuild(options: LibreChatBuildOptions): Promise<Plan> {
  const fail = (label: string, sentence: string): never => {
    throw new LibreChatBuildError(failureMessage(label, "inputs", sentence, []), "inputs");
  };
  let checkout: CheckoutInfo;
  try {
    checkout = readCheckout(options.checkoutDir);
  } catch (error) {
    if (error instanceof LibreChatCheckoutError) return fail("librechat build", error.message);
    throw error;
  }
  const label = buildLabel(checkout.version, options.mode);
  if (options.mode !== "airgapped" && options.mode !== "dockerfile") fail(label, `unknown mode ${String(options.mode)}; use "airgapped" or "dockerfile".`);
  const extras = await hashExtras(options, checkout, label, fail);
  // The air-gapped build takes the context minus build outputs; Docker takes the whole context.
  const entries = options.mode === "airgapped" ? listInputs(checkout.dir) : listInputs(checkout.dir, readDockerignore(checkout.dir), []);
  const hash = inputsHash(checkout.dir, entries, extras);
  const origin = options.mode === "airgapped" ? "built-airgapped" : "built-dockerfile";
  const labels: Record<string, string> = {
    [IMAGE_LABELS.version]: checkout.version,
    ...(checkout.commit ? { [IMAGE_LABELS.revision]: checkout.commit } : {}),
    [IMAGE_LABELS.origin]: origin,
    [IMAGE_LABELS.inputsHash]: hash,
  };
  return { checkout, label, origin, hash, tag: options.tag ?? defaultTag(checkout.version, hash), labels, entries };
}

/** What besides the files changes the image: the mode, the recipe, the base image, the commit, the Dockerfile. */
async function hashExtras(
  options: LibreChatBuildOptions,
  checkout: CheckoutInfo,
  label: string,
  fail: (label: string, sentence: string) => never,
): Promise<Record<string, string>> {
  const read = (file: string): string => (existsSync(path.join(checkout.dir, file)) ? readFileSync(path.join(checkout.dir, file), "utf8") : "");
  const extras: Record<string, string> = { mode: options.mode, commit: checkout.commit ?? "", dockerignore: read(".dockerignore") };
  if (options.mode === "dockerfile") return { ...extras, dockerfile: read("Dockerfile") };
  if (!options.baseImage) fail(label, "the air-gapped build needs a base image (baseImage, e.g. localhost/librechat-harness/base:bookworm).");
  const baseId = await docker()
    .getImage(options.baseImage!)
    .inspect()
    .then((info) => info.Id)
    .catch((error: { statusCode?: number; message?: string }) => {
      if (error.statusCode === 404) return undefined;
      return fail(label, `the Docker engine did not answer about the base image ${options.baseImage} (${error.message ?? String(error)}).`);
    });
  if (!baseId) {
    fail(label, `the base image ${options.baseImage} does not exist on this Docker engine; build it with scripts/build-base-image.sh (bash .ci/run does) or pass another base.`);
  }
  return { ...extras, recipe: `${AIRGAPPED_RECIPE}.${RUNTIME_RECIPE}`, base: baseId! };
}

/** The id of `tag` when it exists and carries `hash` as its inputs hash. */
async function imageWithHash(tag: string, hash: string): Promise<string | undefined> {
  try {
    const info = await docker().getImage(tag).inspect();
    return info.Config?.Labels?.[IMAGE_LABELS.inputsHash] === hash ? info.Id : undefined;
  } catch {
    return undefined;
  }
}

async function currentImageId(tag: string): Promise<string | undefined> {
  return docker()
    .getImage(tag)
    .inspect()
    .then((info) => info.Id)
    .catch(() => undefined);
}
