import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatFinding, lintWorkflows, lintWorkflowsCommand } from "./lint-workflows.ts";

// A matrix named `version`, read back as `versoin` on line 12, column 24.
const TYPO_WORKFLOW = `name: typo
on: push
jobs:
  checklist:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        version: [v0.8.7, latest]
    steps:
      - uses: actions/checkout@v4
      - name: checklist
        run: echo "\${{ matrix.versoin }}"
`;

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

async function workflowDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lint-workflows-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe("lint-workflows", () => {
  it("catches a matrix typo, with its place and actionlint's rule", async () => {
    const dir = await workflowDir({ "typo.yml": TYPO_WORKFLOW, "notes.txt": "not a workflow" });
    const { files, findings } = await lintWorkflows(dir);
    expect(files).toEqual([path.join(dir, "typo.yml")]);
    expect(findings.map(formatFinding)).toEqual([
      `${path.join(dir, "typo.yml")}:12:24: property "versoin" is not defined in object type {version: string} [expression]`,
    ]);
    const lines: string[] = [];
    expect(await lintWorkflowsCommand(dir, (line) => lines.push(line))).toBe(1);
    expect(lines.at(-1)).toBe("actionlint: 1 workflow(s), 1 finding(s)");
  });

  it("passes the repository's workflows, with one line", async () => {
    const { files, findings } = await lintWorkflows();
    expect(files.map((file) => path.basename(file))).toEqual(
      expect.arrayContaining(["ci.yml", "librechat-bump.yml", "nightly.yml"]),
    );
    expect(findings.map(formatFinding)).toEqual([]);
    const lines: string[] = [];
    expect(await lintWorkflowsCommand(undefined, (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([`actionlint: ${files.length} workflow(s), no findings`]);
  });

  it("fails when there is no workflow to lint", async () => {
    const lines: string[] = [];
    expect(await lintWorkflowsCommand(await workflowDir({}), (line) => lines.push(line))).toBe(1);
    expect(lines).toHaveLength(1);
  });
});
