// Whether a fixture's inputs changed, without bundling it again: bundling every fixture on every
// run cost 0.1-0.3 s each (and the 20 MB jongodb binary was read and hashed each time). After a
// fixture was bundled and hashed, this records every file its inputs hash depends on (the build
// context, every file esbuild read, the package.json/tsconfig.json files that steer esbuild's
// resolution, the harness's own bundling code) with its stat, and the hash they gave. A later run
// whose stats all match knows the hash without reading a file. Any write to a file changes its
// ctime (which no user can set back) and its inode or size or mtime, so a changed file never
// passes as unchanged; a file that changed shortly before or while the hash was taken is never
// recorded (see RACY_MS), so the recorded stats are those of the content that was hashed.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";

/** Git ignores .harness/; one small JSON file per fixture. */
export const FIXTURE_CACHE_DIR = path.join(REPO_ROOT, ".harness", "fixture-cache");

/**
 * A file whose mtime or ctime is this close to (or after) the start of the hashing is not recorded:
 * a second write in the same timestamp tick as the first (ext4: a few ms; ext3, HFS+: 1 s; FAT: 2 s)
 * would leave its stat as it was, and a write during the hashing would not be in the hash.
 */
export const RACY_MS = 3000;

/** Files next to an input that change how esbuild resolves or compiles it. */
const RESOLUTION_FILES = ["package.json", "tsconfig.json", "jsconfig.json"];

export interface CacheOptions {
  cacheDir: string;
  racyMs: number;
}

export const DEFAULT_CACHE_OPTIONS: CacheOptions = { cacheDir: FIXTURE_CACHE_DIR, racyMs: RACY_MS };

interface CacheEntry {
  /** Everything the hash depends on besides files: the base image's id, the fixture's definition. */
  context: string;
  /** The build context's file list: a new or removed file is a change. */
  contextFiles: string[];
  /** Absolute path to `size:mtimeNs:ctimeNs:ino:dev`, or "absent". */
  stamps: Record<string, string>;
  hash: string;
}

interface Stamp {
  stamp: string;
  /** The later of mtime and ctime, in ms; undefined for an absent file. */
  changedAtMs: number | undefined;
}

function stampOf(file: string): Stamp {
  try {
    const s = statSync(file, { bigint: true });
    const changedNs = s.ctimeNs > s.mtimeNs ? s.ctimeNs : s.mtimeNs;
    return { stamp: `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}`, changedAtMs: Number(changedNs / 1_000_000n) };
  } catch {
    return { stamp: "absent", changedAtMs: undefined };
  }
}

/** The inputs plus the resolution files of every directory they lie in, and of those directories' parents. */
function withResolutionFiles(inputs: readonly string[]): string[] {
  const files = new Set(inputs);
  const dirs = new Set<string>();
  for (const input of inputs) {
    for (let dir = path.dirname(input); !dirs.has(dir); dir = path.dirname(dir)) {
      dirs.add(dir);
      for (const name of RESOLUTION_FILES) files.add(path.join(dir, name));
      if (path.dirname(dir) === dir) break;
    }
  }
  return [...files].sort();
}

const entryFile = (options: CacheOptions, fixture: string): string => path.join(options.cacheDir, `${fixture}.json`);

function readEntry(file: string): CacheEntry | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
  } catch {
    return undefined;
  }
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);

/** The inputs hash recorded for this fixture, when its context and every recorded file are as they were. */
export function cachedInputsHash(fixture: string, context: string, contextFiles: readonly string[], options: CacheOptions = DEFAULT_CACHE_OPTIONS): string | undefined {
  const entry = readEntry(entryFile(options, fixture));
  if (!entry || entry.context !== context || !sameList(entry.contextFiles, contextFiles)) return undefined;
  for (const [file, stamp] of Object.entries(entry.stamps)) {
    if (stampOf(file).stamp !== stamp) return undefined;
  }
  return entry.hash;
}

/**
 * Records `hash` for the files it was computed from (absolute paths), stat'ed now, after the
 * hashing; `startedAtMs`: when the bundling and hashing began. Returns false, recording nothing
 * (and forgetting what was recorded before), when a file changed too close to that moment.
 */
export function recordInputsHash(
  fixture: string,
  record: { context: string; contextFiles: readonly string[]; inputs: readonly string[]; hash: string; startedAtMs: number },
  options: CacheOptions = DEFAULT_CACHE_OPTIONS,
): boolean {
  const file = entryFile(options, fixture);
  const stamps: Record<string, string> = {};
  for (const input of withResolutionFiles(record.inputs)) {
    const { stamp, changedAtMs } = stampOf(input);
    if (changedAtMs !== undefined && changedAtMs >= record.startedAtMs - options.racyMs) {
      rmSync(file, { force: true });
      return false;
    }
    stamps[input] = stamp;
  }
  const entry: CacheEntry = { context: record.context, contextFiles: [...record.contextFiles], stamps, hash: record.hash };
  mkdirSync(options.cacheDir, { recursive: true });
  // Runs side by side check the same fixtures: each writes whole files, atomically.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(entry));
  renameSync(temporary, file);
  return true;
}
