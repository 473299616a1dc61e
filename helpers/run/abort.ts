// What a process must remove when it ends early: on Ctrl-C or SIGTERM, and when its main
// function throws. Each command registers the runs it owns (a shared stack, a port holder) and
// unregisters them once they are removed the normal way.
type Cleanup = () => Promise<unknown>;

const pending = new Map<number, { what: string; cleanup: Cleanup }>();
let nextKey = 0;
let installed = false;

async function runAll(log: (line: string) => void): Promise<void> {
  const all = [...pending.values()].reverse();
  pending.clear();
  for (const { what, cleanup } of all) {
    log(`removing ${what}`);
    await cleanup().catch((error: unknown) => log(`could not remove ${what}: ${error instanceof Error ? error.message : String(error)}`));
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
