import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportMergeBase } from "./git-baseline.ts";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.email=gate@example.test", "-c", "user.name=gate", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A repository whose main has LibreChat v0.8.1 vendored, and a branch that bumps it to v0.8.7. */
function repository(): { root: string; checkout: string; base: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), "lch-gate-git-"));
  made.push(root);
  const checkout = path.join(root, "backend", "LibreChat-main");
  mkdirSync(checkout, { recursive: true });
  const write = (version: string): void => {
    writeFileSync(path.join(checkout, "package.json"), JSON.stringify({ version }));
    writeFileSync(path.join(checkout, "Dockerfile"), "FROM node\n");
    writeFileSync(path.join(checkout, "docker-compose.yml"), `services:\n  api:\n    image: librechat:${version}\n`);
  };
  git(root, "init", "-q");
  write("v0.8.1");
  git(root, "add", ".");
  git(root, "commit", "-qm", "vendor v0.8.1");
  const base = git(root, "rev-parse", "HEAD");
  git(root, "checkout", "-qb", "bump");
  write("v0.8.7");
  git(root, "commit", "-qam", "bump to v0.8.7");
  writeFileSync(path.join(checkout, ".env"), "PORT=3080\n");
  return { root, checkout, base };
}

describe("the default baseline of a checkout in git", () => {
  it("exports the same directory at the merge-base of HEAD with the default branch, with the deployment's .env", () => {
    const { checkout, base } = repository();
    const exported = exportMergeBase(checkout, path.join(checkout, ".env"));
    if (!exported.ok) throw new Error(exported.why);
    made.push(exported.root);
    expect(exported).toMatchObject({ commit: base, branch: "main" });
    expect(exported.dir.endsWith(path.join("backend", "LibreChat-main"))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(exported.dir, "package.json"), "utf8"))).toEqual({ version: "v0.8.1" });
    expect(readFileSync(path.join(exported.dir, ".source-commit"), "utf8").trim()).toBe(base);
    expect(readFileSync(path.join(exported.dir, ".env"), "utf8")).toBe("PORT=3080\n");
  });

  it("says why not when the directory is not in a repository", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "lch-gate-nogit-"));
    made.push(dir);
    const exported = exportMergeBase(dir, undefined);
    expect(exported).toEqual({ ok: false, why: expect.stringMatching(/is not inside a git repository/) });
  });

  it("says why not when the directory did not exist at the merge-base, and leaves nothing behind", () => {
    const { root } = repository();
    const fresh = path.join(root, "other", "LibreChat-main");
    mkdirSync(fresh, { recursive: true });
    const exported = exportMergeBase(fresh, undefined);
    expect(exported.ok).toBe(false);
    if (!exported.ok) expect(exported.why).toMatch(/other\/LibreChat-main is not a LibreChat checkout at the merge-base/);
    expect(existsSync(path.join(fresh, ".source-commit"))).toBe(false);
  });
});
