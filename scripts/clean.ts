// `npm run clean [run-id...]`: removes the named runs, or every run of this harness on this
// engine whose process is gone (kept and reusable stacks included when named or with --all).
import { docker, errorText, LABELS } from "../helpers/docker/client.ts";
import { forgetKept } from "../helpers/stack/keep.ts";
import { removeRun, sweepDeadRuns } from "../helpers/stack/teardown.ts";

async function allRunIds(): Promise<string[]> {
  const filter = { label: [LABELS.runId] };
  const ids = new Set<string>();
  for (const c of await docker().listContainers({ all: true, filters: filter })) ids.add(c.Labels[LABELS.runId] ?? "");
  for (const n of await docker().listNetworks({ filters: filter })) ids.add(n.Labels?.[LABELS.runId] ?? "");
  ids.delete("");
  return [...ids];
}

try {
  const args = process.argv.slice(2);
  const named = args.includes("--all") ? await allRunIds() : args.filter((a) => !a.startsWith("--"));
  if (named.length === 0) {
    const swept = await sweepDeadRuns("");
    console.log(`removed ${swept.removedRuns.length} dead run(s)${swept.removedRuns.length ? `: ${swept.removedRuns.join(", ")}` : ""}; left ${swept.liveRuns.length} live and ${swept.keptRuns.length} kept`);
  }
  for (const runId of named) {
    const problems = await removeRun(runId);
    forgetKept(runId);
    console.log(problems.length === 0 ? `removed ${runId}` : `removed ${runId} with problems:\n  ${problems.join("\n  ")}`);
  }
} catch (error) {
  console.error(errorText(error));
  process.exitCode = 1;
}
