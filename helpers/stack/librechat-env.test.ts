import { describe, expect, it } from "vitest";
import { applyHarnessSettings, generateSecrets, harnessSettings } from "./librechat-env.ts";
import { librechatAttachments, librechatPort, type LibreChatServiceDefinition } from "./librechat-service.ts";
import { parseStubEnvironment } from "./stub-env.ts";

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

describe("LibreChat's attachments", () => {
  const base: LibreChatServiceDefinition = {
    serviceName: "api",
    image: "x",
    environment: {},
    command: undefined,
    healthcheck: undefined,
    containerName: "librechat-api",
    networks: [
      { key: "default", name: "default", external: false, internal: false, aliases: [] },
      { key: "backend-dev", name: "backend-dev", external: true, internal: false, aliases: ["chat"] },
    ],
    ports: [],
    user: undefined,
    sourceFiles: [],
  };

  it("maps external networks onto the backend and the rest onto the internal network, with the guide's aliases on the backend only", () => {
    const attachments = librechatAttachments(base);
    expect(attachments.get("backend")).toEqual(["api", "librechat-api", "chat", "librechat"]);
    expect(attachments.get("librechat-internal")).toEqual(["api", "librechat-api"]);
  });

  it("gives no backend attachment when the compose input leaves the backend out", () => {
    expect(librechatAttachments({ ...base, networks: [base.networks[0]!] }).has("backend")).toBe(false);
  });

  it("reads LibreChat's port like the server does", () => {
    expect(librechatPort({ PORT: "3081" })).toBe(3081);
    expect(librechatPort({})).toBe(3080);
    expect(librechatPort({ PORT: "abc" })).toBe(3080);
  });
});

describe("HARNESS_STUB_ENV", () => {
  it("parses KEY=value pairs and rejects anything else", () => {
    expect(parseStubEnvironment("FORWARD_CLIENT_HEADERS=false, A=b=c")).toEqual({ FORWARD_CLIENT_HEADERS: "false", A: "b=c" });
    expect(parseStubEnvironment(undefined)).toEqual({});
    expect(() => parseStubEnvironment("oops")).toThrow(/not KEY=value/);
  });
});
