// Phases of a LibreChat build: each one says when it starts and ends, beats every few seconds
// while it runs, keeps the last lines of its output, and fails as a LibreChatBuildError that
// names it and shows those lines.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const TAIL_LINES = 30;

/** A failed build: `phase` is the phase that failed; the message names it, then its last output lines. */
export class LibreChatBuildError extends Error {
  override name = "LibreChatBuildError";
  readonly phase: string;
  readonly output: string[];

  constructor(message: string, phase: string, output: string[] = []) {
    super(message);
    this.phase = phase;
    this.output = output;
  }
}

/** 0s, 42s, 1m40s, 1h02m03s: short enough for a heartbeat line. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number): string => String(n).padStart(2, "0");
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(seconds)}s`;
  if (minutes > 0) return `${minutes}m${pad(seconds)}s`;
  return `${seconds}s`;
}

/** The last lines of a phase's output (stdout and stderr interleaved as they arrive); `sink` hears all of it. */
export class OutputTail {
  private readonly kept: string[] = [];
  private readonly errors: string[] = [];
  private readonly limit: number;
  private readonly sink: ((chunk: string) => void) | undefined;
  private partial = "";

  constructor(limit = TAIL_LINES, sink?: (chunk: string) => void) {
    this.limit = limit;
    this.sink = sink;
  }

  push(chunk: string): void {
    this.sink?.(chunk);
    const parts = (this.partial + chunk).replace(/\r(?!\n)/g, "\n").split("\n");
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.add(line);
  }

  /** Ends a partial last line, e.g. when the process exits. */
  flush(): void {
    if (this.partial) this.add(this.partial);
    this.partial = "";
  }

  lines(): string[] {
    return this.partial ? [...this.kept, this.partial] : [...this.kept];
  }

  last(): string | undefined {
    return this.lines().at(-1);
  }

  /** The first few lines that look like an error: a tool's cause is often far above its last lines (npm prints its usage after it). */
  firstErrors(): string[] {
    return [...this.errors];
  }

  private add(line: string): void {
    // eslint-disable-next-line no-control-regex -- strips ANSI colour codes from tool output
    const clean = line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "").trimEnd();
    if (!clean.trim()) return;
    if (this.errors.length < 5 && /^(npm error|npm ERR!|error|\[?ERROR\]?)\b.*\w.*\w/i.test(clean) && !/^npm (error|ERR!)\s*$/.test(clean)) {
      this.errors.push(clean);
    }
    this.kept.push(clean);
    if (this.kept.length > this.limit) this.kept.shift();
  }
}

/** The message of a failed phase: which build, which phase, why, then the phase's last lines (and where all of them are). */
export function failureMessage(label: string, phase: string, reason: string, output: string[], logFile?: string, firstErrors: string[] = []): string {
  const head = `${label} failed in phase "${phase}": ${reason}`;
  if (output.length === 0) return head;
  const earlier = firstErrors.filter((line) => !output.includes(line));
  const errors = earlier.length > 0 ? `\n--- first error lines ---\n${earlier.join("\n")}` : "";
  const where = logFile ? `\n--- the whole output is in ${logFile}` : "";
  return `${head}${errors}\n--- last ${output.length} lines of "${phase}" ---\n${output.join("\n")}${where}`;
}

export interface PhaseRecord {
  name: string;
  durationMs: number;
}

/** Runs a build's phases in order, keeps what each one took, and (with a log file) all their output. */
export class PhaseRunner {
  readonly phases: PhaseRecord[] = [];
  readonly label: string;
  private readonly progress: (line: string) => void;
  private readonly heartbeatMs: number;
  private readonly logFile: string | undefined;

  constructor(label: string, progress: (line: string) => void, heartbeatMs = 15_000, logFile?: string) {
    this.label = label;
    this.progress = progress;
    this.heartbeatMs = heartbeatMs;
    this.logFile = logFile;
    if (logFile) {
      mkdirSync(path.dirname(logFile), { recursive: true });
      writeFileSync(logFile, `${label}\n`);
    }
  }

  async run<T>(name: string, work: (tail: OutputTail) => Promise<T>): Promise<T> {
    const started = Date.now();
    const logFile = this.logFile;
    if (logFile) appendFileSync(logFile, `\n=== ${name} (${new Date(started).toISOString()}) ===\n`);
    const tail = new OutputTail(TAIL_LINES, logFile ? (chunk) => appendFileSync(logFile, chunk) : undefined);
    this.progress(`${this.label}: ${name} …`);
    const timer = setInterval(() => {
      const last = tail.last();
      const hint = last ? ` (${last.length > 100 ? `${last.slice(0, 97)}...` : last})` : "";
      this.progress(`${this.label}: ${name} … ${formatElapsed(Date.now() - started)}${hint}`);
    }, this.heartbeatMs);
    timer.unref();
    try {
      const result = await work(tail);
      this.record(name, started);
      this.progress(`${this.label}: ${name} done in ${formatElapsed(Date.now() - started)}`);
      return result;
    } catch (error) {
      this.record(name, started);
      this.progress(`${this.label}: ${name} failed after ${formatElapsed(Date.now() - started)}`);
      if (error instanceof LibreChatBuildError) throw error;
      tail.flush();
      const reason = error instanceof Error ? error.message : String(error);
      const message = failureMessage(this.label, name, reason, tail.lines(), this.logFile, tail.firstErrors());
      throw new LibreChatBuildError(message, name, tail.lines());
    } finally {
      clearInterval(timer);
    }
  }

  private record(name: string, started: number): void {
    this.phases.push({ name, durationMs: Date.now() - started });
  }
}

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Runs one program to completion, its output into the phase's tail; rejects on a non-zero exit. */
export function runCommand(command: string, args: string[], options: CommandOptions, tail: OutputTail): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => tail.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => tail.push(chunk));
    child.on("error", (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on("close", (code, signal) => {
      tail.flush();
      if (code === 0) resolve();
      else reject(new Error(`\`${[command, ...args].join(" ")}\` exited with ${signal ? `signal ${signal}` : `code ${code}`}`));
    });
  });
}
