import { answer, noAnswer, type Observation } from "../docker/until.ts";
import { getFromHost, type HostGet } from "./host-http.ts";
import { httpGetInside, type ProbeJson } from "./in-container.ts";
import type { Probe, ProbeResult } from "./readiness.ts";

/** A further GET on the same way the first answer came (the host, or inside the container). */
export type SameWay = (path: string) => Promise<Observation<ProbeJson>>;

export interface HttpReadiness {
  /** The service's own port inside the container. */
  port: number;
  /** The route asked first; its answer goes to `judge`. */
  path: string;
  /** Each request's own timeout (4 s × HARNESS_TIME_SCALE). */
  timeoutMs: number;
  /** Turns the first route's answer (an HTTP status, or a refusal inside the container) into a verdict. */
  judge: (first: ProbeJson, again: SameWay, where: string) => Promise<ProbeResult>;
}

/**
 * How often the in-container fallback may run while the host gets no answer: it is an exec
 * (~60-220 ms of CPU on a host that LibreChat's start also needs), and the host answers as soon
 * as the service listens on its interface, which is all but the loopback-only case.
 */
const INSIDE_EVERY_MS = 1000;

function hostObservation(seen: HostGet): Observation<ProbeJson> {
  if (seen.kind === "answer") return answer({ ok: true, status: seen.status, body: seen.body });
  if (seen.kind === "timeout") return noAnswer(seen.why);
  return answer({ ok: false, error: seen.why });
}

/**
 * An HTTP readiness probe that asks from the host over the published port first (one GET from the
 * harness's own process, ~15 ms), and inside the container only when the host gets no HTTP answer:
 * a service listening only on its loopback (HOST=localhost) answers inside but never through
 * Docker's port proxy, and it has started all the same (that is django-reaches-librechat's
 * finding, not librechat-starts'). Where it answers makes no difference to the verdict, which
 * `judge` gives from the same status and body either way.
 */
export function httpReadiness(spec: HttpReadiness): Probe {
  let insideAt = Number.NEGATIVE_INFINITY;
  return async (containerId, published) => {
    const base = published(spec.port);
    let fromHost = "";
    if (base) {
      const seen = await getFromHost(`${base}${spec.path}`, spec.timeoutMs);
      const where = `from the host at ${base}`;
      if (seen.kind === "answer") return spec.judge({ ok: true, status: seen.status, body: seen.body }, async (path) => hostObservation(await getFromHost(`${base}${path}`, spec.timeoutMs)), where);
      fromHost = `GET ${spec.path} ${where}: ${seen.why}; `;
      // Not yet the in-container probe's turn. The host's failure alone is no answer: it may be
      // the way (a remote engine, a proxy), and the in-container probe decides when the host cannot.
      if (performance.now() - insideAt < INSIDE_EVERY_MS) return { ready: false, answered: false, detail: `${fromHost}inside the container next` };
    }
    insideAt = performance.now();
    const inside: SameWay = (path) => httpGetInside(containerId, `http://localhost:${spec.port}${path}`, spec.timeoutMs, { errorBody: false });
    const first = await inside(spec.path);
    if (first.kind === "no-answer") return { ready: false, answered: false, detail: `${fromHost}GET ${spec.path} inside the container: ${first.why}` };
    const verdict = await spec.judge(first.value, inside, "inside the container");
    return { ...verdict, detail: `${fromHost}${verdict.detail}` };
  };
}
