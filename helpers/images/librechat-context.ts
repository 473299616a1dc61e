// What of a checkout goes into a build: the checkout's own .dockerignore applied as Docker
// applies it, minus build outputs (node_modules, dist) that the build makes again; and the
// hash of those inputs that names and labels the image.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";

export interface IgnoreRule {
  pattern: string;
  negated: boolean;
  regex: RegExp;
}

/** What the build makes again, never taken from the checkout (dockerignore syntax). */
export const BUILD_OUTPUTS = ["**/node_modules", "client/dist", "packages/*/dist"];

/** Parses .dockerignore text: comments, blank lines, `!` exceptions, leading `/` and `./` dropped. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    if (negated) line = line.slice(1).trim();
    const pattern = path.posix.normalize(line).replace(/^\/+/, "").replace(/\/+$/, "");
    if (!pattern || pattern === ".") continue;
    rules.push({ pattern, negated, regex: patternRegex(pattern) });
  }
  return rules;
}

/** Docker's pattern language: `**` any number of directories, `*` and `?` within one name, `[...]` classes. */
function patternRegex(pattern: string): RegExp {
  let out = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*" && pattern[i + 1] === "*") {
      i++;
      if (pattern[i + 1] === "/") {
        i++;
        out += "(?:.*/)?";
      } else out += ".*";
    } else if (ch === "*") out += "[^/]*";
    else if (ch === "?") out += "[^/]";
    else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += `[${pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (ch === "\\" && i + 1 < pattern.length) out += escapeRegex(pattern[++i]!);
    else out += escapeRegex(ch);
  }
  return new RegExp(`${out}$`);
}

function escapeRegex(ch: string): string {
  return /[.+^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** As Docker decides: the last rule that matches the path or one of its parents wins. */
export function isIgnored(rel: string, rules: IgnoreRule[]): boolean {
  const parts = rel.split("/");
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}

export type EntryKind = "dir" | "file" | "symlink";

export interface ContextEntry {
  rel: string;
  kind: EntryKind;
  mode: number;
}

export function readDockerignore(dir: string): IgnoreRule[] {
  const file = path.join(dir, ".dockerignore");
  return existsSync(file) ? parseDockerignore(readFileSync(file, "utf8")) : [];
}

/**
 * The build's inputs, sorted: every directory, file and symlink of the checkout that its
 * .dockerignore keeps, except extraExcludes (by default BUILD_OUTPUTS). An excluded directory is skipped whole unless an
 * exception rule could bring something inside it back.
 */
export function listInputs(dir: string, rules: IgnoreRule[] = readDockerignore(dir), extraExcludes = BUILD_OUTPUTS): ContextEntry[] {
  const all = [...rules, ...parseDockerignore(extraExcludes.join("\n"))];
  const hasExceptions = all.some((rule) => rule.negated);
  const out: ContextEntry[] = [];
  const walk = (prefix: string): void => {
    const names = readdirSync(prefix ? path.join(dir, prefix) : dir).sort();
    for (const name of names) {
      const rel = prefix ? `${prefix}/${name}` : name;
      const stat = lstatSync(path.join(dir, rel));
      const ignored = isIgnored(rel, all);
      if (stat.isDirectory()) {
        if (!ignored) out.push({ rel, kind: "dir", mode: stat.mode & 0o7777 });
        if (!ignored || hasExceptions) walk(rel);
      } else if (!ignored && (stat.isFile() || stat.isSymbolicLink())) {
        out.push({ rel, kind: stat.isFile() ? "file" : "symlink", mode: stat.mode & 0o7777 });
      }
    }
  };
  walk("");
  return out;
}

/**
 * sha256 (hex) over the inputs (path, kind, executable bit, content or link target) and the
 * extra facts that change the image (base image id, recipe version, mode, commit, ...).
 */
export function inputsHash(dir: string, entries: ContextEntry[], extras: Record<string, string>): string {
  const hash = createHash("sha256");
  for (const key of Object.keys(extras).sort()) hash.update(`extra ${key}=${extras[key]}\n`);
  for (const entry of entries) {
    const executable = entry.mode & 0o111 ? "x" : "-";
    hash.update(`${entry.kind} ${executable} ${entry.rel}\n`);
    if (entry.kind === "file") hash.update(readFileSync(path.join(dir, entry.rel)));
    else if (entry.kind === "symlink") hash.update(readlinkSync(path.join(dir, entry.rel)));
    hash.update("\n");
  }
  return hash.digest("hex");
}
