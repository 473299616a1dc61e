// The default baseline of a checkout inside a git repository: the same directory at the
// merge-base of HEAD with the default branch, exported with `git archive` into a temporary
// directory (the deployment's .env, which git does not hold, is copied from the candidate).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type GitBaseline = { ok: true; dir: string; root: string; commit: string; branch: string } | { ok: false; why: string };

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const result = spawnSync("git", ["-C", cwd, ...args], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_TERMINAL_PROMPT: "0" } });
  return { ok: result.status === 0, out: (result.stdout ?? "").trim(), err: (result.stderr ?? result.error?.message ?? "").trim() };
}

/** origin's HEAD when the clone knows it, else init.defaultBranch, main or master, whichever exists. */
export function defaultBranch(root: string): string | undefined {
  const remote = git(root, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
  if (remote.ok && remote.out) return remote.out;
  const configured = git(root, ["config", "--get", "init.defaultBranch"]).out;
  for (const name of [configured, "main", "master"].filter(Boolean)) {
    if (git(root, ["rev-parse", "--verify", "--quiet", `refs/heads/${name}`]).ok) return name;
  }
  return undefined;
}

/**
 * Exports `dir` as it is at merge-base(HEAD, default branch). The caller removes `root` when done.
 * Resolves to why not when the directory is not in a repository, there is no default branch, or
 * the directory did not exist at that commit.
 */
export function exportMergeBase(dir: string, envFrom: string | undefined): GitBaseline {
  const top = git(dir, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) return { ok: false, why: `${dir} is not inside a git repository` };
  const branch = defaultBranch(top.out);
  if (!branch) return { ok: false, why: `the git repository ${top.out} has no default branch (no origin/HEAD, main or master)` };
  const base = git(top.out, ["merge-base", "HEAD", branch]);
  if (!base.ok || !base.out) return { ok: false, why: `HEAD and ${branch} have no merge-base in ${top.out} (${base.err || "none"})` };
  const rel = path.relative(realpathSync(top.out), realpathSync(dir));
  const root = mkdtempSync(path.join(os.tmpdir(), "lch-gate-baseline-"));
  const archive = path.join(root, "baseline.tar");
  const exported = git(top.out, ["archive", "--format=tar", "-o", archive, base.out, "--", rel || "."]);
  const unpacked = exported.ok ? spawnSync("tar", ["-xf", archive, "-C", root], { encoding: "utf8" }) : undefined;
  rmSync(archive, { force: true });
  const out = path.join(root, rel);
  if (!exported.ok || unpacked?.status !== 0 || !existsSync(path.join(out, "package.json"))) {
    rmSync(root, { recursive: true, force: true });
    return { ok: false, why: `${rel || "the repository root"} is not a LibreChat checkout at the merge-base ${base.out.slice(0, 12)} of HEAD and ${branch} (${exported.err || "no package.json there"})` };
  }
  // The image is labelled with the commit it was built from.
  writeFileSync(path.join(out, ".source-commit"), `${base.out}\n`);
  if (envFrom && existsSync(envFrom) && !existsSync(path.join(out, ".env"))) copyFileSync(envFrom, path.join(out, ".env"));
  return { ok: true, dir: out, root, commit: base.out, branch };
}
