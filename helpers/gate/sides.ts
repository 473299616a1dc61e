// Which LibreChat each side of the gate is: an image or a LibreChat-main checkout, as the user
// passed it or by the defaults (the candidate: LIBRECHAT_DIR; the baseline: the same directory
// at the merge-base with the default branch, else the image the candidate's compose file pins).
// Bad input is one sentence (GateInputError), before anything is built or started.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { DEFAULT_COMPOSE_FILES } from "../compose/load.ts";
import { ConfigError } from "../config.ts";
import { LibreChatCheckoutError, readCheckout } from "../images/librechat-checkout.ts";
import type { SideName, SideSpec } from "./types.ts";

export class GateInputError extends ConfigError {
  override name = "GateInputError";
}

export interface SideArgs {
  image: string | undefined;
  dir: string | undefined;
}

/** A directory given for a side must be a LibreChat-main checkout: package.json, Dockerfile and a compose file at its top. */
export function checkoutDirOf(flag: string, dir: string): string {
  const absolute = path.resolve(dir);
  if (!existsSync(absolute)) throw new GateInputError(`${flag} ${dir} does not exist; pass the directory of a LibreChat-main checkout.`);
  if (!statSync(absolute).isDirectory()) throw new GateInputError(`${flag} ${dir} is a file, not a directory; pass the directory of a LibreChat-main checkout (unpack a .tar.gz first).`);
  try {
    readCheckout(absolute);
  } catch (error) {
    if (!(error instanceof LibreChatCheckoutError)) throw error;
    throw new GateInputError(`${flag} ${dir} is not a LibreChat-main checkout (${error.message.replace(/^.*?: /, "").replace(/\.$/, "")}); pass the directory that holds LibreChat's package.json, Dockerfile and docker-compose.yml.`);
  }
  if (!DEFAULT_COMPOSE_FILES.some((name) => existsSync(path.join(absolute, name)))) {
    throw new GateInputError(`${flag} ${dir} is not a LibreChat-main checkout: it has no ${DEFAULT_COMPOSE_FILES.join(" or ")}; pass the directory that holds LibreChat's docker-compose.yml.`);
  }
  return absolute;
}

/** One side as the flags give it, or undefined when neither flag is set. */
export function sideFromArgs(name: SideName, args: SideArgs): SideSpec | undefined {
  const image = args.image?.trim();
  const dir = args.dir?.trim();
  if (image && dir) throw new GateInputError(`--${name}-image and --${name}-dir both choose the ${name}; pass only one of them.`);
  if (args.image !== undefined && !image) throw new GateInputError(`--${name}-image is empty; pass an image reference such as localhost/librechat-harness/librechat-built:v0.8.7-<hash>.`);
  if (dir) return { kind: "dir", dir: checkoutDirOf(`--${name}-dir`, dir), how: `--${name}-dir` };
  if (image) return { kind: "image", image, how: `--${name}-image` };
  return undefined;
}

/** The candidate: the flags, else LIBRECHAT_DIR. */
export function candidateSpec(args: SideArgs, librechatDir: string | undefined): SideSpec {
  const given = sideFromArgs("candidate", args);
  if (given) return given;
  if (librechatDir) return { kind: "dir", dir: checkoutDirOf("LIBRECHAT_DIR", librechatDir), how: "LIBRECHAT_DIR (the default candidate)" };
  throw new GateInputError("No candidate: pass --candidate-dir <LibreChat-main checkout> or --candidate-image <image>, or set LIBRECHAT_DIR to the checkout the bump brings.");
}

/** The sentence for a baseline no default could find. */
export function noBaselineSentence(reasons: string[]): string {
  return `No baseline: ${reasons.join("; ")}; pass --baseline-dir <LibreChat-main checkout of the release you run now> or --baseline-image <its image>.`;
}
