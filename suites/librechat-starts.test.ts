import { test } from "vitest";
import { containerState, httpGetInside, lastLogLines, restartCount as restartsOf, type ProbeJson } from "../helpers/suite/containers.ts";
import { evidence, fail, oneLine, stack } from "../helpers/suite/context.ts";
import { check, evidenceOf, InconclusiveError, scaled } from "../helpers/suite/evidence.ts";
import { librechatMongoLines, mongoCause, reachMongoFromLibreChat } from "../helpers/suite/start-diagnosis.ts";

const LISTENING = /Server listening (on all interfaces at port \d+|at http:\/\/\S+)/;

/** A route inside LibreChat's container, asked until it answers 200 or keeps answering otherwise. */
function routeAnswer(containerId: string, url: string, what: string): Promise<ProbeJson> {
  return evidenceOf(what, () => httpGetInside(containerId, url, scaled(4000)), (r) => r.ok && r.status === 200);
}

test("librechat-starts", check(async (ctx) => {
  const current = stack();
  if (current.startFailure) {
    const { role, message, inconclusive } = current.startFailure;
    if (inconclusive) throw new InconclusiveError(`inconclusive: ${message.split("\n")[0]}`);
    if (role !== "librechat") throw new Error(`LibreChat was not started because ${role} failed first.\n${message}`);
    // The cause, whichever way the start failed first: can LibreChat reach its MONGO_URI at all?
    const uri = current.librechat.environment.MONGO_URI;
    const reach = uri ? await reachMongoFromLibreChat(current, uri) : undefined;
    const cause = mongoCause(reach);
    if (!cause || !reach) throw new Error(`LibreChat did not start.${reach ? ` (MongoDB answers at ${reach.host}:${reach.port} from LibreChat's networks, so it is not the cause.)` : ""}\n${message}`);
    throw new Error(
      [
        `LibreChat did not start. ${cause.problem}`,
        `seen from a probe on LibreChat's networks (${current.librechat.networks.join(", ")}): TCP ${reach.host}:${reach.port} → ${reach.outcome}${reach.address ? ` (${reach.address})` : ""}`,
        "LibreChat's own lines about MongoDB:",
        librechatMongoLines(message),
        `fix: ${cause.fix}`,
        "",
        message,
      ].join("\n"),
    );
  }
  const librechat = current.services.librechat!;
  const state = await containerState(librechat.containerId);
  const restartCount = await restartsOf(librechat.containerId);
  if (!state.running || restartCount > 0) {
    await fail({
      problem: "LibreChat does not stay up.",
      expected: "the container running, never restarted",
      seen: `${state.status}, exit code ${state.exitCode}, ${restartCount} restarts`,
      fix: "read LibreChat's log lines below (MONGO_URI, JWT_SECRET and librechat.yaml errors stop it at boot)",
      role: "librechat",
      logLines: 60,
    });
  }
  const logs = await lastLogLines(librechat.containerId, 400);
  const listening = LISTENING.exec(logs)?.[0];
  if (!listening) {
    await fail({
      problem: "LibreChat never logged its listening line.",
      expected: '"Server listening on all interfaces at port <PORT>" (or "Server listening at http://<HOST>:<PORT>")',
      seen: "no such line in its logs",
      fix: "LibreChat stops before listening when MongoDB, its config or client/dist/index.html is missing: see the logs",
      role: "librechat",
      logLines: 60,
    });
  }
  await evidence(ctx, `log: ${listening}`);
  const port = current.librechat.port;
  const health = await routeAnswer(librechat.containerId, `http://localhost:${port}${current.librechat.healthRoute}`, "LibreChat's health route");
  if (!health.ok || health.status !== 200) {
    await fail({
      problem: `LibreChat's health route ${current.librechat.healthRoute} does not answer 200 inside its container.`,
      expected: `GET http://localhost:${port}${current.librechat.healthRoute} → 200 OK`,
      seen: health.ok ? `${health.status} ${oneLine(health.body ?? "")}` : `no answer: ${health.error}`,
      fix: "check HOST and PORT in LibreChat's environment and the logs below",
      role: "librechat",
    });
  }
  await evidence(ctx, `GET ${current.librechat.healthRoute} inside ${librechat.containerName} → ${health.status} ${oneLine(health.body ?? "")}`);
  if (current.librechat.readinessRoute) {
    const ready = await routeAnswer(librechat.containerId, `http://localhost:${port}${current.librechat.readinessRoute}`, "LibreChat's readiness route");
    if (!ready.ok || ready.status !== 200) {
      await fail({
        problem: "LibreChat's readiness route stopped answering 200 after start.",
        expected: `GET ${current.librechat.readinessRoute} → 200 OK`,
        seen: ready.ok ? `${ready.status} ${oneLine(ready.body ?? "")}` : `no answer: ${ready.error}`,
        fix: "post-listen initialisation failed: see the logs",
        role: "librechat",
      });
    }
    await evidence(ctx, `GET ${current.librechat.readinessRoute} → ${ready.status} ${oneLine(ready.body ?? "")}`);
  } else {
    await evidence(ctx, "this LibreChat has no readiness route (/readyz came with v0.8.6); /health decided readiness");
  }
}));
