// Why LibreChat did not start, judged from what can be seen when the start failed, whichever
// came first (Docker's healthcheck, the exit, a restart, the wait's deadline): LibreChat's own
// log lines, and whether its MONGO_URI host resolves and answers from LibreChat's networks.
import { docker } from "../docker/client.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import { ProbeContainer, runProbe } from "../stack/probe.ts";
import { runContextOf } from "../stack/run-context.ts";
import { oneLine, runInfo } from "./context.ts";
import { evidenceOf, scaled } from "./evidence.ts";

export interface MongoReach {
  uri: string;
  host: string;
  port: number;
  /** What a TCP connection from LibreChat's networks to host:port gave: "connected", or the error code. */
  outcome: string;
  address: string | undefined;
}

/** host and port of a mongodb:// URI (the first host of a list; 27017 when it names none). */
export function mongoHostPort(uri: string): { host: string; port: number } | undefined {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^:/?,]+)(?::(\d+))?/.exec(uri);
  return match ? { host: match[1]!, port: Number(match[2] ?? 27017) } : undefined;
}

/** LibreChat's own lines about MongoDB and its start, newest last. */
export function mongoLogLines(logs: string): string[] {
  // eslint-disable-next-line no-control-regex -- LibreChat colours its log lines
  const plain = logs.replace(/\u001b\[[0-9;]*m/g, "");
  return plain.split("\n").filter((line) => /Failed to start server|MongooseServerSelectionError|MongoServerSelectionError|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|Connected to MongoDB/.test(line)).slice(-4);
}

/**
 * A TCP connection to MONGO_URI's host and port from a probe on exactly LibreChat's networks,
 * so that name resolution and reachability are what LibreChat itself gets.
 */
export async function reachMongoFromLibreChat(stack: StackDescriptor, uri: string): Promise<MongoReach | undefined> {
  const target = mongoHostPort(uri);
  if (!target) return undefined;
  const probe = await new ProbeContainer(runContextOf(stack, 60_000, runInfo().timeScale), undefined, stack.librechat.networks, "probe-librechat-networks").start();
  try {
    // Refused and unknown names are answers; a connect that only timed out is tried again.
    const attempt = () => runProbe(probe.getId(), ["tcp", target.host, String(target.port), String(scaled(5000))], scaled(30_000));
    const result = await evidenceOf(`whether LibreChat's networks reach ${target.host}:${target.port}`, attempt, (r) => r.ok || r.error !== "ETIMEDOUT");
    const address = typeof result.address === "string" ? result.address : undefined;
    return { uri, ...target, outcome: result.ok ? "connected" : (result.error ?? "no answer"), address };
  } finally {
    await docker().getContainer(probe.getId()).remove({ force: true }).catch(() => undefined);
  }
}

/** The sentence for a LibreChat that did not start, when MongoDB is the cause; undefined when it is not. */
export function mongoCause(reach: MongoReach | undefined): { problem: string; fix: string } | undefined {
  if (!reach || reach.outcome === "connected") return undefined;
  const where = `its MONGO_URI (${reach.uri})`;
  const fix = "point MONGO_URI at MongoDB's service on a network LibreChat joins (mongodb://mongodb:27017/LibreChat) and make sure MongoDB runs";
  if (reach.outcome === "ENOTFOUND" || reach.outcome === "EAI_AGAIN") {
    return { problem: `LibreChat cannot reach MongoDB at ${where}: the host ${reach.host} does not resolve on LibreChat's networks (${reach.outcome}).`, fix };
  }
  return { problem: `LibreChat cannot reach MongoDB at ${where}: the host ${reach.host} resolves on LibreChat's networks, but nothing answers on port ${reach.port} (${reach.outcome}).`, fix };
}

/**
 * What LibreChat said about MongoDB, from the log lines the failed start kept (Testcontainers
 * removes a container whose start failed), for the evidence under the cause.
 */
export function librechatMongoLines(startFailureMessage: string): string {
  const lines = mongoLogLines(startFailureMessage);
  return lines.length > 0 ? lines.map((l) => `  ${oneLine(l, 300)}`).join("\n") : "  (no line about MongoDB yet: its 30 s server selection was still running)";
}
