import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadComposeBuiltin } from "../compose/load.ts";
import { lintCompose } from "../compose/lint.ts";
import { DEFAULT_OVERLAY, REPO_ROOT } from "../config.ts";
import { diffFindings, findingRefs } from "./lint-diff.ts";
import type { FindingRef } from "./types.ts";
import { hasUpstream, librechatCheckout } from "../testing/compose-files.ts";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const REAL_FILES = hasUpstream("v0.8.1") && hasUpstream("v0.8.7");

function remember(dir: string): string {
  made.push(dir);
  return dir;
}

function findingsOf(version: "v0.8.1" | "v0.8.7", env: Record<string, string> = {}): FindingRef[] {
  const model = loadComposeBuiltin({ librechatDir: remember(librechatCheckout(version)), overlay: DEFAULT_OVERLAY, env });
  return findingRefs(model, lintCompose(model, { profile: "dev", composeCli: "v2" }), REPO_ROOT);
}

const ref = (rule: string, service: string, message = "m"): FindingRef => ({ rule, service, severity: "error", message, fix: "f", where: "x:1" });

describe("compose-lint findings compared by rule and service", () => {
  it("calls a finding new in the candidate added and one gone removed, counting duplicates", () => {
    const diff = diffFindings([ref("a", "api"), ref("b", "api")], [ref("a", "api", "other words"), ref("a", "api"), ref("c", "admin-panel")]);
    expect(diff.added.map((f) => `${f.rule}/${f.service}`)).toEqual(["a/api", "c/admin-panel"]);
    expect(diff.removed.map((f) => `${f.rule}/${f.service}`)).toEqual(["b/api"]);
  });

  it.skipIf(!REAL_FILES)("finds the service of each finding on the real files: the guide's overlay on v0.8.1 and on v0.8.7", () => {
    const v081 = findingsOf("v0.8.1");
    const v087 = findingsOf("v0.8.7");
    expect(v087.filter((f) => f.rule.startsWith("healthcheck-")).map((f) => f.service)).toEqual(expect.arrayContaining(["api"]));
    expect(v087.find((f) => f.rule === "host-port-clash")).toMatchObject({ service: "admin-panel" });
    const diff = diffFindings(v081, v087);
    expect(diff.added.map((f) => `${f.rule} (${f.service})`)).toEqual(["host-port-clash (admin-panel)"]);
    expect(diff.removed).toEqual([]);
  });

  it.skipIf(!REAL_FILES)("finds no new finding once ADMIN_PANEL_PORT moves the admin panel off 3000", () => {
    expect(diffFindings(findingsOf("v0.8.1"), findingsOf("v0.8.7", { ADMIN_PANEL_PORT: "3001" })).added).toEqual([]);
  });
});
