import { describe, expect, it } from "vitest";
import { endUserAddress, newEndUser, summary } from "./stubs.ts";

describe("test identities", () => {
  it("gives addresses only from the documentation ranges", () => {
    for (let i = 0; i < 200; i++) expect(endUserAddress()).toMatch(/^(198\.51\.100|203\.0\.113)\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$/);
  });

  it("gives each user a unique email and a password inside LibreChat's 8–128 rule", () => {
    const a = newEndUser("reg");
    const b = newEndUser("reg");
    expect(a.email).not.toBe(b.email);
    expect(a.email).toMatch(/^reg-[0-9a-f]{10}@example\.test$/);
    expect(a.password.length).toBeGreaterThanOrEqual(8);
    expect(a.password.length).toBeLessThanOrEqual(128);
    expect(a.name.length).toBeGreaterThanOrEqual(3);
  });
});

describe("summary", () => {
  it("shows the status and body, or why there was no answer", () => {
    expect(summary({ status: 201, headers: {}, text: '{"id": 1}', json: { id: 1 } })).toBe('201 {"id": 1}');
    expect(summary({ status: 0, headers: {}, text: "", json: undefined, error: "ECONNREFUSED" })).toBe("no answer: ECONNREFUSED");
  });
});
