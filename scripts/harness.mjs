// Entry point of every npm script that runs harness code: checks Node first, in plain
// JavaScript, because an older Node cannot even load the TypeScript that follows.
import module from "node:module";
import { fileURLToPath, URL } from "node:url";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  console.error(
    `Node ${process.versions.node} is too old: librechat-harness needs Node >= 22.22 (Testcontainers 12 and TypeScript type stripping). ` +
      "Install Node 24 (on a bare Debian host `bash .ci/run` provides it) and run the command again.",
  );
  process.exit(1);
}
const command = process.argv[2];
const commands = new Set(["checklist", "selftest", "faults", "build-images", "build-librechat", "clean", "bench", "up", "down", "lint-workflows", "soak", "gate"]);
if (!commands.has(command)) {
  console.error(`usage: node scripts/harness.mjs <${[...commands].join("|")}> [args]`);
  process.exit(2);
}
// Node's compile cache: the harness, vitest and each of vitest's workers load the same modules
// (Testcontainers, dockerode, vitest itself) on every run; compiled once, they load in about
// two thirds of the time. Set in the environment too, so that the processes started from here
// use it (NODE_COMPILE_CACHE set by the user wins; NODE_DISABLE_COMPILE_CACHE turns it off).
process.env.NODE_COMPILE_CACHE ||= fileURLToPath(new URL("../.harness/compile-cache", import.meta.url));
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
process.argv.splice(2, 1);
await import(`./${command}.ts`);
