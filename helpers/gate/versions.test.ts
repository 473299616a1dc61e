import { describe, expect, it } from "vitest";
import { factBetween, parseVersion, VERSION_FACTS, versionNotes } from "./versions.ts";

const fact = (id: string) => VERSION_FACTS.find((f) => f.id === id)!;

describe("version facts", () => {
  it("parses release versions and refuses tags that are not one", () => {
    expect(parseVersion("v0.8.7")).toEqual([0, 8, 7]);
    expect(parseVersion("0.8.10-rc1")).toEqual([0, 8, 10]);
    expect(parseVersion("latest")).toBeUndefined();
  });

  it("separates v0.8.1 from v0.8.7 by /readyz, the resumable chat, the cookie override and the admin panel", () => {
    expect(versionNotes("v0.8.1", "v0.8.7").map((n) => n.fact.id)).toEqual(expect.arrayContaining(["readyz", "resumable-chat", "session-cookie-secure", "admin-panel", "api-health-404"]));
    expect(versionNotes("v0.8.7", "v0.8.7")).toEqual([]);
  });

  it("says a fact may apply when a side lies between its known bounds, and nothing for unreadable versions", () => {
    expect(factBetween(fact("session-cookie-secure"), "v0.8.1", "v0.8.4")).toBe("may-separate");
    expect(factBetween(fact("readyz"), "v0.8.6", "v0.8.7")).toBe("same");
    expect(factBetween(fact("readyz"), "v0.8.7", "v0.8.1")).toBe("separates");
    expect(factBetween(fact("readyz"), "latest", "v0.8.7")).toBe("unknown");
  });
});
