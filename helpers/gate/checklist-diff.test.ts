import { describe, expect, it } from "vitest";
import { CHECKLIST_IDS } from "../report/checklist.ts";
import type { ChecklistReport, ReportItem } from "../report/report.ts";
import { classify, countChanges, diffItems } from "./checklist-diff.ts";
import { explainChanges } from "./versions.ts";

const item = (id: string, status: ReportItem["status"], detail = ""): ReportItem => ({ id, title: id, status, detail, durationMs: 1 });

function report(version: string, overrides: Record<string, [ReportItem["status"], string]>): ChecklistReport {
  return {
    librechat: { image: `img:${version}`, version, origin: "built-airgapped", commit: undefined },
    profile: "dev",
    startedAt: "2026-12-01T00:00:00.000Z",
    durationMs: 1,
    items: CHECKLIST_IDS.map((id) => item(id, overrides[id]?.[0] ?? "pass", overrides[id]?.[1] ?? `${id} evidence`)),
    runId: "lch-x",
    standins: [],
    harnessSettings: [],
    deviations: [],
  };
}

describe("the checklist item by item", () => {
  it("calls pass → fail a regression and fail → pass an improvement", () => {
    expect(classify({ status: "pass", detail: "" }, { status: "fail", detail: "" })).toBe("regression");
    expect(classify({ status: "fail", detail: "" }, { status: "pass", detail: "" })).toBe("improvement");
    expect(classify({ status: "fail", detail: "a" }, { status: "fail", detail: "b" })).toBe("still-failing");
    expect(classify({ status: "pass", detail: "" }, { status: "pass", detail: "other words" })).toBe("same");
  });

  it("counts a candidate failure the baseline did not judge as a regression too, and a candidate the host could not judge as inconclusive", () => {
    expect(classify({ status: "skip", detail: "inconclusive: slow" }, { status: "fail", detail: "" })).toBe("regression");
    expect(classify({ status: "missing", detail: "no report" }, { status: "fail", detail: "" })).toBe("regression");
    expect(classify({ status: "pass", detail: "" }, { status: "skip", detail: "inconclusive: the host was too slow to judge x" })).toBe("inconclusive");
    expect(classify({ status: "pass", detail: "" }, { status: "skip", detail: "blocked: the stack did not start (librechat failed; see librechat-starts)" })).toBe("inconclusive");
    expect(classify({ status: "skip", detail: "blocked: the stack did not start" }, { status: "skip", detail: "blocked: the stack did not start" })).toBe("inconclusive");
    expect(classify({ status: "pass", detail: "" }, { status: "skip", detail: "no MeiliSearch service in this run, so there is no search to check" })).toBe("changed");
  });

  it("keeps both diagnoses of every item, in the checklist's order", () => {
    const baseline = report("v0.8.7", {});
    const candidate = report("v0.8.7", { "registration-creates-user": ["fail", "problem: Registration is not allowed."] });
    const changes = diffItems(baseline, candidate);
    expect(changes.map((c) => c.id)).toEqual([...CHECKLIST_IDS]);
    const registration = changes.find((c) => c.id === "registration-creates-user")!;
    expect(registration).toMatchObject({ change: "regression", baseline: { status: "pass", detail: "registration-creates-user evidence" }, candidate: { status: "fail", detail: "problem: Registration is not allowed." } });
    expect(countChanges(changes)).toMatchObject({ regression: 1, same: CHECKLIST_IDS.length - 1 });
  });

  it("marks every item missing, and not judged, when a side wrote no report", () => {
    const changes = diffItems(report("v0.8.1", {}), undefined);
    expect(changes.every((c) => c.candidate.status === "missing" && c.change === "inconclusive")).toBe(true);
  });

  it("explains v0.8.1's session-refresh failure from contract.md without changing the verdict", () => {
    const changes = explainChanges(diffItems(report("v0.8.1", { "session-refresh": ["fail", "Secure"] }), report("v0.8.7", {})), "v0.8.1", "v0.8.7");
    const refresh = changes.find((c) => c.id === "session-refresh")!;
    expect(refresh.change).toBe("improvement");
    expect(refresh.explanations.join(" ")).toMatch(/SESSION_COOKIE_SECURE/);
    expect(changes.find((c) => c.id === "librechat-starts")!.explanations).toEqual([]);
  });
});
