import { describe, expect, it } from "vitest";
import { ComposeInputError } from "./errors.ts";
import { interpolate, usesAlternativeValue } from "./interpolate.ts";

const vars: Record<string, string> = { SET: "value", EMPTY: "", PORT: "3080" };
function run(s: string): { out: string; warnings: string[] } {
  const warnings: string[] = [];
  const out = interpolate(s, { lookup: (n) => vars[n], warn: (m) => warnings.push(m) });
  return { out, warnings };
}

describe("interpolate", () => {
  it.each([
    ["${SET}", "value"],
    ["$SET/x", "value/x"],
    ["${PORT}:${PORT}", "3080:3080"],
    ["${UNSET:-d}", "d"],
    ["${EMPTY:-d}", "d"],
    ["${EMPTY-d}", ""],
    ["${UNSET-d}", "d"],
    ["${SET:+alt}", "alt"],
    ["${EMPTY:+alt}", ""],
    ["${EMPTY+alt}", "alt"],
    ["${UNSET+alt}", ""],
    ["${SET:?boom}", "value"],
    ["${EMPTY?boom}", ""],
    ["$${SET} and $$", "${SET} and $"],
    ["${UNSET:-${PORT}}", "3080"],
    ["http://localhost:${PORT:-3080}/api/health", "http://localhost:3080/api/health"],
  ])("%s → %s", (input, expected) => {
    expect(run(input).out).toBe(expected);
  });

  it("warns and substitutes an empty string for an unset variable without default", () => {
    const r = run("${UID}:${GID}");
    expect(r.out).toBe(":");
    expect(r.warnings).toEqual([
      'The "UID" variable is not set. Defaulting to a blank string.',
      'The "GID" variable is not set. Defaulting to a blank string.',
    ]);
  });

  it("fails on :? and ? like Compose, naming the variable", () => {
    expect(() => run("${EMPTY:?needs a value}")).toThrow(/required variable EMPTY is missing a value: needs a value/);
    expect(() => run("${UNSET?gone}")).toThrow(ComposeInputError);
  });

  it("rejects malformed templates", () => {
    expect(() => run("${SET")).toThrow(/never closed/);
    expect(() => run("cost $5")).toThrow(/lone "\$"/);
    expect(() => run("${SET!x}")).toThrow(/unexpected/);
  });

  it("detects the :+ / + forms Compose v1 rejects", () => {
    expect(usesAlternativeValue("${A:+x}")).toBe(true);
    expect(usesAlternativeValue("${A+x}")).toBe(true);
    expect(usesAlternativeValue("${A:-x}")).toBe(false);
    expect(usesAlternativeValue("$${A:+x}")).toBe(false);
  });
});
