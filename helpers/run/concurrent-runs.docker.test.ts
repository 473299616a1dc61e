import { afterAll, expect, test } from "vitest";
import { readConfig } from "../config.ts";
import { docker } from "../docker/client.ts";
import { execIn } from "../docker/exec.ts";
import { newRunId } from "../docker/labels.ts";
import { resolveImages, withStandinImages } from "../images/catalog.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import { CreatedRuns } from "../testing/runs.ts";
import { loadLibreChatInput } from "./compose-input.ts";
import { configuredStack } from "./configured-stack.ts";

// Two runs on one engine at the same time, as two developers or two CI jobs would start them.
// Uses the stand-ins unless the image variables name other images.
const runIds = [newRunId(), newRunId()];
const created = new CreatedRuns();
created.add(...runIds);

afterAll(() => created.removeAll());

test("two runs started at the same time both come up, each unable to see the other's containers", async () => {
  const config = readConfig(withStandinImages(process.env, true));
  const input = await loadLibreChatInput(config);
  const images = resolveImages(config, input.composeImages);
  const start = (runId: string) => configuredStack(config, input, images, runId).start();
  const [a, b] = (await Promise.all(runIds.map(start))).map((s) => s.descriptor) as [StackDescriptor, StackDescriptor];
  expect(a.startFailure).toBeUndefined();
  expect(b.startFailure).toBeUndefined();
  expect(a.networks.backend.name).not.toBe(b.networks.backend.name);
  const bLibreChat = b.services.librechat!;
  const fromA = async (args: string[]) => (await execIn(a.services.django!.containerId, args, { timeoutMs: 15_000 })).exitCode;
  // Run A's Django finds its own LibreChat, not run B's container by name or address.
  expect(await fromA(["curl", "-sS", "-m", "3", "-o", "/dev/null", "http://librechat-api:3080/health"])).toBe(0);
  expect(await fromA(["curl", "-sS", "-m", "3", "-o", "/dev/null", `http://${bLibreChat.containerName}:3080/health`])).toBe(6);
  const bAddress = (await docker().getContainer(bLibreChat.containerId).inspect()).NetworkSettings.Networks[b.networks.backend.name]!.IPAddress;
  expect([7, 28]).toContain(await fromA(["curl", "-sS", "-m", "3", "-o", "/dev/null", `http://${bAddress}:3080/health`]));
});
