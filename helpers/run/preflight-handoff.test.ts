import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OverrideTag, ResetTag } from "../compose/source.ts";
import { CORRECTED_OVERLAY, readConfig, type Env } from "../config.ts";
import { resolveImages } from "../images/catalog.ts";
import { composeInputOf, loadLibreChatInput } from "./compose-input.ts";
import { handoffCodec, readHandoff, removeHandoff, writeHandoff } from "./preflight-handoff.ts";
import type { PreparedRun } from "./prepare-run.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "lch-handoff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV: Env = { LIBRECHAT_OVERLAY: CORRECTED_OVERLAY, HARNESS_RUN_ID: "lch-0000abcd", MONGO_IMAGE: "mongo:7", ADMIN_PANEL_PORT: "3001" };

/** What the wrapper prepares, without Docker: the compose input and the catalog (no reusable stack). */
async function prepared(env: Env): Promise<PreparedRun> {
  const config = readConfig(env);
  const input = await loadLibreChatInput(config);
  const checked = { input, catalog: resolveImages(config, input.composeImages) };
  return { runId: config.runId!, checked, compose: composeInputOf(config), reuseHash: undefined, reusable: undefined };
}

/** Writes as the wrapper does and reads back as its vitest child would (this process plays both). */
function handOver(result: PreparedRun, writerEnv: Env, readerEnv: Env = writerEnv): { read: PreparedRun | undefined; lines: string[] } {
  const lines: string[] = [];
  writeHandoff(readConfig(writerEnv), writerEnv, result, dir);
  const read = readHandoff(readConfig(readerEnv), readerEnv, (line) => lines.push(line), { dir, parentPid: process.pid });
  return { read, lines };
}

describe("the preflight handoff", () => {
  it("hands the global setup exactly what the wrapper's preflight established", async () => {
    const result = await prepared(ENV);
    const { read, lines } = handOver(result, ENV);
    expect(lines).toEqual([]);
    expect(read).toEqual(result);
    expect(read?.checked.input.model.sources[0]?.lines).toBeInstanceOf(Map);
    expect(read?.checked.input.model.sources[0]?.lines).toEqual(result.checked.input.model.sources[0]?.lines);
  });

  it("keeps the compose model's tags and maps", () => {
    const value = { raw: { a: new ResetTag(), b: new OverrideTag({ c: [1, new Map([["k", 2]])] }) } };
    const back = handoffCodec.parse(handoffCodec.stringify(value)) as typeof value;
    expect(back.raw.a).toBeInstanceOf(ResetTag);
    expect(back.raw.b).toBeInstanceOf(OverrideTag);
    expect(back).toEqual(value);
  });

  it("does not apply to another configuration, other variables, another run or another parent", async () => {
    const result = await prepared(ENV);
    expect(handOver(result, ENV, { ...ENV, HARNESS_PROFILE: "prod" }).read).toBeUndefined();
    expect(handOver(result, ENV, { ...ENV, ADMIN_PANEL_PORT: "3002" }).lines).toEqual([expect.stringContaining("a variable differs")]);
    // What vitest sets in its own process (TEST, VITEST, and NODE_ENV when unset) does not count.
    expect(handOver(result, ENV, { ...ENV, VITEST: "true", TEST: "true", NODE_ENV: "test" }).read).toEqual(result);
    expect(handOver(result, { ...ENV, TEST: "1" }, { ...ENV, TEST: "true" }).read).toEqual(result);
    expect(handOver(result, ENV, { ...ENV, HARNESS_RUN_ID: "lch-1111abcd" }).read).toBeUndefined();
    writeHandoff(readConfig(ENV), ENV, result, dir);
    expect(readHandoff(readConfig(ENV), ENV, () => undefined, { dir, parentPid: process.pid + 1 })).toBeUndefined();
  });

  it("is removed by the wrapper, and without it the global setup checks for itself", async () => {
    const result = await prepared(ENV);
    writeHandoff(readConfig(ENV), ENV, result, dir);
    removeHandoff("lch-0000abcd", dir);
    expect(existsSync(path.join(dir, "lch-0000abcd.json"))).toBe(false);
    expect(readHandoff(readConfig(ENV), ENV, () => undefined, { dir, parentPid: process.pid })).toBeUndefined();
    expect(readHandoff(readConfig({ ...ENV, HARNESS_RUN_ID: undefined }), ENV, () => undefined, { dir, parentPid: process.pid })).toBeUndefined();
  });
});
