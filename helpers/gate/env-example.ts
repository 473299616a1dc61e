// `.env.example` of two checkouts, compared: the variables each documents (set, or commented
// out as `# NAME=value`), which were added, removed or renamed, and which changed their default.
//
// A rename is a removed variable and an added one that are judged the same setting: either they
// carry the same distinctive example value (at least 6 characters, not a bare true/false/number,
// which many unrelated variables share), or their names are close: at most 2 edits apart, the
// same words in another order, or the same words with one word added or dropped (RAG_URL →
// RAG_API_URL). Words that differ are not close (YOUTUBE_API_KEY and GEMINI_API_KEY are two
// settings). Each removed variable pairs with at most one added one, the closest first.

export interface EnvVariable {
  name: string;
  value: string;
  /** false when the example leaves it commented out. */
  active: boolean;
  line: number;
}

export interface EnvRename {
  from: string;
  to: string;
  why: string;
}

export interface EnvDiff {
  added: EnvVariable[];
  removed: EnvVariable[];
  renamed: EnvRename[];
  /** Documented on both sides, commented out before and set now. */
  activated: string[];
  /** Set before, commented out now. */
  commentedOut: string[];
  /** Set on both sides with another example value. */
  defaultChanged: { name: string; from: string; to: string }[];
}

const ACTIVE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;
const COMMENTED = /^#\s*([A-Z][A-Z0-9_]*)\s*=(.*)$/;

function cleanValue(raw: string): string {
  let value = raw.trim();
  const quoted = /^(["'])(.*)\1(\s+#.*)?$/.exec(value);
  if (quoted) return quoted[2] ?? "";
  value = value.replace(/\s+#.*$/, "");
  return value.trim();
}

/** Every variable the file documents; a set line wins over a commented one of the same name. */
export function parseEnvExample(text: string): Map<string, EnvVariable> {
  const out = new Map<string, EnvVariable>();
  const rows = text.replace(/\r\n?/g, "\n").split("\n");
  rows.forEach((row, index) => {
    const trimmed = row.trim();
    const active = ACTIVE.exec(trimmed);
    const commented = active ? undefined : COMMENTED.exec(trimmed);
    const match = active ?? commented;
    if (!match) return;
    const name = match[1]!;
    const current = out.get(name);
    if (current && (current.active || !active)) return;
    out.set(name, { name, value: cleanValue(match[2] ?? ""), active: Boolean(active), line: index + 1 });
  });
  return out;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function sameWordsOneApart(a: string[], b: string[]): boolean {
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length !== short.length + 1) return false;
  return long.some((_, skip) => long.filter((__, i) => i !== skip).join("_") === short.join("_"));
}

/** Why two names are one setting renamed, or undefined when they are not close. */
export function closeNames(from: string, to: string): string | undefined {
  const a = from.split("_").filter(Boolean);
  const b = to.split("_").filter(Boolean);
  if (editDistance(from, to) <= 2) return `names ${editDistance(from, to)} edit(s) apart`;
  if (a.length === b.length && [...a].sort().join("_") === [...b].sort().join("_")) return "the same words in another order";
  if (sameWordsOneApart(a, b)) return "the same words with one word added or dropped";
  return undefined;
}

function distinctive(value: string): boolean {
  return value.length >= 6 && !/^(true|false|yes|no|on|off|\d+(\.\d+)?)$/i.test(value);
}

function renameWhy(from: EnvVariable, to: EnvVariable): { why: string; score: number } | undefined {
  if (distinctive(from.value) && from.value === to.value) return { why: `the same example value ${JSON.stringify(from.value.slice(0, 40))}`, score: 0 };
  const close = closeNames(from.name, to.name);
  return close ? { why: close, score: 1 + editDistance(from.name, to.name) / 100 } : undefined;
}

function pairRenames(removed: EnvVariable[], added: EnvVariable[]): EnvRename[] {
  const pairs: { from: EnvVariable; to: EnvVariable; why: string; score: number }[] = [];
  for (const from of removed) for (const to of added) {
    const judged = renameWhy(from, to);
    if (judged) pairs.push({ from, to, ...judged });
  }
  pairs.sort((x, y) => x.score - y.score || x.from.name.localeCompare(y.from.name));
  const used = new Set<string>();
  const renames: EnvRename[] = [];
  for (const pair of pairs) {
    if (used.has(`-${pair.from.name}`) || used.has(`+${pair.to.name}`)) continue;
    used.add(`-${pair.from.name}`).add(`+${pair.to.name}`);
    renames.push({ from: pair.from.name, to: pair.to.name, why: pair.why });
  }
  return renames;
}

export function diffEnvExample(baselineText: string, candidateText: string): EnvDiff {
  const before = parseEnvExample(baselineText);
  const after = parseEnvExample(candidateText);
  const gone = [...before.values()].filter((v) => !after.has(v.name));
  const fresh = [...after.values()].filter((v) => !before.has(v.name));
  const renamed = pairRenames(gone, fresh);
  const renamedFrom = new Set(renamed.map((r) => r.from));
  const renamedTo = new Set(renamed.map((r) => r.to));
  const both = [...after.values()].filter((v) => before.has(v.name)).map((v) => ({ now: v, then: before.get(v.name)! }));
  return {
    added: fresh.filter((v) => !renamedTo.has(v.name)),
    removed: gone.filter((v) => !renamedFrom.has(v.name)),
    renamed,
    activated: both.filter(({ now, then }) => now.active && !then.active).map(({ now }) => now.name),
    commentedOut: both.filter(({ now, then }) => !now.active && then.active).map(({ now }) => now.name),
    defaultChanged: both.filter(({ now, then }) => now.active && then.active && now.value !== then.value).map(({ now, then }) => ({ name: now.name, from: then.value, to: now.value })),
  };
}
