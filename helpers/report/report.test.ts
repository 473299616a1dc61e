import { describe, expect, it } from "vitest";
import { CHECKLIST_IDS } from "./checklist.ts";
import { completeItems, renderJUnit, renderMarkdown, type ChecklistReport } from "./report.ts";

const report = (items: ChecklistReport["items"]): ChecklistReport => ({
  librechat: { image: "img:v1", version: "v1", origin: "built-airgapped", commit: "9e74cc0e57b3" },
  profile: "dev",
  startedAt: "2026-11-27T00:00:00.000Z",
  durationMs: 1000,
  items,
  runId: "lch-test",
  standins: ["librechat"],
  harnessSettings: [],
  deviations: [],
});

describe("report", () => {
  it("gives every checklist id an item, and says why an unreported one is a skip", () => {
    const items = completeItems(new Map([["librechat-starts", { id: "librechat-starts", title: "t", status: "pass" as const, detail: "", durationMs: 1 }]]));
    expect(items.map((i) => i.id)).toEqual([...CHECKLIST_IDS]);
    expect(items.find((i) => i.id === "compose-lint")).toMatchObject({ status: "skip", detail: expect.stringMatching(/not run/) });
  });

  it("puts the diagnosis of a failure under the ticked table and names the stand-ins", () => {
    const md = renderMarkdown(report([{ id: "healthcheck-passes", title: "Health check passes", status: "fail", detail: "the image has no curl\nfix: wget", durationMs: 5 }]));
    expect(md).toContain("| [ ] | `healthcheck-passes` |");
    expect(md).toContain("### FAIL `healthcheck-passes`");
    expect(md).toContain("the image has no curl");
    expect(md).toContain("ran as air-gapped stand-ins");
  });

  it("writes JUnit that stays well-formed with log text in it", () => {
    const xml = renderJUnit(report([{ id: "a", title: "a", status: "fail", detail: 'x < y & "z"\u001b[31m', durationMs: 5 }]));
    expect(xml).toContain('failures="1"');
    expect(xml).toContain("x &lt; y &amp; &quot;z&quot;[31m");
    expect(xml).not.toContain("\u001b");
  });
});
