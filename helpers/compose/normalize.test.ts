import { describe, expect, it } from "vitest";
import { normalizeHealthcheck, parseDuration, parsePort, parseVolume, splitCommand, toStringMap } from "./normalize.ts";

describe("parsePort", () => {
  it.each([
    ["3080:3080", [{ host: "3080", container: 3080, protocol: "tcp" }]],
    ["3000", [{ container: 3000, protocol: "tcp" }]],
    ["127.0.0.1:3080:3080", [{ host: "3080", hostIp: "127.0.0.1", container: 3080, protocol: "tcp" }]],
    ["127.0.0.1::80", [{ hostIp: "127.0.0.1", container: 80, protocol: "tcp" }]],
    ["[::1]:8080:80/udp", [{ host: "8080", hostIp: "::1", container: 80, protocol: "udp" }]],
    ["8000-8001:9000-9001", [{ host: "8000", container: 9000, protocol: "tcp" }, { host: "8001", container: 9001, protocol: "tcp" }]],
  ])("%s", (spec, expected) => {
    expect(parsePort(spec, {})).toEqual(expected);
  });

  it("reads the long syntax and bare numbers", () => {
    expect(parsePort({ target: 3000, published: "3001", host_ip: "127.0.0.1" }, {})).toEqual([{ host: "3001", hostIp: "127.0.0.1", container: 3000, protocol: "tcp" }]);
    expect(parsePort(80, {})).toEqual([{ container: 80, protocol: "tcp" }]);
  });

  it("rejects what Compose rejects, e.g. an unset ${PORT} giving ':'", () => {
    expect(() => parsePort(":", { file: "/c.yml", line: 8 })).toThrow(/\/c\.yml:8: invalid port ":"/);
    expect(() => parsePort("99999:1", {})).toThrow(/not a port number/);
  });
});

describe("other normalisers", () => {
  it("parses Go durations", () => {
    expect(parseDuration("30s", {})).toBe(30_000);
    expect(parseDuration("1m30s", {})).toBe(90_000);
    expect(parseDuration("500ms", {})).toBe(500);
    expect(() => parseDuration("30 seconds", {})).toThrow(/invalid duration/);
  });

  it("fills Docker's healthcheck defaults and reads the string form as CMD-SHELL", () => {
    expect(normalizeHealthcheck({ test: "curl -f x" }, {})).toEqual({ test: ["CMD-SHELL", "curl -f x"], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 });
    expect(normalizeHealthcheck({ disable: true }, {})?.test).toEqual(["NONE"]);
  });

  it("splits commands like a shell without expanding", () => {
    expect(splitCommand("mongod --noauth")).toEqual(["mongod", "--noauth"]);
    expect(splitCommand(`sh -c 'echo "$X" a'`)).toEqual(["sh", "-c", 'echo "$X" a']);
  });

  it("normalises list-form maps and volumes", () => {
    expect(toStringMap(["A=1", "B", "C=x=y"])).toEqual({ A: "1", B: null, C: "x=y" });
    expect(toStringMap(["host.docker.internal:host-gateway"], "=:")).toEqual({ "host.docker.internal": "host-gateway" });
    expect(parseVolume("./logs:/app/logs:ro", "/p", {})).toEqual({ type: "bind", source: "/p/logs", target: "/app/logs", readOnly: true, createHostPath: true });
    // Only a bind has a host path to create; Compose v2 reports none for named and anonymous volumes.
    expect(parseVolume("pgdata2:/var/lib/postgresql/data", "/p", {})).toEqual({ type: "volume", source: "pgdata2", target: "/var/lib/postgresql/data", readOnly: false, createHostPath: false });
    expect(parseVolume("/anon", "/p", {})).toEqual({ type: "volume", target: "/anon", readOnly: false, createHostPath: false });
    expect(parseVolume({ type: "volume", source: "v", target: "/v", bind: { create_host_path: true } }, "/p", {}).createHostPath).toBe(false);
  });
});
