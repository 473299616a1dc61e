import { describe, expect, it } from "vitest";
import { mergeDocuments } from "./merge.ts";
import { parseComposeSource } from "./source.ts";

function merge(...texts: string[]): Record<string, unknown> {
  return mergeDocuments(texts.map((t, i) => parseComposeSource(t, `/f${i}.yml`).raw));
}
function apiOf(doc: Record<string, unknown>): Record<string, unknown> {
  return (doc.services as Record<string, Record<string, unknown>>).api ?? {};
}

describe("mergeDocuments (Compose merge rules)", () => {
  const base = `
services:
  api:
    image: base
    command: node a.js
    ports: ["3080:3080"]
    environment: [A=1, B=2]
    networks: [default]
    volumes: ["./logs:/app/logs", "./up:/app/uploads"]
    healthcheck: { test: ["CMD", "a"], interval: 10s }
networks:
  x: { external: true }
`;
  it("merges maps, replaces command and healthcheck.test, appends unique ports, merges volumes by target", () => {
    const api = apiOf(merge(base, `
services:
  api:
    command: ["node", "b.js"]
    ports: ["3080:3080", "127.0.0.1:9229:9229"]
    environment: { B: "3", C: 4 }
    networks: { backend: { aliases: [librechat] } }
    volumes: ["./other:/app/logs"]
    healthcheck: { test: ["CMD", "b"], retries: 5 }
`));
    expect(api.image).toBe("base");
    expect(api.command).toEqual(["node", "b.js"]);
    expect(api.ports).toEqual(["3080:3080", "127.0.0.1:9229:9229"]);
    expect(api.environment).toEqual({ A: "1", B: "3", C: "4" });
    expect(api.networks).toEqual({ default: {}, backend: { aliases: ["librechat"] } });
    expect(api.volumes).toEqual(["./other:/app/logs", "./up:/app/uploads"]);
    expect(api.healthcheck).toEqual({ test: ["CMD", "b"], interval: "10s", retries: 5 });
  });

  it("merges top-level networks by key", () => {
    const doc = merge(base, `networks:\n  x: { name: real-x }\n  y: {}\n`);
    expect(doc.networks).toEqual({ x: { external: true, name: "real-x" }, y: {} });
  });

  it("honours !reset and !override (Compose v2)", () => {
    const api = apiOf(merge(base, `
services:
  api:
    ports: !override ["127.0.0.1:3080:3080"]
    environment: !reset {}
`));
    expect(api.ports).toEqual(["127.0.0.1:3080:3080"]);
    expect(api.environment).toBeUndefined();
  });
});
