import { test } from "vitest";
import { inspectNetwork, networkNamesOf, probe } from "../helpers/suite/containers.ts";
import { startExternalHost } from "../helpers/suite/external-host.ts";
import { evidence, execService, fail, service, stack } from "../helpers/suite/context.ts";
import { addressOn, curlFrom, describeCurl } from "../helpers/suite/net.ts";
import { MEILI_ALIAS, MEILI_PORT, MONGO_ALIAS, MONGO_PORT } from "../helpers/suite/topology.ts";

const INTERNAL = [
  { role: "mongodb", alias: MONGO_ALIAS, port: MONGO_PORT },
  { role: "meilisearch", alias: MEILI_ALIAS, port: MEILI_PORT },
] as const;


test("internal-services-isolated", async (ctx) => {
  const current = stack();
  const internalNet = current.networks["librechat-internal"];

  // No container of the run may also sit on Docker's default bridge, where all would meet.
  for (const [role, svc] of Object.entries(current.services)) {
    const networks = await networkNamesOf(svc.containerId);
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

  // Every attempt in parallel: each unreachable one waits for curl's timeout.
  const attempts = INTERNAL.flatMap((target) => (["django", "sveltekit"] as const).map((stub) => ({ target, stub })));
  const results = await Promise.all(
    attempts.map(async ({ target, stub }) => {
      const svc = service(ctx, target.role);
      service(ctx, stub);
      const ip = await addressOn(target.role, internalNet.name);
      if (!ip) throw new Error(`${svc.containerName} has no address on ${internalNet.name}`);
      // Positive control: the address answers from LibreChat's side, so silence from the stubs means isolation.
      const control = await probe(["tcp", ip, String(target.port), "3000"]);
      if (!control.ok) throw new Error(`${target.role} at ${ip}:${target.port} does not answer even on ${internalNet.name} (${control.error}); cannot judge isolation`);
      const [byName, byIp] = await Promise.all([
        curlFrom(stub, `http://${target.alias}:${target.port}/`, 3),
        curlFrom(stub, `http://${ip}:${target.port}/`, 3),
      ]);
      return { target, stub, ip, byName, byIp };
    }),
  );
  for (const { target, stub, ip, byName, byIp } of results) {
    for (const attempt of [byName, byIp]) {
      if (attempt.connected || attempt.exitCode === 0) {
        await fail({
          problem: `${target.role} is reachable from ${current.services[stub]!.containerName} on the backend network.`,
          expected: `${attempt.command} → no connection (name unknown, refused or connect timeout)`,
          seen: `${describeCurl(attempt)} (a TCP connection was made)`,
          fix: `keep ${target.role} on LibreChat's internal network only; in production declare that network internal: true (Production Considerations)`,
        });
      }
    }
    await evidence(ctx, `${describeCurl(byName)}; ${describeCurl(byIp)} (${ip} answers on ${internalNet.name})`);
  }

  const inspected = await inspectNetwork(internalNet.id);
  if (current.profile === "prod") {
    if (!inspected.internal) {
      await fail({
        problem: `In the prod profile ${internalNet.name} is not an internal network: its members have a way out.`,
        expected: "internal: true",
        seen: "internal: false",
        fix: "declare librechat-internal with internal: true (Production Considerations)",
      });
    }
    // Behaviour, not just the flag: a test host "outside" (a network namespace on this machine)
    // is reachable from the backend network, which has a way out, and not from the internal one.
    const outside = await startExternalHost();
    if ("unavailable" in outside) {
      await evidence(ctx, `${internalNet.name} is internal: true (not checked by traffic: ${outside.unavailable})`);
      return;
    }
    try {
      const target = ["tcp", outside.address, String(outside.port), "3000"];
      const control = await execService("django", ["sh", "-c", `curl -sS -m 3 telnet://${outside.address}:${outside.port} </dev/null`]);
      const fromInternal = await probe(target);
      if (!control.stdout.includes("outside")) throw new Error(`cannot judge: the test host ${outside.address}:${outside.port} is not reachable even from the backend network`);
      if (fromInternal.ok) {
        await fail({
          problem: `A container on ${internalNet.name} alone reaches a host outside Docker's networks.`,
          expected: `no connection from ${internalNet.name} to ${outside.address}:${outside.port}`,
          seen: "connected",
          fix: "declare librechat-internal with internal: true",
        });
      }
      await evidence(ctx, `${internalNet.name} is internal: true; a host outside (${outside.address}) answers the backend network but not a container on ${internalNet.name} (${fromInternal.error})`);
    } finally {
      outside.close();
    }
  } else {
    await evidence(ctx, `${internalNet.name} internal: ${String(inspected.internal)} (the dev profile does not require it)`);
  }
});
