// What a process must remove when it ends early: on Ctrl-C or SIGTERM, and when its main
// function throws. Each command registers the runs it owns (a shared stack, a port holder) and
// unregisters them once they are removed the normal way.
import type { ChildProcess } from "node:child_process";

type Cleanup = () => Promise<unknown>;

/**
 * Harness runs this process started against a stack it owns: on Ctrl-C they get the signal too
 * and may still be creating a container on that stack (a suite's own LibreChat, a probe) while
 * they stop; removing the stack before they have ended would leave that container behind.
 */
const children = new Set<ChildProcess>();

/** How long the cleanup waits for those runs to end before it removes what it owns anyway. */
const CHILDREN_GRACE_MS = 30_000;

const pending = new Map<number, { what: string; cleanup: Cleanup }>();
let nextKey = 0;
let installed = false;

async function childrenEnded(log: (line: string) => void): Promise<void> {
  const running = [...children].filter((child) => child.exitCode === null && child.signalCode === null);
  if (running.length === 0) return;
  log(`waiting for ${running.length} harness run(s) of this process to stop`);
  let timer: NodeJS.Timeout | undefined;
  const ended = Promise.all(running.map((child) => new Promise((resolve) => child.once("exit", resolve))));
  const late = new Promise((resolve) => (timer = setTimeout(resolve, CHILDREN_GRACE_MS)));
  await Promise.race([ended, late]);
  clearTimeout(timer);
}

async function runAll(log: (line: string) => void): Promise<void> {
  await childrenEnded(log);
  const all = [...pending.values()].reverse();
  pending.clear();
  for (const { what, cleanup } of all) {
    log(`removing ${what}`);
    const problems = await cleanup().catch((error: unknown) => [error instanceof Error ? error.message : String(error)]);
    // removeRun resolves with what it could not remove.
    if (Array.isArray(problems) && problems.length > 0) log(`could not remove all of ${what}: ${problems.join("; ")}`);
  }
}

function install(log: (line: string) => void): void {
  if (installed) return;
  installed = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void runAll(log).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}

/** A harness run started by this process: the cleanup waits for it to end (see `children`). */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** Registers what to remove if the process ends early; the returned function unregisters it. */
export function onAbort(what: string, cleanup: Cleanup, log: (line: string) => void = (line) => console.error(`[harness] ${line}`)): () => void {
  install(log);
  const key = nextKey++;
  pending.set(key, { what, cleanup });
  return () => void pending.delete(key);
}

/** Removes everything still registered (runMain calls it when main throws). */
export function abortAll(log: (line: string) => void = (line) => console.error(`[harness] ${line}`)): Promise<void> {
  return runAll(log);
}
