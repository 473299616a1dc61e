import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixtureInputs } from "./build.ts";
import type { CacheOptions } from "./fixture-cache.ts";
import type { FixtureDefinition } from "./fixtures.ts";

let root: string;
let def: FixtureDefinition;
let options: CacheOptions;

/** A throw-away fixture: src/main.ts importing src/lib.ts, bundled like the project's. */
beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "lch-fixture-cache-"));
  const dir = path.join(root, "fixture");
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
  writeFileSync(path.join(dir, "src", "main.ts"), 'import { answer } from "./lib.ts";\nconsole.log(answer);\n');
  writeFileSync(path.join(dir, "src", "lib.ts"), "export const answer = 41;\n");
  def = { dir, tag: "localhost/librechat-harness/cache-test:local", prep: { kind: "bundle" }, standin: false };
  // The tests' files are seconds old at most: no racy window, and a pause wherever a file was just written.
  options = { cacheDir: path.join(root, "cache"), racyMs: 0 };
  await delay(20);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Two checks: the first bundles (and writes dist/, too fresh to record), the second records. */
async function primed(baseImageId = "base-1"): Promise<string> {
  await fixtureInputs("t", def, baseImageId, options);
  await delay(20);
  const second = await fixtureInputs("t", def, baseImageId, options);
  await delay(20);
  return second.hash;
}

describe("the fixture cache", () => {
  it("knows an unchanged fixture's inputs hash without bundling it", async () => {
    const hash = await primed();
    const third = await fixtureInputs("t", def, "base-1", options);
    expect(third).toMatchObject({ checkedBy: "cache", hash });
  });

  it("bundles again when a source changed, even with its size and mtime put back", async () => {
    const lib = path.join(def.dir, "src", "lib.ts");
    // A whole second, so that utimes can put it back exactly.
    const mtime = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    utimesSync(lib, mtime, mtime);
    await delay(20);
    const hash = await primed();
    writeFileSync(lib, "export const answer = 42;\n");
    utimesSync(lib, mtime, mtime);
    expect(statSync(lib, { bigint: true }).mtimeNs).toBe(BigInt(mtime.getTime()) * 1_000_000n);
    const changed = await fixtureInputs("t", def, "base-1", options);
    expect(changed.checkedBy).toBe("bundle");
    expect(changed.hash).not.toBe(hash);
    expect(readFileSync(path.join(def.dir, "dist", "main.mjs"), "utf8")).toContain("42");
  });

  it("bundles again when a file joins the build context, a resolution file appears, or the base image changed", async () => {
    const hash = await primed();
    writeFileSync(path.join(def.dir, "src", "extra.ts"), "export {};\n");
    expect((await fixtureInputs("t", def, "base-1", options)).checkedBy).toBe("bundle");
    const primedAgain = await primed();
    expect(primedAgain).not.toBe(hash);
    writeFileSync(path.join(root, "tsconfig.json"), "{}\n");
    expect((await fixtureInputs("t", def, "base-1", options)).checkedBy).toBe("bundle");
    await primed();
    expect((await fixtureInputs("t", def, "base-2", options)).checkedBy).toBe("bundle");
  });

  it("never records files that changed within the racy window", async () => {
    const racy = { ...options, racyMs: 60_000 };
    await fixtureInputs("t", def, "base-1", racy);
    expect((await fixtureInputs("t", def, "base-1", racy)).checkedBy).toBe("bundle");
  });

  it("leaves no esbuild service running after bundling", async () => {
    await fixtureInputs("t", def, "base-1", options);
    const children = execFileSync("ps", ["-o", "args=", "--ppid", String(process.pid)], { encoding: "utf8" });
    expect(children).not.toMatch(/esbuild.*--service/);
  });
});
