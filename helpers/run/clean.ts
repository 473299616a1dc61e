import { docker } from "../docker/client.ts";
import { LABELS } from "../docker/labels.ts";
import { removeRun } from "../stack/teardown.ts";
import { forgetKept } from "./keep.ts";
import { sweepDeadRuns } from "./sweep.ts";

async function allRunIds(): Promise<string[]> {
  const filter = { label: [LABELS.runId] };
  const ids = new Set<string>();
  for (const c of await docker().listContainers({ all: true, filters: filter })) ids.add(c.Labels[LABELS.runId] ?? "");
  for (const n of await docker().listNetworks({ filters: filter })) ids.add(n.Labels?.[LABELS.runId] ?? "");
  ids.delete("");
  return [...ids];
}

/**
 * `npm run clean [run-id...] [--all]`: removes the named runs (kept and reusable stacks too), every
 * run with --all, or else every run of this harness on this engine whose process is gone.
 */
export async function clean(args: string[], log: (line: string) => void): Promise<void> {
  const named = args.includes("--all") ? await allRunIds() : args.filter((a) => !a.startsWith("--"));
  if (named.length === 0) {
    const swept = await sweepDeadRuns("");
    log(`removed ${swept.removedRuns.length} dead run(s)${swept.removedRuns.length ? `: ${swept.removedRuns.join(", ")}` : ""}; left ${swept.liveRuns.length} live and ${swept.keptRuns.length} kept`);
  }
  for (const runId of named) {
    const problems = await removeRun(runId);
    forgetKept(runId);
    log(problems.length === 0 ? `removed ${runId}` : `removed ${runId} with problems:\n  ${problems.join("\n  ")}`);
  }
}
