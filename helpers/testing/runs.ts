// Test helpers for the Docker-backed self-tests: what a run left behind, and its clean-up.
import { docker } from "../docker/client.ts";
import { runFilter, runLabels } from "../docker/labels.ts";
import { FIXTURES } from "../images/fixtures.ts";
import { removeRun } from "../stack/teardown.ts";

/** Containers and networks still labelled with the run id. */
export async function leftovers(runId: string): Promise<number> {
  const filter = runFilter(runId);
  return (await docker().listContainers({ all: true, filters: filter })).length + (await docker().listNetworks({ filters: filter })).length;
}

/** Run ids a test file created, removed in its afterAll whatever happened. */
export class CreatedRuns {
  private readonly ids: string[] = [];

  add(...runIds: string[]): void {
    this.ids.push(...runIds);
  }

  async removeAll(): Promise<void> {
    for (const runId of this.ids) await removeRun(runId);
  }
}

/** The only image the lifecycle and isolation self-tests need (built by `npm run images:build` or the selftest). */
export const PROBE = FIXTURES.probe.tag;

/** Labels of a test's own run, owned by `pid`. */
export function testLabels(runId: string, pid: number): Record<string, string> {
  return runLabels({ runId, pid }, "probe");
}
