import { describe, expect, it } from "vitest";
import { parseKeyValues } from "./config.ts";

describe("HARNESS_STUB_ENV", () => {
  it("parses KEY=value pairs and rejects anything else", () => {
    expect(parseKeyValues("FORWARD_CLIENT_HEADERS=false, A=b=c", "HARNESS_STUB_ENV")).toEqual({ FORWARD_CLIENT_HEADERS: "false", A: "b=c" });
    expect(parseKeyValues(undefined, "HARNESS_STUB_ENV")).toEqual({});
    expect(() => parseKeyValues("oops", "HARNESS_STUB_ENV")).toThrow(/not KEY=value/);
  });
});
