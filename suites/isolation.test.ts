import { test } from "vitest";
import { inspectNetwork, networkNamesOf, probe } from "../helpers/suite/containers.ts";
import { startExternalHost } from "../helpers/suite/external-host.ts";
import { evidence, fail, service, stack } from "../helpers/suite/context.ts";
import { answer, check, evidenceOf, finishedInside, noAnswer, scaled, type Observation } from "../helpers/suite/evidence.ts";
import { addressOn, curlFrom, describeCurl, type CurlResult } from "../helpers/suite/net.ts";
import { MEILI_ALIAS, MEILI_PORT, MONGO_ALIAS, MONGO_PORT } from "../helpers/suite/topology.ts";

const INTERNAL = [
  { role: "mongodb", alias: MONGO_ALIAS, port: MONGO_PORT },
  { role: "meilisearch", alias: MEILI_ALIAS, port: MEILI_PORT },
] as const;


interface IsolationSeen {
  /** The positive control: the target answers from LibreChat's side in the same window. */
  control: { ok: boolean; error?: string };
  byName: CurlResult;
  byIp: CurlResult;
}

const reached = (s: IsolationSeen): boolean => [s.byName, s.byIp].some((a) => a.connected || a.exitCode === 0);

/** One window: the control from the internal network, then both attempts from the stub. */
async function isolationAttempt(target: (typeof INTERNAL)[number], stub: "django" | "sveltekit", ip: string): Promise<Observation<IsolationSeen>> {
  const control = await probe(["tcp", ip, String(target.port), String(scaled(3000))]);
  if (control.kind === "no-answer") return control;
  if (control.value.error === "ETIMEDOUT") return noAnswer(`the control connection to ${ip}:${target.port} from the internal network timed out`);
  const [byName, byIp] = await Promise.all([curlFrom(stub, `http://${target.alias}:${target.port}/`, 3), curlFrom(stub, `http://${ip}:${target.port}/`, 3)]);
  if (!byName.finished || !byIp.finished) return noAnswer(`curl in ${stub} did not finish`);
  return answer({ control: { ok: control.value.ok, ...(control.value.error ? { error: control.value.error } : {}) }, byName, byIp });
}

test("internal-services-isolated", check(async (ctx) => {
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

  // Every pair in parallel: each unreachable attempt waits for curl's timeout.
  const pairs = INTERNAL.flatMap((target) => (["django", "sveltekit"] as const).map((stub) => ({ target, stub })));
  const results = await Promise.all(
    pairs.map(async ({ target, stub }) => {
      const svc = service(ctx, target.role);
      service(ctx, stub);
      const ip = await addressOn(target.role, internalNet.name);
      if (!ip) throw new Error(`${svc.containerName} has no address on ${internalNet.name}`);
      const what = `whether ${target.role} is reachable from ${current.services[stub]!.containerName}`;
      // A connection must hold over three attempts: Docker deletes and re-inserts its isolation
      // jump rule whenever any network is created on the engine (ensureJumpRule), so a connect
      // can slip through in that instant while the run's networks are isolated as configured.
      const slipped: CurlResult[] = [];
      const attempt = async (): Promise<Observation<IsolationSeen>> => {
        const seen = await isolationAttempt(target, stub, ip);
        if (seen.kind === "answer" && reached(seen.value)) slipped.push(...[seen.value.byName, seen.value.byIp].filter((a) => a.connected || a.exitCode === 0));
        return seen;
      };
      return { target, stub, ip, slipped, seen: await evidenceOf(what, attempt, (s) => s.control.ok && !reached(s), { confirmations: 3 }) };
    }),
  );
  for (const { target, stub, ip, seen, slipped } of results) {
    if (!seen.control.ok) {
      await fail({
        problem: `${target.role} at ${ip}:${target.port} does not answer even from LibreChat's internal network (${seen.control.error}), so silence from the stubs would prove nothing: isolation cannot be judged.`,
        expected: `a TCP connection to ${ip}:${target.port} from the probe on ${internalNet.name}`,
        seen: seen.control.error ?? "no connection",
        fix: `start ${target.role} (see librechat-starts and its logs below) and run the checklist again`,
        role: target.role,
      });
    }
    for (const attempt of [seen.byName, seen.byIp]) {
      if (attempt.connected || attempt.exitCode === 0) {
        await fail({
          problem: `${target.role} is reachable from ${current.services[stub]!.containerName} on the backend network.`,
          expected: `${attempt.command} → no connection (name unknown, refused or connect timeout)`,
          seen: `${describeCurl(attempt)} (a TCP connection was made)`,
          fix: `keep ${target.role} on LibreChat's internal network only; in production declare that network internal: true (Production Considerations)`,
        });
      }
    }
    await evidence(ctx, `${describeCurl(seen.byName)}; ${describeCurl(seen.byIp)} (${ip} answers on ${internalNet.name} in the same window)`);
    if (slipped.length > 0) {
      await evidence(ctx, `note: ${slipped.length} attempt(s) connected once and never again (${slipped.map((a) => a.command).join("; ")}): Docker deletes and re-inserts its isolation jump rule whenever a network is created on this engine, and a connect can slip through in that instant`);
    }
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
      const seen = await evidenceOf(`whether ${internalNet.name} has a way out`, () => wayOutAttempt(outside), (s) => s.fromBackend && !s.fromInternal.ok, { confirmations: 1 });
      if (!seen.fromBackend) {
        await fail({
          problem: `The test host outside Docker's networks (${outside.address}:${outside.port}) is not reachable even from the backend network, so whether ${internalNet.name} has a way out cannot be judged.`,
          expected: `the backend network reaching ${outside.address}:${outside.port} (Docker forwards it)`,
          seen: "no connection from the backend network",
          fix: "check this host's forwarding (sysctl net.ipv4.ip_forward=1, and no firewall dropping Docker's forwarded traffic), or run without root so that the check falls back to the network's internal flag",
        });
      }
      const fromInternal = seen.fromInternal;
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
}));

/** One window: the backend network's way to the outside host (the control), then the internal network's. */
async function wayOutAttempt(outside: { address: string; port: number }): Promise<Observation<{ fromBackend: boolean; fromInternal: { ok: boolean; error?: string } }>> {
  const control = await finishedInside("the backend network's way out", stack().services.django!.containerId, ["sh", "-c", `curl -sS -m ${Math.round(scaled(3000) / 1000)} telnet://${outside.address}:${outside.port} </dev/null`]);
  if (control.exitCode === 28) return noAnswer(`the backend network's connection to ${outside.address}:${outside.port} timed out`);
  const fromInternal = await probe(["tcp", outside.address, String(outside.port), String(scaled(3000))]);
  if (fromInternal.kind === "no-answer") return fromInternal;
  return answer({ fromBackend: control.stdout.includes("outside"), fromInternal: { ok: fromInternal.value.ok, ...(fromInternal.value.error ? { error: fromInternal.value.error } : {}) } });
}
