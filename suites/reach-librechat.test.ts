import { test, type TestContext } from "vitest";
import { httpGetInside } from "../helpers/suite/containers.ts";
import { evidence, fail, service, stack } from "../helpers/suite/context.ts";
import { check, evidenceOf, observe, scaled, tooSlow } from "../helpers/suite/evidence.ts";
import { curlAnswer, describeCurl, type CurlResult } from "../helpers/suite/net.ts";
import { BACKEND_ALIASES, HEALTH_ROUTE } from "../helpers/suite/topology.ts";

/** Why a stub's curl to LibreChat failed, in the words of the guide's Troubleshooting section. */
async function explain(result: CurlResult, host: string): Promise<{ problem: string; fix: string }> {
  const current = stack();
  if (result.exitCode === 6) {
    return {
      problem: `The name ${host} does not resolve on the backend network (${result.error}).`,
      fix: "put LibreChat on backend-dev (compose.librechat.yaml networks) with container_name librechat-api, then restart it with both compose files (Troubleshooting: Cannot Connect to LibreChat)",
    };
  }
  if (result.exitCode === 7 || result.exitCode === 28) {
    // The control: does LibreChat answer inside its own container, where the network plays no part?
    const url = `http://localhost:${current.librechat.port}${HEALTH_ROUTE}`;
    const inside = await evidenceOf("whether LibreChat answers inside its own container", () => httpGetInside(current.services.librechat!.containerId, url, scaled(4000)), (r) => r.ok && r.status === 200);
    const host0 = current.librechat.environment.HOST;
    if (inside.ok && inside.status === 200) {
      return {
        problem: `LibreChat answers inside its own container but not at ${host} (${result.error}): it listens only on its loopback interface (HOST=${host0 ?? "unset, which means localhost"}).`,
        fix: "set HOST=0.0.0.0 in LibreChat's environment (the guide's Environment Variables section)",
      };
    }
    return {
      problem: `Nothing answers at ${host}:${current.librechat.port} (${result.error}), not even inside LibreChat's container.`,
      fix: "check that LibreChat is running and that PORT matches the port in LIBRECHAT_API_URL",
    };
  }
  return { problem: `curl failed (${result.error}).`, fix: "see the container logs below" };
}

/**
 * The stub's curl until it gets LibreChat's answer. When every attempt only timed out, LibreChat's
 * own answer inside its container (the control) tells a silent network from a host too slow to tell.
 */
async function reachOrSilence(from: string, role: "django" | "sveltekit", alias: string, url: string): Promise<CurlResult> {
  const what = `whether ${from} reaches ${alias}`;
  const outcome = await observe(() => curlAnswer(role, url), (r) => r.exitCode === 0 && r.status === 200);
  if (outcome.kind !== "no-answer") return outcome.value;
  const current = stack();
  const inside = `http://localhost:${current.librechat.port}${HEALTH_ROUTE}`;
  const control = await observe(() => httpGetInside(current.services.librechat!.containerId, inside, scaled(4000)), (r) => r.ok && r.status === 200);
  if (control.kind !== "wanted") throw tooSlow(what, `${outcome.why}, and LibreChat's own ${inside} gave no answer either`);
  return fail({
    problem: `${from} gets no answer from LibreChat at ${alias} within ${(outcome.waitedMs / 1000).toFixed(0)} s (every connection timed out), while LibreChat answers inside its own container: the traffic is dropped on the way.`,
    expected: `curl ${url} → HTTP 200`,
    seen: outcome.why,
    fix: "check the firewall rules between the backend network's containers (the guide's `sudo iptables -L | grep DOCKER`)",
    role: "librechat",
  });
}

async function reach(ctx: TestContext, role: "django" | "sveltekit"): Promise<void> {
  service(ctx, "librechat");
  const stub = service(ctx, role);
  const current = stack();
  const port = current.librechat.port;
  for (const alias of BACKEND_ALIASES) {
    // The guide's own command first (its answer is shown, not judged), then the route LibreChat really serves.
    const guide = await observe(() => curlAnswer(role, `http://${alias}:${port}/api/health`), (r) => r.exitCode === 0);
    const health = await reachOrSilence(stub.containerName, role, alias, `http://${alias}:${port}${current.librechat.healthRoute}`);
    if (health.exitCode !== 0 || health.status !== 200) {
      const why = await explain(health, alias);
      await fail({
        problem: `${stub.containerName} cannot reach LibreChat at ${alias}:${port}. ${why.problem}`,
        expected: `${health.command} → HTTP 200`,
        seen: describeCurl(health),
        fix: why.fix,
        role: "librechat",
      });
    }
    await evidence(ctx, describeCurl(health));
    if (guide.kind === "no-answer") continue;
    const guideNote =
      guide.value.status === 200 && guide.value.body.trim().startsWith("{")
        ? "as the guide expects"
        : `the guide expects {"status":"ok"}; this LibreChat has no /api/health route, its health route is ${current.librechat.healthRoute}`;
    await evidence(ctx, `${describeCurl(guide.value)} (${guideNote})`);
  }
}

test("django-reaches-librechat", check((ctx) => reach(ctx, "django")));
test("sveltekit-reaches-librechat", check((ctx) => reach(ctx, "sveltekit")));
