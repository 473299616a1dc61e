import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../config.ts";
import { docker } from "../docker/client.ts";
import { newRunId, runFilter } from "../docker/labels.ts";
import { withStandinImages } from "../images/catalog.ts";
import { createNetwork } from "../stack/networks.ts";
import { CreatedRuns, leftovers, PROBE, testLabels } from "../testing/runs.ts";
import { sweepDeadRuns } from "./sweep.ts";

const created = new CreatedRuns();
const labels = testLabels;

afterAll(() => created.removeAll());

describe("lifecycle", () => {
  test("the sweeper removes a dead run's leftovers and leaves a live run alone", async () => {
    const dead = newRunId();
    const live = newRunId();
    created.add(dead, live);
    // A pid that cannot be running: higher than the kernel's pid_max.
    await createNetwork("backend", `${dead}-backend`, false, labels(dead, 4_194_305));
    await createNetwork("backend", `${live}-backend`, false, labels(live, process.pid));
    const result = await sweepDeadRuns("");
    expect(result.removedRuns).toContain(dead);
    expect(result.liveRuns).toContain(live);
    expect(await leftovers(dead)).toBe(0);
    expect(await leftovers(live)).toBe(1);
  });

  test("after a run is killed with SIGKILL mid-start, the next run's sweeper removes everything it left", async () => {
    const runId = newRunId();
    created.add(runId);
    const child = spawn(process.execPath, ["helpers/testing/hold-stack.ts", runId, PROBE], { cwd: REPO_ROOT, stdio: "ignore" });
    // Mid-start: as soon as the first container of the run exists.
    const deadline = Date.now() + 60_000;
    while ((await docker().listContainers({ all: true, filters: runFilter(runId) })).length === 0) {
      if (Date.now() > deadline) throw new Error("the child run created no container within 60 s");
      await delay(100);
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await leftovers(runId)).toBeGreaterThan(0);
    const result = await sweepDeadRuns(newRunId());
    expect(result.removedRuns).toContain(runId);
    expect(await leftovers(runId)).toBe(0);
  });

  test("Ctrl-C during a run removes everything the run created", async () => {
    // A terminal's Ctrl-C reaches the whole foreground process group: the same here.
    const child = spawn(process.execPath, ["scripts/harness.mjs", "checklist", "suites/librechat-starts.test.ts"], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...withStandinImages(process.env, false), HARNESS_REPORT_DIR: path.join(os.tmpdir(), `lch-ctrl-c-${process.pid}`) },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + 120_000;
    while (!/stack ready/.test(output)) {
      if (Date.now() > deadline) throw new Error(`the run never became ready:\n${output}`);
      await delay(100);
    }
    const runId = /starting run (lch-[0-9a-f]+)/.exec(output)?.[1];
    expect(runId).toBeDefined();
    created.add(runId!);
    expect(await leftovers(runId!)).toBeGreaterThan(0);
    process.kill(-child.pid!, "SIGINT");
    await exited;
    expect(await leftovers(runId!)).toBe(0);
  });
});
