import { errorText } from "../docker/client.ts";
import { execIn } from "../docker/exec.ts";
import { answer, noAnswer, type Observation } from "../docker/until.ts";
import { FIXTURES } from "../images/fixtures.ts";
import { ContainerStartError } from "./harness-container.ts";
import type { NetworkKey } from "./descriptor.ts";
import { httpGetInside, type ProbeJson } from "./in-container.ts";
import { runningIsReady, type ProbeResult } from "./readiness.ts";
import type { RunContext } from "./run-context.ts";
import { ServiceContainer, type StartedService } from "./service-container.ts";

/** The harness's probe tool image (fixtures/probe): not a role of the guide's topology. */
export const PROBE_IMAGE = FIXTURES.probe.tag;

export type ProbeReply = ProbeJson & Record<string, unknown>;

/**
 * Runs the probe tool inside a probe container and parses its one JSON line; a probe that did
 * not finish, or printed no JSON (starved, killed), is no answer.
 */
export async function runProbe(probeContainerId: string, args: string[], timeoutMs = 20_000): Promise<Observation<ProbeReply>> {
  const result = await execIn(probeContainerId, ["probe", ...args], { timeoutMs });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  try {
    return answer(JSON.parse(line) as ProbeReply);
  } catch {
    return noAnswer(`the probe printed no JSON (exit ${result.exitCode}${result.timedOut ? `, still running after ${timeoutMs} ms` : ""}): ${(result.stderr || result.stdout).trim().slice(0, 200)}`);
  }
}

/**
 * An idle tool container on LibreChat's internal network, so that MongoDB, MeiliSearch and the
 * mock LLM are checked from where LibreChat sees them, without publishing their ports.
 */
export class ProbeContainer extends ServiceContainer {
  /** By default the run's own probe on the internal network; `networks` and `name` give another (e.g. on LibreChat's networks). */
  constructor(run: RunContext, image = PROBE_IMAGE, networks: NetworkKey[] = ["librechat-internal"], name = "probe") {
    super(image, "probe", run, networks.map((key) => ({ key, aliases: [] })), name);
    this.withWaitStrategy(runningIsReady(name));
  }
}

/** The started probe container, or the final start failure that nothing can be checked without. */
async function startedProbe(probe: Promise<StartedService>): Promise<StartedService> {
  return probe.catch((error: unknown) => {
    throw new ContainerStartError(`the probe container did not start, so nothing can be checked from the internal network: ${errorText(error)}`);
  });
}

/** A readiness check run by the probe tool (once the probe is up), for the services it can see. */
export function probeCheck(probe: Promise<StartedService>, args: string[], isReady: (result: ProbeJson) => boolean) {
  return async (): Promise<ProbeResult> => {
    const seen = await runProbe((await startedProbe(probe)).getId(), args);
    if (seen.kind === "no-answer") return { ready: false, answered: false, detail: `probe ${args.join(" ")}: ${seen.why}` };
    return { ready: isReady(seen.value), detail: `probe ${args.join(" ")} → ${JSON.stringify(seen.value).slice(0, 300)}` };
  };
}

/**
 * Ready once `url` answers 200 from the probe container: a GET with the cheapest program the
 * probe image has (curl or wget; Node, which the probe tool would start, only without them).
 * A GET that timed out is no answer, as everywhere else.
 */
export function probeHttpCheck(probe: Promise<StartedService>, url: string, run: RunContext) {
  return async (): Promise<ProbeResult> => {
    const seen = await httpGetInside((await startedProbe(probe)).getId(), url, 4000 * run.timeScale, { errorBody: false });
    if (seen.kind === "no-answer") return { ready: false, answered: false, detail: `GET ${url} from the probe: ${seen.why}` };
    return { ready: seen.value.ok && seen.value.status === 200, detail: `GET ${url} from the probe → ${seen.value.status ?? seen.value.error}` };
  };
}
