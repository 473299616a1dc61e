import { test } from "vitest";
import { evidence, fail, service, stack } from "../helpers/suite/context.ts";
import { check, evidenceOf } from "../helpers/suite/evidence.ts";
import { addressOn, lookupAnswer } from "../helpers/suite/net.ts";
import { BACKEND_ALIASES, MEILI_ALIAS, MOCK_LLM, MONGO_ALIAS } from "../helpers/suite/topology.ts";

/** Names on LibreChat's internal network, which the backend must not see. */
const INTERNAL_NAMES = [MONGO_ALIAS, MEILI_ALIAS, MOCK_LLM.alias];

test("dns-service-discovery", check(async (ctx) => {
  service(ctx, "librechat");
  const current = stack();
  const backend = current.networks.backend.name;
  // The stubs' own aliases (django-dev, frontend-dev in the guide) as the run attached them.
  const expected: Record<string, string | undefined> = {};
  for (const role of ["django", "sveltekit"] as const) {
    const address = await addressOn(role, backend);
    for (const alias of current.services[role]?.networks.find((n) => n.key === "backend")?.aliases ?? []) expected[alias] = address;
  }
  const librechatIp = await addressOn("librechat", backend);
  for (const alias of BACKEND_ALIASES) expected[alias] = librechatIp;

  // Each stub's lookups run side by side; the names that must resolve come first, as the control
  // for the internal names that must not.
  const stubs = (["django", "sveltekit"] as const).map((role) => ({ role, from: service(ctx, role).containerName }));
  const resolving = await Promise.all(
    stubs.flatMap(({ role, from }) =>
      Object.entries(expected).map(async ([name, address]) => ({
        role,
        name,
        address,
        lookup: await evidenceOf(`how ${name} resolves from ${from}`, () => lookupAnswer(role, name, true), (l) => address !== undefined && l.addresses.includes(address)),
      })),
    ),
  );
  for (const { role, name, address, lookup } of resolving) {
    if (!address || !lookup.addresses.includes(address)) {
      await fail({
        problem: `${name} does not resolve to its container's backend address from ${current.services[role]!.containerName}.`,
        expected: `${lookup.command} → ${address ?? `an address (the container is not on ${backend})`}`,
        seen: lookup.addresses.length > 0 ? `→ ${lookup.addresses.join(", ")}` : lookup.output,
        fix: name.startsWith("librechat")
          ? "join LibreChat to backend-dev with container_name librechat-api (aliases: librechat) in compose.librechat.yaml"
          : "check the stub's network alias",
        role,
      });
    }
    await evidence(ctx, `${lookup.command} → ${lookup.addresses.join(", ")}`);
  }
  const internal = await Promise.all(
    stubs.flatMap(({ role, from }) =>
      INTERNAL_NAMES.map(async (name) => ({
        from,
        name,
        lookup: await evidenceOf(`whether ${name} resolves from ${from}`, () => lookupAnswer(role, name, false), (l) => l.addresses.length === 0, { confirmations: 1 }),
      })),
    ),
  );
  for (const { from, name, lookup } of internal) {
    if (lookup.addresses.length > 0) {
      await fail({
        problem: `The internal name ${name} resolves from ${from} on the backend network.`,
        expected: `${lookup.command} → NXDOMAIN (internal services stay on LibreChat's own network)`,
        seen: `→ ${lookup.addresses.join(", ")}`,
        fix: `remove ${name} from the backend network in the compose files`,
      });
    }
  }
  for (const { from } of stubs) await evidence(ctx, `from ${from}: ${INTERNAL_NAMES.join(", ")} do not resolve (NXDOMAIN)`);
}));
