import { copyFileSync, mkdtempSync, existsSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";

/**
 * The shared folder with LibreChat's real upstream files, read at test time only: HARNESS_SHARED_DIR
 * (CI sets it, for a clone that does not sit next to it), else `../shared` next to the repository.
 */
export const SHARED_DIR = process.env.HARNESS_SHARED_DIR ? path.resolve(process.env.HARNESS_SHARED_DIR) : path.resolve(REPO_ROOT, "..", "shared");
export const GUIDE_OVERLAY = path.join(REPO_ROOT, "fixtures", "compose.librechat.yaml");

export function upstreamDir(version: "v0.8.1" | "v0.8.7"): string {
  return path.join(SHARED_DIR, "librechat", `upstream-${version}`);
}

export function hasUpstream(version: "v0.8.1" | "v0.8.7"): boolean {
  return existsSync(path.join(upstreamDir(version), "docker-compose.yml"));
}

/** A throw-away LibreChat checkout: the upstream docker-compose.yml, and env.example as its `.env`. */
export function librechatCheckout(version: "v0.8.1" | "v0.8.7"): string {
  const dir = mkdtempSync(path.join(tmpdir(), `compose-${version}-`));
  copyFileSync(path.join(upstreamDir(version), "docker-compose.yml"), path.join(dir, "docker-compose.yml"));
  copyFileSync(path.join(upstreamDir(version), "env.example"), path.join(dir, ".env"));
  return dir;
}

/** A temporary directory holding the given files (name → text). */
export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "compose-test-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
