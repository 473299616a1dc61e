// Builds real LibreChat from a LibreChat-main checkout (or its .tar.gz) and prints the result
// as JSON on stdout (progress goes to stderr). The image is reused when its inputs are unchanged.
//   npm run librechat:build -- <checkout dir | tarball> [--airgapped] [--base <image>] [--tag <tag>] [--work-dir <dir>] [--dockerfile]
// --base or HARNESS_BASE_IMAGE selects the air-gapped build; without either, the checkout's own
// Dockerfile is built (that needs registry access). --work-dir (default .harness/librechat-build)
// is where the build stages; a tmpfs there (e.g. /dev/shm/...) makes npm ci about twice as fast.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigError, readConfig, REPO_ROOT } from "../helpers/config.ts";
import { assertDockerReachable, errorText } from "../helpers/docker/client.ts";
import { buildLibreChat, unpackCheckout, type LibreChatBuildMode } from "../helpers/images/librechat-build.ts";
import { LibreChatCheckoutError, readCheckout } from "../helpers/images/librechat-checkout.ts";

const USAGE =
  "usage: npm run librechat:build -- <checkout dir | tarball> [--airgapped --base <image>] [--tag <tag>] [--work-dir <dir>] [--dockerfile]";

class UsageError extends Error {}

interface Args {
  input: string;
  mode: LibreChatBuildMode;
  baseImage: string | undefined;
  tag: string | undefined;
  workDir: string;
}

function parseArgs(argv: string[], envBase: string | undefined): Args {
  const positional: string[] = [];
  let airgapped = false;
  let dockerfile = false;
  let base: string | undefined;
  let tag: string | undefined;
  let workDir = path.join(REPO_ROOT, ".harness", "librechat-build");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (!next || next.startsWith("--")) throw new UsageError(`${arg} needs a value; ${USAGE}`);
      return next;
    };
    if (arg === "--airgapped") airgapped = true;
    else if (arg === "--dockerfile") dockerfile = true;
    else if (arg === "--base") base = value();
    else if (arg === "--tag") tag = value();
    else if (arg === "--work-dir") workDir = path.resolve(value());
    else if (arg.startsWith("--")) throw new UsageError(`Unknown option ${arg}; ${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(`Pass exactly one LibreChat-main checkout directory or tarball; ${USAGE}`);
  if (dockerfile && (airgapped || base)) throw new UsageError(`--dockerfile and --airgapped/--base exclude each other; ${USAGE}`);
  const baseImage = base ?? envBase;
  const mode: LibreChatBuildMode = dockerfile ? "dockerfile" : airgapped || baseImage ? "airgapped" : "dockerfile";
  if (mode === "airgapped" && !baseImage) {
    throw new UsageError("The air-gapped build needs a base image: pass --base <image> (e.g. localhost/librechat-harness/base:bookworm) or set HARNESS_BASE_IMAGE.");
  }
  return { input: positional[0]!, mode, baseImage: mode === "airgapped" ? baseImage : undefined, tag, workDir };
}

/** A directory is the checkout; a file is its tarball, unpacked (once) under .harness/librechat-src/. */
async function checkoutDir(input: string): Promise<string> {
  const absolute = path.resolve(input);
  if (!existsSync(absolute)) throw new UsageError(`${absolute} does not exist; pass a LibreChat-main checkout directory or its .tar.gz.`);
  if (statSync(absolute).isDirectory()) return readCheckout(absolute).dir;
  const name = path.basename(absolute).replace(/\.(tar\.gz|tgz|tar)$/, "");
  const dir = await unpackCheckout(absolute, path.join(REPO_ROOT, ".harness", "librechat-src", name));
  return readCheckout(dir).dir;
}

async function main(): Promise<number> {
  try {
    const args = parseArgs(process.argv.slice(2), readConfig().fixtureBaseImage);
    const dir = await checkoutDir(args.input);
    await assertDockerReachable();
    const result = await buildLibreChat({
      checkoutDir: dir,
      mode: args.mode,
      ...(args.baseImage ? { baseImage: args.baseImage } : {}),
      ...(args.tag ? { tag: args.tag } : {}),
      workDir: args.workDir,
      progress: (line) => console.error(line),
    });
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    const oneSentence = error instanceof UsageError || error instanceof LibreChatCheckoutError || error instanceof ConfigError;
    console.error(errorText(error));
    return oneSentence ? 2 : 1;
  }
}

process.exitCode = await main();
