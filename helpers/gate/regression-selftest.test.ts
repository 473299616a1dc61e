import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { GateReport } from "./gate-report.ts";
import { INJECTED_LINE, judgeSelftest, patchedCopy, sameBuildInputs } from "./regression-selftest.ts";
import { GateInputError, sideFromArgs } from "./sides.ts";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A checkout as small as can be, with LibreChat's own .dockerignore rule for hidden files. */
function checkout(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "lch-gate-selftest-test-"));
  made.push(root);
  const dir = path.join(root, "LibreChat-main");
  mkdirSync(path.join(dir, "api"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), '{"version":"v0.8.7"}');
  writeFileSync(path.join(dir, "Dockerfile"), "FROM node\n");
  writeFileSync(path.join(dir, "docker-compose.yml"), "services:\n  api:\n    image: x\n");
  writeFileSync(path.join(dir, ".dockerignore"), "**/node_modules\n.*\n");
  writeFileSync(path.join(dir, ".env"), "PORT=3080");
  writeFileSync(path.join(dir, "api", "server.js"), "listen()\n");
  return dir;
}

const reportWith = (regressions: GateReport["regressions"]): GateReport => ({ regressions } as GateReport);

describe("the injected regression", () => {
  it("adds one line to the copy's .env, which leaves LibreChat's build inputs unchanged", () => {
    const original = checkout();
    const root = mkdtempSync(path.join(os.tmpdir(), "lch-gate-copy-"));
    made.push(root);
    const copy = patchedCopy(original, root);
    expect(readFileSync(path.join(copy, ".env"), "utf8")).toBe(`PORT=3080\n${INJECTED_LINE}\n`);
    expect(readFileSync(path.join(original, ".env"), "utf8")).toBe("PORT=3080");
    expect(sameBuildInputs(original, copy)).toBe(true);
    // The same line in docker-compose.yml would be inside the build context: a new image.
    writeFileSync(path.join(copy, "docker-compose.yml"), "services:\n  api:\n    image: x\n    environment:\n      - ALLOW_REGISTRATION=false\n");
    expect(sameBuildInputs(original, copy)).toBe(false);
  });

  it("passes only when the gate fails and names registration-creates-user for the true cause", () => {
    const named = { kind: "checklist" as const, id: "registration-creates-user", title: "t", baseline: "pass: ok", candidate: "fail: LibreChat answered: Registration is not allowed." };
    expect(judgeSelftest(1, reportWith([named])).ok).toBe(true);
    expect(judgeSelftest(0, reportWith([named]))).toMatchObject({ ok: false, why: expect.stringMatching(/passed/) });
    expect(judgeSelftest(1, reportWith([{ ...named, id: "login-establishes-session" }]))).toMatchObject({ ok: false, why: expect.stringMatching(/does not name registration-creates-user/) });
    expect(judgeSelftest(1, reportWith([{ ...named, candidate: "fail: timeout" }])).ok).toBe(false);
    expect(judgeSelftest(1, undefined).ok).toBe(false);
  });
});

describe("bad input, one sentence each", () => {
  it("refuses both an image and a directory for one side, a missing directory, and a directory that is not a checkout", () => {
    expect(() => sideFromArgs("candidate", { image: "x", dir: "y" })).toThrow(new GateInputError("--candidate-image and --candidate-dir both choose the candidate; pass only one of them."));
    expect(() => sideFromArgs("baseline", { image: undefined, dir: "/no/such/dir" })).toThrow(/^--baseline-dir \/no\/such\/dir does not exist; pass the directory of a LibreChat-main checkout\.$/);
    const notCheckout = mkdtempSync(path.join(os.tmpdir(), "lch-gate-notcheckout-"));
    made.push(notCheckout);
    expect(() => sideFromArgs("baseline", { image: undefined, dir: notCheckout })).toThrow(/is not a LibreChat-main checkout \(it has no package\.json and no Dockerfile at its top\); pass the directory/);
    expect(sideFromArgs("candidate", { image: undefined, dir: checkout() })).toMatchObject({ kind: "dir", how: "--candidate-dir" });
  });
});
