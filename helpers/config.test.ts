import { describe, expect, it } from "vitest";
import { parseKeyValues, readConfig } from "./config.ts";

describe("HARNESS_STUB_ENV", () => {
  it("parses KEY=value pairs and rejects anything else", () => {
    expect(parseKeyValues("FORWARD_CLIENT_HEADERS=false, A=b=c", "HARNESS_STUB_ENV")).toEqual({ FORWARD_CLIENT_HEADERS: "false", A: "b=c" });
    expect(parseKeyValues(undefined, "HARNESS_STUB_ENV")).toEqual({});
    expect(() => parseKeyValues("oops", "HARNESS_STUB_ENV")).toThrow(/not KEY=value/);
  });
});

describe("readConfig", () => {
  it("says in one sentence which variable has a bad value", () => {
    for (const bad of ["abc", "0", "-5", "1.5"]) {
      expect(() => readConfig({ HARNESS_STARTUP_TIMEOUT_MS: bad })).toThrow(new RegExp(`^HARNESS_STARTUP_TIMEOUT_MS=${bad.replace(".", "\\.")} is not a positive whole number`));
    }
    expect(() => readConfig({ HARNESS_TIME_SCALE: "fast" })).toThrow(/^HARNESS_TIME_SCALE=fast is not a positive number/);
    expect(() => readConfig({ HARNESS_TIME_SCALE: "0" })).toThrow(/^HARNESS_TIME_SCALE=0 /);
    expect(() => readConfig({ HARNESS_KEEP: "maybe" })).toThrow(/^HARNESS_KEEP=maybe is not a switch/);
    expect(() => readConfig({ HARNESS_PROFILE: "staging" })).toThrow(/^HARNESS_PROFILE=staging is not known/);
    expect(() => readConfig({ HARNESS_HOST_PORTS: "fixed" })).toThrow(/^HARNESS_HOST_PORTS=fixed is not known/);
    expect(() => readConfig({ HARNESS_FAULT_CONCURRENCY: "two" })).toThrow(/^HARNESS_FAULT_CONCURRENCY=two /);
  });

  it("reads good values, and the defaults when unset", () => {
    const config = readConfig({ HARNESS_STARTUP_TIMEOUT_MS: "90000", HARNESS_TIME_SCALE: "2.5", HARNESS_KEEP: "1" });
    expect(config).toMatchObject({ startupTimeoutMs: 90_000, timeScale: 2.5, keepOnFailure: true });
    expect(readConfig({})).toMatchObject({ startupTimeoutMs: 180_000, timeScale: 1, keepOnFailure: false, hostPorts: "random", profile: "dev" });
  });
});
