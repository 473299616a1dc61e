// A LibreChat-main checkout: what it is (version, commit) and how to get one from a tarball.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { OutputTail, runCommand } from "./librechat-progress.ts";

/** Bad input: not a checkout, no such path. The message is one sentence that says what to pass. */
export class LibreChatCheckoutError extends Error {
  override name = "LibreChatCheckoutError";
}

export interface CheckoutInfo {
  dir: string;
  /** package.json's version as it is written, e.g. "v0.8.7". */
  version: string;
  /** .source-commit, else `git rev-parse HEAD` when the checkout is a git work tree. */
  commit: string | undefined;
}

/** Reads a checkout's identity; throws LibreChatCheckoutError when the directory is not one. */
export function readCheckout(dir: string): CheckoutInfo {
  const absolute = path.resolve(dir);
  if (!existsSync(absolute)) throw new LibreChatCheckoutError(`${absolute} does not exist; pass a LibreChat-main checkout directory or its .tar.gz.`);
  if (!statSync(absolute).isDirectory()) throw new LibreChatCheckoutError(`${absolute} is not a directory; pass a LibreChat-main checkout directory or its .tar.gz.`);
  const missing = ["package.json", "Dockerfile"].filter((file) => !existsSync(path.join(absolute, file)));
  if (missing.length > 0) {
    throw new LibreChatCheckoutError(`${absolute} is not a LibreChat checkout: it has no ${missing.join(" and no ")} at its top.`);
  }
  return { dir: absolute, version: readVersion(absolute), commit: readCommit(absolute) };
}

export function readVersion(dir: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  } catch (error) {
    throw new LibreChatCheckoutError(`${dir}/package.json is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  const version = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>).version : undefined;
  if (typeof version !== "string" || !version.trim()) {
    throw new LibreChatCheckoutError(`${dir}/package.json has no version, so the image cannot be named after it.`);
  }
  return version.trim();
}

export function readCommit(dir: string): string | undefined {
  const marker = path.join(dir, ".source-commit");
  if (existsSync(marker)) {
    const commit = readFileSync(marker, "utf8").trim();
    if (commit) return commit;
  }
  if (!existsSync(path.join(dir, ".git"))) return undefined;
  const git = spawnSync("git", ["-C", dir, "rev-parse", "HEAD"], { encoding: "utf8", env: { PATH: process.env.PATH } });
  const commit = git.status === 0 ? git.stdout.trim() : "";
  return /^[0-9a-f]{7,64}$/.test(commit) ? commit : undefined;
}

function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

const MARKER = ".unpacked-from";

/**
 * Unpacks a LibreChat-main tarball into destDir and returns the checkout inside it (the
 * tarball's one top-level directory, LibreChat-main for LibreChat's own). Unpacks again only
 * when the tarball's content changed; the new tree replaces the old one by a rename, so two
 * processes unpacking at once both end with a whole checkout.
 */
export async function unpackCheckout(tarball: string, destDir: string): Promise<string> {
  const source = path.resolve(tarball);
  if (!existsSync(source) || !statSync(source).isFile()) {
    throw new LibreChatCheckoutError(`${source} is not a file; pass a LibreChat-main .tar.gz.`);
  }
  const dest = path.resolve(destDir);
  const digest = await fileSha256(source);
  const current = readMarker(dest);
  if (current?.sha256 === digest && existsSync(path.join(dest, current.top, "package.json"))) return path.join(dest, current.top);
  mkdirSync(dest, { recursive: true });
  const temporary = path.join(dest, `.unpack-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(temporary);
  try {
    const tail = new OutputTail();
    await runCommand("tar", ["-xzf", source, "-C", temporary], { cwd: dest, env: { PATH: process.env.PATH } }, tail).catch((error: Error) => {
      throw new LibreChatCheckoutError(`Cannot unpack ${source}: ${error.message} ${tail.lines().slice(-3).join(" ")}`.trim());
    });
    const tops = readdirSync(temporary);
    if (tops.length !== 1 || !existsSync(path.join(temporary, tops[0]!, "package.json"))) {
      throw new LibreChatCheckoutError(`${source} does not hold one checkout directory with a package.json at its top (it holds ${tops.join(", ") || "nothing"}).`);
    }
    const top = tops[0]!;
    replaceDirectory(path.join(temporary, top), path.join(dest, top));
    writeMarker(dest, { sha256: digest, top, tarball: source });
    return path.join(dest, top);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

interface Marker {
  sha256: string;
  top: string;
  tarball: string;
}

function readMarker(dest: string): Marker | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dest, MARKER), "utf8")) as Partial<Marker>;
    if (typeof parsed.sha256 === "string" && typeof parsed.top === "string" && typeof parsed.tarball === "string") return parsed as Marker;
  } catch {
    // no marker yet, or a broken one: unpack again
  }
  return undefined;
}

function writeMarker(dest: string, marker: Marker): void {
  const temporary = path.join(dest, `${MARKER}.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(marker)}\n`);
  renameSync(temporary, path.join(dest, MARKER));
}

/** Puts `fresh` at `target`: the old tree is renamed aside first, then removed. */
function replaceDirectory(fresh: string, target: string): void {
  if (existsSync(target)) {
    const aside = `${target}.old-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      renameSync(target, aside);
    } catch {
      // another process moved it first; the rename below decides
    }
    rmSync(aside, { recursive: true, force: true });
  }
  try {
    renameSync(fresh, target);
  } catch (error) {
    // Another process put its own (identical) tree there between our two renames: keep it.
    if (!existsSync(path.join(target, "package.json"))) throw error;
  }
}
