import { setTimeout as delay } from "node:timers/promises";
import type { Healthcheck } from "../compose/model.ts";
import { docker, errorText } from "../docker/client.ts";
import { containerState, describeContainer, type HealthProbe } from "../docker/diagnostics.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import { httpGetInside, type ProbeJson } from "../stack/in-container.ts";
import { LibreChatContainer, type LibreChatRuntime } from "../stack/librechat.ts";
import { ProbeWaitStrategy } from "../stack/readiness.ts";
import { runContextOf } from "../stack/run-context.ts";
import { parseEnvLines } from "./containers.ts";
import { oneLine, runInfo } from "./context.ts";
import { evidenceOf, finishedInside, scaled } from "./evidence.ts";

export interface DockerVerdict {
  status: "healthy" | "unhealthy" | "starting";
  log: HealthProbe[];
  waitedMs: number;
}

/** The program a healthcheck runs: CMD's first argument, or CMD-SHELL's first word. */
export function healthcheckProgram(test: string[]): string | undefined {
  if (test[0] === "CMD") return test[1];
  if (test[0] === "CMD-SHELL") return test[1]?.trim().split(/\s+/)[0];
  return undefined;
}

export function healthcheckUrl(test: string[]): string | undefined {
  return /https?:\/\/[^\s"'|;&)]+/.exec(test.slice(1).join(" "))?.[0];
}

function programMissing(probe: HealthProbe | undefined): boolean {
  if (!probe) return false;
  return /executable file not found|not found|no such file or directory/i.test(probe.output) && probe.exitCode !== 0;
}

/**
 * Waits for Docker's own verdict on the healthcheck as configured: healthy at any point passes.
 * "unhealthy" is not final while the wait lasts (a LibreChat that started slower than the start
 * period on a busy host turns healthy at its next probe); a failure that waiting cannot cure (the
 * program is missing, the route answers an error while LibreChat is up) ends the wait at once.
 */
export async function waitForDockerVerdict(
  containerId: string,
  spec: Healthcheck,
  conclusive: (probe: HealthProbe) => Promise<boolean>,
): Promise<DockerVerdict> {
  const started = Date.now();
  const deadline = started + scaled(spec.startPeriodMs + (spec.retries + 1) * (spec.intervalMs + spec.timeoutMs) + 15_000);
  for (;;) {
    const state = await containerState(containerId);
    const health = state.health;
    const waitedMs = Date.now() - started;
    if (!health) return { status: "starting", log: [], waitedMs };
    const status = health.status === "unhealthy" ? "unhealthy" : "starting";
    if (health.status === "healthy") return { status: "healthy", log: health.log, waitedMs };
    const last = health.log.at(-1);
    if (last && last.exitCode !== 0 && (await conclusive(last))) return { status, log: health.log, waitedMs };
    if (Date.now() > deadline || !state.running) return { status, log: health.log, waitedMs };
    await delay(500);
  }
}

export interface Cause {
  kind: "missing-program" | "route" | "timing" | "unreachable" | "other";
  text: string;
}

/** Why the configured healthcheck fails, each cause checked on the running container. */
export async function healthcheckCauses(containerId: string, stack: StackDescriptor, spec: Healthcheck, last: HealthProbe | undefined): Promise<Cause[]> {
  const causes: Cause[] = [];
  const program = healthcheckProgram(spec.test);
  if (program) {
    const found = await hasProgram(containerId, program);
    if (programMissing(last) || !found) {
      causes.push({
        kind: "missing-program",
        text: `the image has no ${program}: Docker's probe says "${oneLine(last?.output ?? `${program}: not found`, 200)}" (exit ${last?.exitCode ?? 127})`,
      });
    }
  }
  const url = healthcheckUrl(spec.test);
  if (url) {
    const answer = await insideAnswer(containerId, url, "the healthcheck's URL inside LibreChat's container");
    if (answer.ok && (answer.status ?? 0) >= 400) {
      causes.push({
        kind: "route",
        text: `${new URL(url).pathname} is not a route this LibreChat serves: GET ${url} → ${answer.status} ${oneLine(answer.body ?? "", 120)} (its health route is ${stack.librechat.healthRoute}${stack.librechat.readinessRoute ? `, readiness ${stack.librechat.readinessRoute}` : ""})`,
      });
    } else if (!answer.ok) {
      const ready = await insideAnswer(containerId, `http://localhost:${stack.librechat.port}${stack.librechat.healthRoute}`, "LibreChat's health route inside its container");
      causes.push(
        ready.ok && ready.status === 200
          ? { kind: "unreachable", text: `${url} does not answer inside the container (${answer.error}) although LibreChat does on localhost:${stack.librechat.port}: check the host and port in the test` }
          : { kind: "timing", text: `LibreChat was not answering yet when Docker probed (${answer.error}): start_period ${spec.startPeriodMs / 1000} s may be too short` },
      );
    }
  }
  if (causes.length === 0 && last) causes.push({ kind: "other", text: `Docker's last probe: exit ${last.exitCode}: ${oneLine(last.output, 200)}` });
  return causes;
}

/** Whether the image has a program (`command -v` inside the container, retried while it cannot finish). */
export async function hasProgram(containerId: string, program: string): Promise<boolean> {
  return (await finishedInside(`whether the image has ${program}`, containerId, ["sh", "-c", `command -v ${program}`])).exitCode === 0;
}

/** An HTTP GET inside the container until it gets any answer (a status or a refusal). */
export function insideAnswer(containerId: string, url: string, what: string): Promise<ProbeJson> {
  return evidenceOf(what, () => httpGetInside(containerId, url, scaled(4000)), () => true);
}

export interface Proposal {
  test: string[];
  /** The line to put in compose.librechat.yaml. */
  yaml: string;
}

const TOOLS = ["wget", "node", "python3", "curl"] as const;

/** A healthcheck that works with a program this image has, against a route LibreChat serves. */
export async function proposeHealthcheck(containerId: string, stack: StackDescriptor): Promise<Proposal | undefined> {
  const route = stack.librechat.healthRoute;
  const url = `http://127.0.0.1:${stack.librechat.port}${route}`;
  const yamlUrl = `http://127.0.0.1:\${PORT:-${stack.librechat.port}}${route}`;
  for (const tool of TOOLS) {
    if (!(await hasProgram(containerId, tool))) continue;
    const shape = (u: string): string[] => {
      switch (tool) {
        case "wget":
          return ["CMD", "wget", "-qO-", u];
        case "node":
          return ["CMD", "node", "-e", `fetch('${u}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`];
        case "python3":
          return ["CMD", "python3", "-c", `import urllib.request;urllib.request.urlopen('${u}',timeout=5)`];
        case "curl":
          return ["CMD", "curl", "-fsS", u];
      }
    };
    return { test: shape(url), yaml: `test: ${JSON.stringify(shape(yamlUrl)).replace(/","/g, '", "')}` };
  }
  return undefined;
}

/**
 * Runs the proposal the way Docker would: a second LibreChat container from the same image and
 * configuration (the stack's own LibreChat factory), on the internal network only (so the stubs
 * never see it), with the proposed healthcheck at a short interval, until Docker calls it healthy.
 */
export async function verifyProposal(stack: StackDescriptor, proposal: Proposal, spec: Healthcheck): Promise<{ healthy: boolean; detail: string }> {
  const source = await docker().getContainer(stack.services.librechat!.containerId).inspect();
  const healthcheck = { test: proposal.test, intervalMs: 1000, timeoutMs: spec.timeoutMs || 5000, retries: spec.retries || 3, startPeriodMs: spec.startPeriodMs };
  const environment = parseEnvLines(source.Config.Env ?? []);
  // Its bound files (LibreChat's .env) come along; data volumes and published ports do not.
  const volumes = (source.Mounts ?? []).filter((m) => m.Type === "bind").map((m) => ({ type: "bind", source: m.Source, target: m.Destination, readOnly: !m.RW }));
  const runtime: LibreChatRuntime = {
    serviceName: "healthcheck-verify", environment, processEnvironment: environment, command: source.Config.Cmd ?? undefined, user: source.Config.User || undefined,
    unusableUser: undefined, extraHosts: source.HostConfig.ExtraHosts ?? [], restart: undefined, volumes, healthcheck, ports: [],
  };
  const run = runContextOf(stack, spec.startPeriodMs + 90_000, runInfo().timeScale);
  const container = new LibreChatContainer(source.Config.Image, run, runtime, [{ key: "librechat-internal", aliases: [] }], { hostPorts: "random", name: "healthcheck-verify" })
    .withWaitStrategy(new ProbeWaitStrategy("LibreChat with the proposed healthcheck", dockerSaysHealthy, run.startupTimeoutMs));
  try {
    const started = await container.start();
    const state = await containerState(started.getId());
    await docker().getContainer(started.getId()).remove({ force: true }).catch(() => undefined);
    return { healthy: true, detail: `Docker ran it on a second LibreChat container (${source.Config.Image}) and reported healthy; last probe: ${oneLine(state.health?.log.at(-1)?.output ?? "", 120) || "(no output)"}` };
  } catch (error) {
    const id = container.containerId;
    const details = id ? await describeContainer(id, 20) : "";
    if (id) await docker().getContainer(id).remove({ force: true }).catch(() => undefined);
    return { healthy: false, detail: `${errorText(error).split("\n")[0]}\n${details}` };
  }
}

async function dockerSaysHealthy(id: string): Promise<{ ready: boolean; detail: string }> {
  const state = await containerState(id);
  return { ready: state.health?.status === "healthy", detail: `health ${state.health?.status ?? "none"}` };
}
