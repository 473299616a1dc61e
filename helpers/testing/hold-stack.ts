// Test helper for helpers/run/lifecycle.docker.test.ts: starts containers of a run one after
// another, as a stack start does, and never finishes, so that the test can kill it with SIGKILL
// mid-start.
import { runLabels } from "../docker/labels.ts";
import { HarnessContainer } from "../stack/harness-container.ts";
import { createNetwork } from "../stack/networks.ts";

const [runId, image] = process.argv.slice(2);
if (!runId || !image) throw new Error("usage: hold-stack.ts <run-id> <image>");
const labels = runLabels({ runId, pid: process.pid }, "probe");
const network = await createNetwork("librechat-internal", `${runId}-internal`, false, labels);
for (let index = 0; ; index++) {
  await new HarnessContainer(image, `held ${index}`).withName(`${runId}-held-${index}`).withLabels(labels).onNetworks({ network: network.name, aliases: [] }).start();
}
