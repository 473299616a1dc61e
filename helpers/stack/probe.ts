import { errorText } from "../docker/client.ts";
import { execIn } from "../docker/exec.ts";
import { FIXTURES } from "../images/fixtures.ts";
import { ContainerStartError } from "./harness-container.ts";
import type { ProbeJson } from "./in-container.ts";
import { runningIsReady } from "./readiness.ts";
import type { RunContext } from "./run-context.ts";
import { ServiceContainer, type StartedService } from "./service-container.ts";

/** The harness's probe tool image (fixtures/probe): not a role of the guide's topology. */
export const PROBE_IMAGE = FIXTURES.probe.tag;

/** Runs the probe tool inside a probe container and parses its one JSON line. */
export async function runProbe(probeContainerId: string, args: string[], timeoutMs = 10_000): Promise<ProbeJson & Record<string, unknown>> {
  const result = await execIn(probeContainerId, ["probe", ...args], { timeoutMs });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as ProbeJson & Record<string, unknown>;
  } catch {
    return { ok: false, error: `probe printed no JSON (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 300)}` };
  }
}

/**
 * An idle tool container on LibreChat's internal network, so that MongoDB, MeiliSearch and the
 * mock LLM are checked from where LibreChat sees them, without publishing their ports.
 */
export class ProbeContainer extends ServiceContainer {
  constructor(run: RunContext, image = PROBE_IMAGE) {
    super(image, "probe", run, [{ key: "librechat-internal", aliases: [] }]);
    this.withWaitStrategy(runningIsReady("probe"));
  }
}

/** A readiness check run by the probe (once it is up), for the services it can see. */
export function probeCheck(probe: Promise<StartedService>, args: string[], isReady: (result: ProbeJson) => boolean) {
  return async (): Promise<{ ready: boolean; detail: string }> => {
    const started = await probe.catch((error: unknown) => {
      throw new ContainerStartError(`the probe container did not start, so nothing can be checked from the internal network: ${errorText(error)}`);
    });
    const result = await runProbe(started.getId(), args);
    return { ready: isReady(result), detail: `probe ${args.join(" ")} → ${JSON.stringify(result).slice(0, 300)}` };
  };
}
