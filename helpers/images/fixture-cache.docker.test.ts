// The fixture cache end to end: a throw-away fixture image is built, reused while its sources are
// unchanged (checked from the cache, without bundling), and rebuilt once a source changes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, expect, it } from "vitest";
import { readConfig } from "../config.ts";
import { docker } from "../docker/client.ts";
import { buildChecked, fixtureStatus } from "./build.ts";
import type { FixtureDefinition } from "./fixtures.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "lch-fixture-rebuild-"));
const tag = `localhost/librechat-harness/cache-test-${process.pid}:local`;
const built: string[] = [];

afterAll(async () => {
  for (const id of built.reverse()) await docker().getImage(id).remove({ force: true }).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

it("rebuilds a fixture image when a source changed, and only then", async () => {
  const baseImage = readConfig().fixtureBaseImage;
  const dir = path.join(root, "fixture");
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "Dockerfile"), "ARG BASE_IMAGE=node:24-slim\nFROM ${BASE_IMAGE}\nCOPY dist/main.mjs /app/main.mjs\n");
  writeFileSync(path.join(dir, "src", "main.ts"), 'import { answer } from "./lib.ts";\nconsole.log(answer);\n');
  writeFileSync(path.join(dir, "src", "lib.ts"), "export const answer = 41;\n");
  const def: FixtureDefinition = { dir, tag, prep: { kind: "bundle" }, standin: false };
  const options = { cacheDir: path.join(root, "cache"), racyMs: 0 };
  const check = async () => {
    await delay(20);
    const status = await fixtureStatus("cache-test", def, baseImage, options);
    const result = await buildChecked(status, baseImage);
    if (result.built) built.push((await docker().getImage(tag).inspect()).Id);
    return { checkedBy: status.checkedBy, built: result.built, hash: result.hash };
  };

  const first = await check();
  expect(first.built).toBe(true);
  expect(await check()).toEqual({ checkedBy: "bundle", built: false, hash: first.hash });
  expect(await check()).toEqual({ checkedBy: "cache", built: false, hash: first.hash });
  writeFileSync(path.join(dir, "src", "lib.ts"), "export const answer = 42;\n");
  const changed = await check();
  expect(changed).toMatchObject({ checkedBy: "bundle", built: true });
  expect(changed.hash).not.toBe(first.hash);
});
