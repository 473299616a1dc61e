// A CPU hog for the saturated-host self-test: every core kept busy for as long as it runs, with
// Debian's stress-ng when it is installed, else one busy Node process per core.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import os from "node:os";

export interface Hog {
  what: string;
  stop: () => void;
}

export function startCpuHog(): Hog {
  const cores = os.availableParallelism();
  const children: ChildProcess[] = [];
  let what: string;
  if (spawnSync("stress-ng", ["--version"], { stdio: "ignore" }).status === 0) {
    children.push(spawn("stress-ng", ["--cpu", String(cores), "--timeout", "0", "--quiet"], { stdio: "ignore" }));
    what = `stress-ng --cpu ${cores}`;
  } else {
    for (let i = 0; i < cores; i++) children.push(spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
    what = `${cores} busy Node processes (stress-ng is not installed)`;
  }
  return {
    what,
    stop: () => {
      for (const child of children) child.kill("SIGKILL");
    },
  };
}
