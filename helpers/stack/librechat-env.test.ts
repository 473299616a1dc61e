import { describe, expect, it } from "vitest";
import { applyHarnessSettings, harnessSettings } from "./librechat-env.ts";
import { generateSecrets } from "./secrets.ts";

describe("harness settings", () => {
  const settings = harnessSettings(generateSecrets());

  it("fills what the user left unset and keeps what the user set, except forced settings", () => {
    const { env, applied } = applyHarnessSettings({ ALLOW_REGISTRATION: "false", CONFIG_PATH: "/app/mine.yaml", LOGIN_MAX: "" }, settings);
    expect(env.ALLOW_REGISTRATION).toBe("false");
    expect(applied.find((s) => s.name === "ALLOW_REGISTRATION")?.outcome).toBe("kept-user-value");
    expect(env.CONFIG_PATH).toBe("/tmp/librechat-harness/librechat.yaml");
    expect(applied.find((s) => s.name === "CONFIG_PATH")?.outcome).toBe("overridden");
    expect(env.LOGIN_MAX).toBe("20");
    expect(applied.find((s) => s.name === "LOGIN_MAX")?.outcome).toBe("added");
  });

  it("never shows a generated secret", () => {
    const { env, applied } = applyHarnessSettings({}, settings);
    const jwt = applied.find((s) => s.name === "JWT_SECRET");
    expect(env.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(jwt?.shownValue).not.toContain(env.JWT_SECRET);
  });

  it("generates secrets of the sizes LibreChat expects", () => {
    const secrets = generateSecrets();
    expect(secrets.credsKey).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.credsIv).toMatch(/^[0-9a-f]{32}$/);
    expect(generateSecrets().jwt).not.toBe(secrets.jwt);
  });
});
