// Peak memory of a process tree: the sum of VmRSS over a process and all its descendants, read
// from /proc every 100 ms (Linux only; elsewhere the peak stays undefined). Shared pages (Node's
// own code) count once per process, so the sum is an upper bound of what the tree costs.
import { readdirSync, readFileSync } from "node:fs";

export interface RssPeak {
  peakMiB: number;
  /** When the peak was seen, in ms after sampling started. */
  atMs: number;
  processes: number;
  /** The process with the most RSS at the peak. */
  largest: { pid: number; command: string; rssMiB: number };
  /** At the peak, by kind of process (vitest worker, esbuild service, ...): how many, and their RSS. */
  byKind: Record<string, { count: number; rssMiB: number }>;
  samples: number;
  /** The most processes the tree had at once (e.g. vitest's workers). */
  maxProcesses: number;
}

const SAMPLE_MS = 100;

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 160);
  } catch {
    return "(gone)";
  }
}

/** What a process is, for the peak's breakdown. */
export function kindOf(command: string): string {
  if (command.includes("vitest.mjs")) return "vitest (main)";
  if (command.includes("harness.mjs")) return `harness (${/harness\.mjs (\S+)/.exec(command)?.[1] ?? "?"})`;
  if (command.includes("esbuild")) return "esbuild service";
  if (command.includes("docker-compose") || command.startsWith("docker ")) return "docker compose";
  if (/\/node\b/.test(command.split(" ")[0] ?? "")) return "vitest worker / other node";
  return command.split(" ")[0]?.split("/").pop() || "(no command line)";
}

function breakdown(rss: { pid: number; kib: number }[]): RssPeak["byKind"] {
  const out: RssPeak["byKind"] = {};
  for (const { pid, kib } of rss) {
    const kind = kindOf(commandOf(pid));
    const entry = out[kind] ?? { count: 0, rssMiB: 0 };
    out[kind] = { count: entry.count + 1, rssMiB: entry.rssMiB + Math.round(kib / 1024) };
  }
  return out;
}

/** The root and every descendant alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(entry);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Samples a process tree until stopped; `stop()` returns the peak. */
export function sampleRss(root: number): { stop: () => RssPeak | undefined } {
  const started = Date.now();
  let peak: RssPeak | undefined;
  let samples = 0;
  let maxProcesses = 0;
  const sample = (): void => {
    let pids: number[];
    try {
      pids = processTree(root);
    } catch {
      return;
    }
    samples++;
    maxProcesses = Math.max(maxProcesses, pids.length);
    const rss = pids.map((pid) => ({ pid, kib: rssKiB(pid) }));
    const total = rss.reduce((sum, p) => sum + p.kib, 0);
    if (total === 0 || (peak && total / 1024 <= peak.peakMiB)) return;
    const top = rss.reduce((a, b) => (b.kib > a.kib ? b : a));
    peak = { peakMiB: Math.round(total / 1024), atMs: Date.now() - started, processes: pids.length, largest: { pid: top.pid, command: commandOf(top.pid), rssMiB: Math.round(top.kib / 1024) }, byKind: breakdown(rss), samples, maxProcesses };
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return peak ? { ...peak, samples, maxProcesses } : undefined;
    },
  };
}
