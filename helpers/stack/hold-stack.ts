// Test helper for lifecycle.docker.test.ts: starts containers of a run one after another, as a
// stack start does, and never finishes, so that the test can kill it with SIGKILL mid-start.
import os from "node:os";
import { LABELS } from "../docker/client.ts";
import { HarnessContainer } from "./harness-container.ts";
import { createNetwork } from "./networks.ts";

const [runId, image] = process.argv.slice(2);
if (!runId || !image) throw new Error("usage: hold-stack.ts <run-id> <image>");
const labels = { [LABELS.harness]: "true", [LABELS.runId]: runId, [LABELS.pid]: String(process.pid), [LABELS.host]: os.hostname(), [LABELS.role]: "probe" };
const network = await createNetwork("librechat-internal", `${runId}-internal`, false, labels);
for (let index = 0; ; index++) {
  await new HarnessContainer(image, `held ${index}`).withName(`${runId}-held-${index}`).withLabels(labels).onNetworks({ network: network.name, aliases: [] }).start();
}
