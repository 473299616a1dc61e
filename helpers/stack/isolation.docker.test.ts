import { GenericContainer } from "testcontainers";
import { afterAll, describe, expect, test } from "vitest";
import { docker } from "../docker/client.ts";
import { execIn } from "../docker/exec.ts";
import { newRunId } from "../docker/labels.ts";
import { CreatedRuns, PROBE, testLabels } from "../testing/runs.ts";
import { HarnessContainer } from "./harness-container.ts";
import { createNetwork } from "./networks.ts";

const created = new CreatedRuns();
const labels = testLabels;

afterAll(() => created.removeAll());

describe("isolation", () => {
  test("a container attached through HarnessContainer joins only its own networks, and a backend-only container reaches the internal one neither by name nor by IP", async () => {
    const runId = newRunId();
    created.add(runId);
    const internal = await createNetwork("librechat-internal", `${runId}-internal`, false, labels(runId, process.pid));
    const backend = await createNetwork("backend", `${runId}-backend`, false, labels(runId, process.pid));
    const start = (name: string, ...attachments: { network: string; aliases: string[] }[]) =>
      new HarnessContainer(PROBE, name).withName(`${runId}-${name}`).withLabels(labels(runId, process.pid)).onNetworks(...attachments).start();
    const [target, both, outsider] = await Promise.all([
      start("target", { network: internal.name, aliases: ["mongodb"] }),
      start("both", { network: backend.name, aliases: ["librechat-api"] }, { network: internal.name, aliases: [] }),
      start("outsider", { network: backend.name, aliases: ["django-dev"] }),
    ]);
    const networksOf = async (id: string) => Object.keys((await docker().getContainer(id).inspect()).NetworkSettings.Networks).sort();
    expect(await networksOf(target.getId())).toEqual([internal.name]);
    expect(await networksOf(both.getId())).toEqual([backend.name, internal.name].sort());
    expect(await networksOf(outsider.getId())).toEqual([backend.name]);
    const targetIp = (await docker().getContainer(target.getId()).inspect()).NetworkSettings.Networks[internal.name]!.IPAddress;
    // A listener on the target, so that "unreachable" means isolation and not a closed port.
    await execIn(target.getId(), ["sh", "-c", "node -e \"require('net').createServer(s=>s.end()).listen(27017)\" >/dev/null 2>&1 &"]);
    const fromBoth = await execIn(both.getId(), ["probe", "tcp", "mongodb", "27017", "2000"]);
    expect(JSON.parse(fromBoth.stdout).ok).toBe(true);
    const byName = JSON.parse((await execIn(outsider.getId(), ["probe", "tcp", "mongodb", "27017", "2000"])).stdout);
    const byIp = JSON.parse((await execIn(outsider.getId(), ["probe", "tcp", targetIp, "27017", "2000"])).stdout);
    expect(byName).toMatchObject({ ok: false, error: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
    expect(byIp).toMatchObject({ ok: false, error: expect.stringMatching(/ETIMEDOUT|EHOSTUNREACH|ECONNREFUSED/) });
  });

  test("the trap this class avoids: Testcontainers' network aliases leave the container on the default bridge", async () => {
    const runId = newRunId();
    created.add(runId);
    const network = await createNetwork("backend", `${runId}-backend`, false, labels(runId, process.pid));
    const plain = await new GenericContainer(PROBE)
      .withName(`${runId}-plain`)
      .withLabels(labels(runId, process.pid))
      .withNetworkMode(network.name)
      .withNetworkAliases("django-dev")
      .start();
    const networks = Object.keys((await docker().getContainer(plain.getId()).inspect()).NetworkSettings.Networks);
    expect(networks).toContain("bridge");
  });
});
