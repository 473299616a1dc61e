import { test } from "vitest";
import { publishedPorts } from "../helpers/suite/containers.ts";
import { evidence, fail, oneLine, service, stack } from "../helpers/suite/context.ts";
import { call, httpAnswer, summary } from "../helpers/suite/stubs.ts";
import { check, evidenceOf } from "../helpers/suite/evidence.ts";

test("host-port-published", check(async (ctx) => {
  const librechat = service(ctx, "librechat");
  const current = stack();
  const port = current.librechat.port;
  const published = await publishedPorts(librechat.containerId);
  const bindings = published[`${port}/tcp`] ?? [];
  if (bindings.length === 0 || !current.librechat.hostUrl) {
    await fail({
      problem: `LibreChat's port ${port} is not published to the host.`,
      expected: `a ports: entry such as "\${PORT}:\${PORT}" for the api service`,
      seen: `published: ${JSON.stringify(published)}`,
      fix: `add ports: ["127.0.0.1:${port}:${port}"] to the api service`,
      role: "librechat",
    });
  }
  // Every published port of the stack, LibreChat's and the stubs', must stay on loopback.
  for (const role of ["librechat", "django", "sveltekit"] as const) {
    const target = current.services[role];
    if (!target) continue;
    const ports = await publishedPorts(target.containerId);
    for (const [key, list] of Object.entries(ports)) {
      for (const binding of list) {
        if (binding.HostIp !== "127.0.0.1") {
          await fail({
            problem: `${target.containerName} publishes ${key} on ${binding.HostIp || "all interfaces"}, reachable from outside this host.`,
            expected: "every published port bound to 127.0.0.1",
            seen: `${key} → ${binding.HostIp}:${binding.HostPort}`,
            fix: `write the ports entry as "127.0.0.1:<host>:<container>"`,
          });
        }
      }
    }
  }
  const url = `${current.librechat.hostUrl}${current.librechat.healthRoute}`;
  const answer = await evidenceOf(`whether LibreChat answers on ${url}`, async () => httpAnswer(await call("GET", url, { timeoutMs: 5000 })), (a) => a.status === 200);
  if (answer.status !== 200) {
    const seen = summary(answer);
    await fail({
      problem: `LibreChat does not answer on its published host port (${url}).`,
      expected: `curl ${url} → 200 OK`,
      seen,
      fix: "LibreChat must listen on HOST=0.0.0.0 inside its container for a published port to reach it",
      role: "librechat",
    });
  }
  await evidence(ctx, `curl ${url} → 200 ${oneLine(answer.text)} (published ${bindings.map((b) => `${b.HostIp}:${b.HostPort}`).join(", ")} → ${port})`);
}));
