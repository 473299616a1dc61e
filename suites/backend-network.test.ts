import { test } from "vitest";
import { inspectNetwork } from "../helpers/suite/containers.ts";
import { evidence, fail, service, stack } from "../helpers/suite/context.ts";
import { attachedNetworks } from "../helpers/suite/net.ts";
import { BACKEND_ALIASES } from "../helpers/suite/topology.ts";
import { check } from "../helpers/suite/evidence.ts";

test("librechat-on-backend-network", check(async (ctx) => {
  const librechat = service(ctx, "librechat");
  const backend = stack().networks.backend;
  // `docker network inspect backend-dev | grep -A 5 librechat`, the guide's check, read as data.
  const { members } = await inspectNetwork(backend.id);
  const memberList = members.map((m) => `${m.name} ${m.address}`).join(", ") || "(none)";
  const entry = members.find((m) => m.id === librechat.containerId);
  if (!entry) {
    await fail({
      problem: `LibreChat (${librechat.containerName}) is not on the backend network ${backend.name} (the guide's backend-dev).`,
      expected: `docker network inspect ${backend.name} to list ${librechat.containerName}`,
      seen: `members: ${memberList}`,
      fix: `add backend-dev to the networks of the api service in ${stack().librechat.composeFiles.at(-1) ?? "compose.librechat.yaml"} and declare it as an external network (the guide's step 2)`,
      role: "librechat",
    });
  }
  const aliases = (await attachedNetworks(librechat.containerId))[backend.name]?.aliases ?? [];
  const missing = BACKEND_ALIASES.filter((alias) => !aliases.includes(alias));
  if (missing.length > 0) {
    await fail({
      problem: `LibreChat is on ${backend.name} but lacks the alias(es) ${missing.join(", ")}.`,
      expected: `aliases ${BACKEND_ALIASES.join(", ")}`,
      seen: `aliases ${aliases.join(", ") || "(none)"}`,
      fix: "set container_name: librechat-api, or list the aliases under networks.backend-dev.aliases (the guide's Option 3)",
      role: "librechat",
    });
  }
  await evidence(ctx, `docker network inspect ${backend.name}: ${entry!.name} ${entry!.address}, aliases ${aliases.join(", ")}`);
  const leaked = (["mongodb", "meilisearch"] as const).filter((role) => members.some((m) => m.id === stack().services[role]?.containerId));
  if (leaked.length > 0) {
    await fail({
      problem: `${leaked.join(" and ")} sit on the backend network ${backend.name}, where Django and SvelteKit can reach them.`,
      expected: "only LibreChat, Django and SvelteKit on the backend network",
      seen: `members: ${memberList}`,
      fix: "keep mongodb and meilisearch on LibreChat's own network only (the guide's Production Considerations)",
    });
  }
  await evidence(ctx, `backend members: ${memberList}; MongoDB and MeiliSearch are not among them`);
}));
