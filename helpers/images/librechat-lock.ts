// One build per inputs hash at a time: a lock file created exclusively, holding the owner's
// pid. A second process waits for it (then finds the image built), and takes over a lock
// whose owner is gone.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockOwner(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Locks this process holds: a lock file with our own pid but not in here is a leftover. */
const heldHere = new Set<string>();

function tryCreate(file: string): boolean {
  try {
    writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Takes the lock `<dir>/<key>.lock`, waiting while a live process holds it; `onWait` hears
 * the holder's pid and the time waited when a wait starts and then every 15 s. Returns the
 * release function.
 */
export async function acquireLock(
  dir: string,
  key: string,
  onWait: (pid: number, waitedMs: number) => void,
  pollMs = 1000,
): Promise<() => void> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${key}.lock`);
  const started = Date.now();
  let announced: number | undefined;
  for (;;) {
    if (!heldHere.has(file) && tryCreate(file)) {
      heldHere.add(file);
      return () => releaseLock(file);
    }
    const owner = lockOwner(file);
    const stale = owner === process.pid ? !heldHere.has(file) : owner === undefined || !processAlive(owner);
    if (stale) {
      // A dead owner's lock (or a half-written one): take it over; the exclusive create above
      // decides between two takers. (Two takers that both remove in the same instant can both
      // build: harmless, since every build stages in its own directory.)
      if (owner === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
      if (lockOwner(file) === owner) rmSync(file, { force: true });
      continue;
    }
    if (owner !== undefined && (announced === undefined || Date.now() - announced >= 15_000)) {
      announced = Date.now();
      onWait(owner, announced - started);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function releaseLock(file: string): void {
  heldHere.delete(file);
  if (lockOwner(file) === process.pid) rmSync(file, { force: true });
}
