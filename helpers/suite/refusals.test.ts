import { describe, expect, it } from "vitest";
import { explainDjangoRefusal, librechatMessage } from "./refusals.ts";
import type { Answer } from "./stubs.ts";

function answer(status: number, json: unknown): Answer {
  return { status, headers: {}, text: JSON.stringify(json), json };
}

describe("explainDjangoRefusal", () => {
  it("names ALLOW_REGISTRATION and its current value when LibreChat refuses registration", () => {
    const why = explainDjangoRefusal(
      "register",
      answer(502, { error: "librechat_registration_failed", librechatStatus: 403, librechatBody: { message: "Registration is not allowed." } }),
      { ALLOW_REGISTRATION: "false" },
    );
    expect(why.role).toBe("librechat");
    expect(why.fix).toContain("ALLOW_REGISTRATION=true");
    expect(why.fix).toContain('now "false"');
  });

  it("names the Secure cookie, the jar and both fixes when the refresh cookie is Secure", () => {
    const why = explainDjangoRefusal(
      "refresh",
      answer(502, {
        error: "librechat_refresh_failed",
        librechatStatus: 200,
        librechatBody: "Refresh token not provided",
        refreshCookieSent: false,
        cookies: [{ name: "refreshToken", secure: true, httpOnly: true, sameSite: "Strict", path: "/" }],
      }),
      {},
    );
    expect(why.problem).toMatch(/marked the refreshToken cookie Secure/);
    expect(why.problem).toContain("http://");
    expect(why.fix).toContain("SESSION_COOKIE_SECURE=false");
    expect(why.fix).toContain("it is unset");
    expect(why.fix).toMatch(/v0\.8\.1.*NODE_ENV.*TLS/s);
  });

  it("does not blame the Secure flag when the cookie was not Secure", () => {
    const why = explainDjangoRefusal(
      "refresh",
      answer(502, {
        error: "librechat_refresh_failed",
        librechatStatus: 401,
        librechatBody: "Refresh token expired or not found for this user",
        refreshCookieSent: true,
        cookies: [{ name: "refreshToken", secure: false }],
      }),
    );
    expect(why.problem).not.toMatch(/Secure/);
    expect(why.problem).toContain("401");
  });

  it("tells an unreachable LibreChat from a refusal", () => {
    const why = explainDjangoRefusal(
      "login",
      answer(502, { error: "librechat_login_failed", librechatStatus: null, librechatBody: null, detail: "http://librechat-api:3080: connection refused" }),
    );
    expect(why.problem).toContain("could not reach LibreChat");
    expect(why.fix).toContain("LIBRECHAT_API_URL");
    expect(why.role).toBe("django");
  });

  it("explains a reused email at login and a Django-side refusal", () => {
    const reused = explainDjangoRefusal("login", answer(502, { error: "librechat_login_failed", librechatStatus: 404, librechatBody: { message: "Incorrect password." } }));
    expect(reused.fix).toContain("already had a LibreChat account");
    const own = explainDjangoRefusal("register", answer(409, { error: "email_taken" }));
    expect(own.role).toBe("django");
    expect(own.problem).toContain("409 email_taken");
  });
});

describe("librechatMessage", () => {
  it("reads plain text, {message} and {error}", () => {
    expect(librechatMessage("Refresh token not provided")).toBe("Refresh token not provided");
    expect(librechatMessage({ message: "Incorrect password." })).toBe("Incorrect password.");
    expect(librechatMessage({ error: "x" })).toBe("x");
  });
});
