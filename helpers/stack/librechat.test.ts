import { describe, expect, it } from "vitest";
import type { ServiceDefinition } from "../compose/service-definition.ts";
import { librechatAttachments, librechatPort } from "./librechat.ts";

describe("LibreChat's attachments", () => {
  const base: ServiceDefinition = {
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
    dotenv: {},
    unusableUser: undefined,
    volumes: [],
    extraHosts: [],
    restart: undefined,
    sourceFiles: [],
  };

  it("maps external networks onto the backend and the rest onto the internal network, with the guide's aliases on the backend only", () => {
    const attachments = new Map(librechatAttachments(base).map((a) => [a.key, a.aliases]));
    expect(attachments.get("backend")).toEqual(["api", "librechat-api", "chat", "librechat"]);
    expect(attachments.get("librechat-internal")).toEqual(["api", "librechat-api"]);
  });

  it("gives no backend attachment when the compose input leaves the backend out", () => {
    expect(librechatAttachments({ ...base, networks: [base.networks[0]!] }).some((a) => a.key === "backend")).toBe(false);
  });

  it("reads LibreChat's port like the server does", () => {
    expect(librechatPort({ PORT: "3081" })).toBe(3081);
    expect(librechatPort({})).toBe(3080);
    expect(librechatPort({ PORT: "abc" })).toBe(3080);
  });
});
