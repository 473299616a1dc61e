import { describe, expect, it } from "vitest";
import { CHECKLIST } from "../report/checklist.ts";
import { renderGateJUnit } from "./gate-junit.ts";
import { renderGateMarkdown } from "./gate-markdown.ts";
import { exitCodeOf, finishReport, SKIPPED_ON_REQUEST, type GateFindings } from "./gate-report.ts";
import type { ItemChange, UpgradeRow } from "./types.ts";

const side = (version: string) => ({ image: `localhost/librechat-harness/librechat-built:${version}-abc`, version, versionSource: "package.json", origin: "built-airgapped", commit: "9e74cc0e57b3", how: "--candidate-dir", checkoutDir: undefined, composeDir: "/x" });
const checklistSide = { code: 0, durationMs: 1000, reportDir: "/r", counts: { pass: 15, fail: 0, skip: 0 }, runId: "lch-1" };
const row = (id: string, status: UpgradeRow["status"], detail = `${id} detail`): UpgradeRow => ({ id, title: id, status, detail });

function items(overrides: Partial<Record<string, Partial<ItemChange>>>): ItemChange[] {
  return CHECKLIST.map((entry) => ({
    id: entry.id,
    title: entry.title,
    baseline: { status: "pass" as const, detail: "ok" },
    candidate: { status: "pass" as const, detail: "ok" },
    change: "same" as const,
    explanations: [],
    ...overrides[entry.id],
  }));
}

function findings(over: Partial<GateFindings> = {}): GateFindings {
  return {
    startedAt: "2026-12-01T00:00:00.000Z",
    durationMs: 200_000,
    sides: { baseline: side("v0.8.1"), candidate: side("v0.8.7") },
    configuration: { overlay: "/work/main/fixtures/faults/baseline.yaml", corrected: true, env: { ADMIN_PANEL_PORT: "3001" }, mongodb: "mongo-standin", meilisearch: "meili-standin", standins: ["mongodb"], profile: "dev" },
    checklist: { mode: "parallel", durationMs: 150_000, sides: { baseline: checklistSide, candidate: checklistSide }, items: items({}) },
    lint: { baseline: [], candidate: [], added: [], removed: [], error: undefined },
    upgrade: { skipped: undefined, from: "a", to: "b", seed: ["seeded"], upgrade: [row("starts-on-old-data", "pass"), row("old-refresh-sessions", "pass")], downgrade: [row("starts-on-old-data", "fail", "did not start")], timings: { startMs: 1, seedMs: 1, upgradeMs: 1, downgradeMs: 1 }, versionsInside: {}, durationMs: 40_000 },
    impact: { skipped: "the baseline is an image", compose: undefined, env: undefined, yamlVersion: undefined, clashes: undefined, overlay: undefined },
    versionNotes: [{ id: "readyz", how: "separates", text: "/readyz since v0.8.6", items: ["librechat-starts"], seen: { baseline: "no readiness route", candidate: "GET /readyz → 200 OK" } }],
    timings: { prepareMs: 1000, staticMs: 500, checklistMs: 150_000, upgradeMs: 40_000, totalMs: 200_000 },
    host: { cores: 2, load: [{ at: "checklist", load1: 5.2 }] },
    ...over,
  };
}

const regressed = items({
  "registration-creates-user": { baseline: { status: "pass", detail: "POST django /api/auth/register → 201" }, candidate: { status: "fail", detail: "problem: LibreChat refused: Registration is not allowed." }, change: "regression" },
  "session-refresh": { baseline: { status: "fail", detail: "marked the refreshToken cookie Secure" }, candidate: { status: "pass", detail: "rotated" }, change: "improvement", explanations: ["v0.8.1 has no SESSION_COOKIE_SECURE override"] },
});

