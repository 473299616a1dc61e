import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFromHost } from "./host-http.ts";
import { httpReadiness } from "./http-readiness.ts";
import { readinessProbe, type ReadinessSeen } from "./librechat.ts";

/** What the fake service answers, per path: a status and body, "hang" or "reset". */
let routes: Record<string, [number, string] | "hang" | "reset"> = {};
const server = http.createServer((request, response) => {
  const route = routes[request.url ?? ""] ?? [404, "Not Found"];
  if (route === "hang") return;
  if (route === "reset") return request.socket.destroy();
  response.writeHead(route[0]).end(route[1]);
});
let base = "";
const PORT = 3080;
const published = (port: number): string | undefined => (port === PORT ? base : undefined);
const NO_CONTAINER = "no-such-container-for-a-unit-test";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("getFromHost", () => {
  it("gives the status and body of any answer, no answer in time as a timeout, and a connection closed before any answer as unreachable", async () => {
    routes = { "/readyz": [503, "not ready"], "/hang": "hang", "/reset": "reset" };
    expect(await getFromHost(`${base}/readyz`, 2000)).toEqual({ kind: "answer", status: 503, body: "not ready" });
    expect(await getFromHost(`${base}/hang`, 200)).toMatchObject({ kind: "timeout" });
    expect(await getFromHost(`${base}/reset`, 2000)).toMatchObject({ kind: "unreachable", why: expect.stringMatching(/ECONNRESET/) });
    expect(await getFromHost("http://127.0.0.1:1/", 2000)).toMatchObject({ kind: "unreachable", why: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe("LibreChat's readiness, asked from the host", () => {
  const ask = async (): Promise<{ ready: boolean; route: string | undefined }> => {
    const seen: ReadinessSeen = { route: undefined };
    const result = await readinessProbe(PORT, seen, 2000)(NO_CONTAINER, published);
    return { ready: result.ready, route: seen.route };
  };

  it("is ready on /readyz 200 OK, and records the readiness route", async () => {
    routes = { "/readyz": [200, "OK"] };
    expect(await ask()).toEqual({ ready: true, route: "/readyz" });
  });

  it("is not ready on /readyz 503, whatever /health says", async () => {
    routes = { "/readyz": [503, "not ready"], "/health": [200, "OK"] };
    expect(await ask()).toEqual({ ready: false, route: undefined });
  });

  it("hands a /readyz that is no readiness route (404, the SPA page) to /health", async () => {
    routes = { "/health": [200, "OK"] };
    expect(await ask()).toEqual({ ready: true, route: undefined });
    routes = { "/readyz": [200, "<!doctype html>"], "/health": [500, "no"] };
    expect(await ask()).toEqual({ ready: false, route: undefined });
  });

  it("counts a /health that timed out as no answer", async () => {
    routes = { "/health": "hang" };
    expect(await readinessProbe(PORT, { route: undefined }, 200)(NO_CONTAINER, published)).toMatchObject({ ready: false, answered: false });
  });
});

describe("the in-container fallback", () => {
  it("runs when the host gets no HTTP answer, then at most once a second", async () => {
    routes = { "/health": "reset" };
    const probe = httpReadiness({ port: PORT, path: "/health", timeoutMs: 2000, judge: async () => ({ ready: true, detail: "judged" }) });
    // No such container: the exec fails, which shows that the fallback ran.
    await expect(probe(NO_CONTAINER, published)).rejects.toThrow();
    expect(await probe(NO_CONTAINER, published)).toMatchObject({ ready: false, answered: false, detail: expect.stringMatching(/ECONNRESET.*inside the container next/) });
  });

  it("goes straight inside when nothing is published", async () => {
    const probe = httpReadiness({ port: PORT, path: "/health", timeoutMs: 2000, judge: async () => ({ ready: true, detail: "judged" }) });
    await expect(probe(NO_CONTAINER, () => undefined)).rejects.toThrow();
  });
});
