import { spawn } from "node:child_process";
import { REPO_ROOT } from "../config.ts";

/** Runs one vitest project in a child process; resolves with its exit code (130 after a signal). */
export function runVitest(project: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", project, ...args], { cwd: REPO_ROOT, stdio: "inherit", env });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}
