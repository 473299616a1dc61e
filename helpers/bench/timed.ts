// One command timed as a whole process, from spawn to exit, with each output line's time and,
// on request, the peak RSS of its process tree. Ctrl-C (or a failing bench) stops it first.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";
import { onAbort } from "../run/abort.ts";
import { sampleRss, type RssPeak } from "./rss.ts";

export interface TimedLine {
  /** ms after spawn */
  atMs: number;
  text: string;
}

export interface TimedRun {
  argv: string[];
  exitCode: number;
  durationMs: number;
  /** Wall-clock time of the spawn (epoch ms), to place Docker's timestamps on the run's timeline. */
  spawnedAt: number;
  lines: TimedLine[];
  rss: RssPeak | undefined;
  /** Where the output went. */
  log: string;
}

export interface TimedOptions {
  env: NodeJS.ProcessEnv;
  /** The output file (both streams, each line with its time). */
  log: string;
  sampleRss?: boolean;
}

// Colour codes (ESC [ ... m) come off, so patterns match the text a person reads.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** Lines of a stream, each stamped with its time after `t0`. */
function collect(stream: NodeJS.ReadableStream, t0: number, sink: (line: TimedLine) => void): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    for (const text of parts) sink({ atMs: performance.now() - t0, text: text.replace(ANSI, "") });
  });
  stream.on("end", () => {
    if (rest) sink({ atMs: performance.now() - t0, text: rest.replace(ANSI, "") });
  });
}

/** Runs `argv` in the repository; resolves once it exited (exit code 130 after a signal). */
export function timed(argv: string[], options: TimedOptions): Promise<TimedRun> {
  mkdirSync(path.dirname(options.log), { recursive: true });
  const out = createWriteStream(options.log);
  const lines: TimedLine[] = [];
  const t0 = performance.now();
  const spawnedAt = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  // The time is the process's exit; the output is complete once its streams close.
  let exitAt: number | undefined;
  child.on("exit", () => (exitAt = performance.now()));
  const exited = new Promise<number>((resolve) => {
    child.on("error", () => resolve(127));
    child.on("close", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
  // Ctrl-C or SIGTERM, or a failing bench: ask the child to stop as Ctrl-C would (it removes what it
  // started) and wait for it; the bench then removes the child's run itself as well.
  const forget = onAbort(`${path.basename(argv[1] ?? argv[0]!)} ${argv.slice(2).join(" ")} (pid ${child.pid})`, async () => {
    child.kill("SIGINT");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  }, benchLog);
  const sampler = options.sampleRss && child.pid ? sampleRss(child.pid) : undefined;
  const sink = (line: TimedLine): void => {
    lines.push(line);
    out.write(`${(line.atMs / 1000).toFixed(3).padStart(8)} ${line.text}\n`);
  };
  collect(child.stdout, t0, sink);
  collect(child.stderr, t0, sink);
  return exited.then((exitCode) => {
    const durationMs = (exitAt ?? performance.now()) - t0;
    forget();
    const rss = sampler?.stop();
    out.end();
    return { argv, exitCode, durationMs, spawnedAt, lines, rss, log: options.log };
  });
}

export function benchLog(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

/** The first line matching `pattern`, with its time. */
export function firstLine(run: TimedRun, pattern: RegExp): { line: TimedLine; match: RegExpExecArray } | undefined {
  for (const line of run.lines) {
    const match = pattern.exec(line.text);
    if (match) return { line, match };
  }
  return undefined;
}

/** The output's last lines, for a failure message. */
export function tail(run: TimedRun, count = 15): string {
  return run.lines.slice(-count).map((l) => `  ${l.text}`).join("\n");
}
