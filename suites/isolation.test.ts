import { test } from "vitest";
import { docker } from "../helpers/docker/client.ts";
import type { ServiceRole } from "../helpers/stack/descriptor.ts";
import { runProbe } from "../helpers/stack/readiness.ts";
import { evidence, execService, fail, service, stack } from "../helpers/suite/context.ts";
import { addressOn, curlFrom, describeCurl } from "../helpers/suite/net.ts";

const INTERNAL = [
  { role: "mongodb", alias: "mongodb", port: 27017 },
  { role: "meilisearch", alias: "meilisearch", port: 7700 },
] as const;

/** curl exit codes that mean no connection was made: 6 name unknown, 7 refused/no route, 28 timed out. */
const UNREACHABLE = new Set([6, 7, 28]);

test("internal-services-isolated", async (ctx) => {
  const current = stack();
  const internalNet = current.networks["librechat-internal"];

  // No container of the run may also sit on Docker's default bridge, where all would meet.
  for (const [role, svc] of Object.entries(current.services)) {
    const networks = Object.keys((await docker().getContainer(svc.containerId).inspect()).NetworkSettings.Networks);
    if (networks.includes("bridge")) {
      await fail({
        problem: `${svc.containerName} (${role}) is attached to Docker's default bridge network, where every container can reach it.`,
        expected: "each container only on the run's own networks",
        seen: `networks: ${networks.join(", ")}`,
        fix: "attach containers through their own networks only (no network aliases on the default network)",
      });
    }
  }
  await evidence(ctx, "no container of the run is on Docker's default bridge network");

  for (const target of INTERNAL) {
    const svc = service(ctx, target.role);
    const ip = await addressOn(target.role, internalNet.name);
    if (!ip) throw new Error(`${svc.containerName} has no address on ${internalNet.name}`);
    // Positive control: the address answers from LibreChat's side, so silence from the stubs means isolation.
    const control = await runProbe(current.services.probe!.containerId, ["tcp", ip, String(target.port), "3000"]);
    if (!control.ok) throw new Error(`${target.role} at ${ip}:${target.port} does not answer even on ${internalNet.name} (${control.error}); cannot judge isolation`);
    for (const stub of ["django", "sveltekit"] as const satisfies ServiceRole[]) {
      service(ctx, stub);
      const [byName, byIp] = await Promise.all([
        curlFrom(stub, `http://${target.alias}:${target.port}/`, 3),
        curlFrom(stub, `http://${ip}:${target.port}/`, 3),
      ]);
      for (const attempt of [byName, byIp]) {
        if (!UNREACHABLE.has(attempt.exitCode)) {
          await fail({
            problem: `${target.role} is reachable from ${current.services[stub]!.containerName} on the backend network.`,
            expected: `${attempt.command} → no connection (curl exit 6, 7 or 28)`,
            seen: describeCurl(attempt),
            fix: `keep ${target.role} on LibreChat's internal network only; in production declare that network internal: true (Production Considerations)`,
          });
        }
      }
      await evidence(ctx, `${describeCurl(byName)}; ${describeCurl(byIp)} (${ip} answers on ${internalNet.name})`);
    }
  }

  const inspected = await docker().getNetwork(internalNet.id).inspect();
  if (current.profile === "prod") {
    if (!inspected.Internal) {
      await fail({
        problem: `In the prod profile ${internalNet.name} is not an internal network: its members have a way out.`,
        expected: "internal: true",
        seen: "internal: false",
        fix: "declare librechat-internal with internal: true (Production Considerations)",
      });
    }
    const routes = await execService("probe", ["cat", "/proc/net/route"]);
    const defaultRoute = routes.stdout.split("\n").slice(1).some((line) => line.split(/\s+/)[1] === "00000000");
    if (defaultRoute) {
      await fail({
        problem: `A container only on ${internalNet.name} has a default route out.`,
        expected: "no default route on an internal network",
        seen: routes.stdout.trim(),
        fix: "declare librechat-internal with internal: true",
      });
    }
    await evidence(ctx, `${internalNet.name} is internal: true; a container on it alone has no default route`);
  } else {
    await evidence(ctx, `${internalNet.name} internal: ${String(inspected.Internal)} (the dev profile does not require it)`);
  }
});
