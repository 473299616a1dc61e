// The shape of the library, as rules that fail when broken (README "Layout"): no module imports
// from a layer above its own, the suites see only helpers/suite/, and no module or function
// grows past what one reading holds.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./config.ts";

/** Lower layers never import higher ones; folders of one layer do not import each other. */
const LAYERS: Record<string, number> = {
  "helpers/docker": 0,
  "helpers/config.ts": 0,
  "helpers/compose": 1,
  "helpers/images": 1,
  "helpers/stack": 2,
  "helpers/report": 3,
  "helpers/run": 4,
  "helpers/suite": 4,
  "helpers/faults": 5,
  "helpers/bench": 5,
  "helpers/guide": 5,
  "helpers/gate": 6,
  "helpers/soak": 6,
  "helpers/selftest": 7,
};
/** Tables (data, not logic) may be long. */
const TABLES = new Set(["helpers/faults/catalog.ts"]);
const MAX_MODULE_LINES = 300;
const MAX_FUNCTION_LINES = 60;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (entry.name.endsWith(".ts")) out.push(rel);
  }
  return out;
}

const isTest = (file: string): boolean => file.endsWith(".test.ts");
const isTestSupport = (file: string): boolean => file.startsWith("helpers/testing/");

function layerOf(file: string): { key: string; layer: number } | undefined {
  const key = Object.keys(LAYERS).find((k) => file === k || file.startsWith(`${k}/`));
  return key === undefined ? undefined : { key, layer: LAYERS[key]! };
}

/** The repository paths a module imports (relative specifiers only), and its package imports. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(path.join(REPO_ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']/gm)].map((m) => (m[1] ?? m[2])!);
  const local = specifiers.filter((s) => s.startsWith(".")).map((s) => path.relative(REPO_ROOT, path.resolve(path.dirname(path.join(REPO_ROOT, file)), s)));
  return { local, packages: specifiers.filter((s) => !s.startsWith(".")) };
}

describe("the library's layers", () => {
  const library = sourceFiles("helpers").filter((f) => !isTest(f) && !isTestSupport(f));

  it("every library module belongs to a layer", () => {
    expect(library.filter((f) => !layerOf(f))).toEqual([]);
  });

  it("no module imports from a layer above its own, or from another folder of its layer", () => {
    const wrong: string[] = [];
    for (const file of library) {
      const own = layerOf(file)!;
      for (const target of importsOf(file).local) {
        const theirs = layerOf(target);
        if (!theirs) wrong.push(`${file} imports ${target}, outside the library`);
        else if (theirs.layer > own.layer || (theirs.layer === own.layer && theirs.key !== own.key)) wrong.push(`${file} (${own.key}) imports ${target} (${theirs.key})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("the suites import only helpers/suite/, vitest and Node's own modules", () => {
    const wrong: string[] = [];
    for (const file of sourceFiles("suites")) {
      const { local, packages } = importsOf(file);
      wrong.push(...local.filter((t) => !t.startsWith("helpers/suite/")).map((t) => `${file} imports ${t}`));
      wrong.push(...packages.filter((p) => p !== "vitest" && !p.startsWith("node:")).map((p) => `${file} imports ${p}`));
    }
    expect(wrong).toEqual([]);
  });
});

function longFunctions(file: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = (node as ts.FunctionLikeDeclaration).name?.getText(source) ?? `(anonymous at line ${start + 1})`;
      if (end - start + 1 > MAX_FUNCTION_LINES) found.push(`${file}: ${name} has ${end - start + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("sizes a reader can hold", () => {
  const library = sourceFiles("helpers").filter((f) => !isTest(f));

  it(`no module in helpers/ is over ${MAX_MODULE_LINES} lines (tables aside)`, () => {
    const long = library
      .filter((f) => !TABLES.has(f))
      .map((f) => ({ f, lines: readFileSync(path.join(REPO_ROOT, f), "utf8").split("\n").length }))
      .filter(({ lines }) => lines > MAX_MODULE_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it(`no function in helpers/ is over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(library.flatMap(longFunctions)).toEqual([]);
  });
});
