import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, expect, test } from "vitest";
import { REPO_ROOT } from "../config.ts";
import { docker } from "../docker/client.ts";
import { LABELS } from "../docker/labels.ts";
import { withStandinImages } from "../images/catalog.ts";
import { countRunResources, removeRun } from "../stack/teardown.ts";

// A fault matrix stopped on purpose (Ctrl-C to its process group) while its shared healthy stack
// and a fault's own stack are up must leave nothing of either behind.
const reportDir = path.join(os.tmpdir(), `lch-fault-abort-${process.pid}`);
const seen = new Set<string>();

afterAll(async () => {
  for (const runId of seen) await removeRun(runId);
});

/** The process and all its descendants, from /proc. */
function processTree(root: number): Set<number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended while we read
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** Run ids with a container or network on the engine owned by one of `owners` (other tests' runs are not ours). */
async function runsOf(owners: Set<number>): Promise<Set<string>> {
  const filter = { label: [LABELS.runId] };
  const labels = [...(await docker().listContainers({ all: true, filters: filter })).map((c) => c.Labels), ...(await docker().listNetworks({ filters: filter })).map((n) => n.Labels ?? {})];
  return new Set(labels.filter((l) => owners.has(Number(l[LABELS.pid]))).map((l) => l[LABELS.runId] ?? "").filter(Boolean));
}

test("a fault matrix stopped with Ctrl-C removes its shared stack and its fault runs", async () => {
  const env = { ...withStandinImages(process.env, false), HARNESS_FAULTS: "ua-not-forwarded,registration-disabled", HARNESS_REPORT_DIR: reportDir };
  const child = spawn(process.execPath, ["scripts/harness.mjs", "faults"], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 180_000;
  // Both kinds of run up: the shared healthy stack, and the fault's own stack (a run id that is new).
  let started: string[] = [];
  while (!/healthy stack (lch-[0-9a-f]+) ready/.test(output) || started.length < 2) {
    if (Date.now() > deadline) throw new Error(`the fault matrix never had both stacks up:\n${output}`);
    await delay(250);
    started = [...(await runsOf(processTree(child.pid!)))];
  }
  for (const id of started) seen.add(id);
  process.kill(-child.pid!, "SIGINT");
  expect(await exited).not.toBe(0);
  const left = await Promise.all(started.map(async (runId) => ({ runId, ...(await countRunResources(runId)) })));
  expect(left.filter((l) => l.containers + l.networks + l.volumes > 0), output.slice(-2000)).toEqual([]);
});
