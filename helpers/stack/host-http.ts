import http from "node:http";

/**
 * What a GET from the host over a published port saw: an HTTP answer; no answer because the
 * connection could not be made or closed before a status line came (nothing listens, or Docker's
 * port proxy reached no listener behind it); or no answer in time.
 */
export type HostGet =
  | { kind: "answer"; status: number; body: string }
  | { kind: "unreachable"; why: string }
  | { kind: "timeout"; why: string };

/** A readiness body is a word or a short JSON document; more says nothing more. */
const BODY_LIMIT = 500;

/**
 * GET `url` from the harness's own process, as `curl` on the host would: one fresh connection
 * (no agent, so no idle socket outlives the probe and no answer comes from a reused one), no
 * redirects followed (readiness routes answer directly), the body cut at 500 characters.
 */
export function getFromHost(url: string, timeoutMs: number): Promise<HostGet> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: HostGet): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = http.get(url, { agent: false, headers: { connection: "close" } }, (response) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const done = (): void => settle({ kind: "answer", status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, BODY_LIMIT) });
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= BODY_LIMIT) done();
      });
      response.on("end", done);
      // The status line came: a body cut short is still this answer.
      response.on("error", done);
      response.on("close", done);
    });
    request.on("error", (error: NodeJS.ErrnoException) => settle({ kind: "unreachable", why: error.code ? `${error.code} (${error.message})` : error.message }));
    const timer = setTimeout(() => settle({ kind: "timeout", why: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
}