describe("the gate's report", () => {
  it("puts the verdict on top, then the regressions with both diagnoses, the upgrade rows, the impact, the improvements", () => {
    const report = finishReport(findings({ checklist: { ...findings().checklist, items: regressed } }));
    const md = renderGateMarkdown(report);
    expect(md.split("\n")[2]).toMatch(/^\*\*Gate: FAIL\*\* — 1 regression \(`registration-creates-user`\)/);
    const at = (text: string): number => md.indexOf(text);
    expect(at("## Regressions")).toBeLessThan(at("## Upgrade path"));
    expect(at("## Upgrade path")).toBeLessThan(at("## Static impact"));
    expect(at("## Static impact")).toBeLessThan(at("## Improvements"));
    const regression = md.slice(at("### `registration-creates-user`"), at("## Upgrade path"));
    expect(regression).toContain("pass: POST django /api/auth/register → 201");
    expect(regression).toContain("fail: problem: LibreChat refused: Registration is not allowed.");
    expect(md.slice(at("## Improvements"))).toContain("> v0.8.1 has no SESSION_COOKIE_SECURE override");
    expect(md).toContain("seen in this run: baseline `no readiness route`; candidate `GET /readyz → 200 OK`");
    expect(md).toContain("The two-checkout comparisons are skipped: the baseline is an image.");
    expect(exitCodeOf(report)).toBe(1);
  });

  it("never fails the gate on the downgrade, and fails it on an upgrade row", () => {
    const downgradeOnly = finishReport(findings());
    expect(downgradeOnly.verdict).toBe("pass");
    expect(renderGateJUnit(downgradeOnly)).toContain('failures="0"');
    const upgradeFails = finishReport(findings({ upgrade: { ...findings().upgrade, upgrade: [row("old-users-log-in", "fail", "Incorrect password.")] } }));
    expect(upgradeFails.regressions).toEqual([expect.objectContaining({ kind: "upgrade", id: "old-users-log-in" })]);
    expect(renderGateJUnit(upgradeFails)).toMatch(/failures="1"[\s\S]*name="old-users-log-in">\s*<failure message="Incorrect password\."/);
  });

  it("counts a compose-lint finding new in the candidate as a regression, named by rule and service", () => {
    const finding = { rule: "host-port-clash", service: "admin-panel", severity: "error", message: 'service "admin-panel" publishes host port 3000', fix: "ADMIN_PANEL_PORT=3001", where: "docker-compose.yml:42" };
    const report = finishReport(findings({ lint: { baseline: [], candidate: [finding], added: [finding], removed: [], error: undefined } }));
    expect(report.regressions.map((r) => r.id)).toEqual(["host-port-clash (admin-panel)"]);
    expect(renderGateMarkdown(report)).toContain("### `host-port-clash (admin-panel)`");
  });

  it("is inconclusive, not a pass, when the upgrade path could not run", () => {
    const report = finishReport(findings({ upgrade: { ...findings().upgrade, skipped: "the baseline's stack did not start", upgrade: [], downgrade: [] } }));
    expect(report.verdict).toBe("inconclusive");
    expect(exitCodeOf(report)).toBe(3);
    expect(renderGateMarkdown(report)).toMatch(/Gate: INCONCLUSIVE[\s\S]*upgrade path not run: the baseline's stack did not start/);
  });

  it("reports an upgrade path skipped on request without calling the gate inconclusive", () => {
    const report = finishReport(findings({ upgrade: { ...findings().upgrade, skipped: SKIPPED_ON_REQUEST, upgrade: [], downgrade: [] } }));
    expect(report.verdict).toBe("pass");
    expect(renderGateMarkdown(report)).toContain("Not run: --skip-upgrade was given");
  });

  it("never passes when neither side's LibreChat started: the items it blocked are not judged", () => {
    const blocked = { status: "skip" as const, detail: "blocked: the stack did not start (librechat failed; see librechat-starts)" };
    const none = items({ "librechat-starts": { baseline: { status: "fail", detail: "not ready after 180 s" }, candidate: { status: "fail", detail: "not ready after 180 s" }, change: "still-failing" } });
    for (const item of none.filter((i) => i.id !== "librechat-starts")) Object.assign(item, { baseline: blocked, candidate: blocked, change: "inconclusive" });
    const report = finishReport(findings({ checklist: { ...findings().checklist, items: none } }));
    expect(report.verdict).toBe("inconclusive");
    expect(report.inconclusive[0]).toMatch(/^checklist on the candidate, not judged \(blocked: the stack did not start .*\): librechat-on-backend-network, /);
  });

  it("names a candidate whose checklist wrote no report", () => {
    const none = items({});
    for (const item of none) item.candidate = { status: "missing", detail: "no report" };
    expect(finishReport(findings({ checklist: { ...findings().checklist, items: none } })).regressions.map((r) => r.id)).toContain("checklist-run");
  });
});
