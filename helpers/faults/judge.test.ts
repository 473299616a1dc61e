import { describe, expect, it } from "vitest";
import type { ChecklistReport } from "../report/report.ts";
import { FAULTS } from "./catalog.ts";
import { judge, verdictLabel } from "./judge.ts";

const fault = FAULTS.find((f) => f.id === "registration-disabled")!;
const withItems = (items: Partial<ChecklistReport["items"][number]>[]): ChecklistReport => ({
  librechat: { image: "i", version: "v", origin: "registry-image", commit: undefined },
  profile: "dev",
  startedAt: "",
  durationMs: 0,
  runId: "r",
  standins: [],
  harnessSettings: [],
  deviations: [],
  items: items.map((i) => ({ id: "", title: "", status: "pass", detail: "", durationMs: 0, ...i })),
});

describe("fault judge", () => {
  it("counts a fault as detected only on the right item with the true cause", () => {
    const right = judge(fault, withItems([{ id: "registration-creates-user", status: "fail", detail: "LibreChat said: Registration is not allowed." }]), undefined);
    expect(right.detected).toBe(true);
    const wrongCause = judge(fault, withItems([{ id: "registration-creates-user", status: "fail", detail: "timeout" }]), undefined);
    expect(wrongCause.detected).toBe(false);
  });

  it("lists failures outside the fault's reach as false alarms", () => {
    const row = judge(
      fault,
      withItems([
        { id: "registration-creates-user", status: "fail", detail: "Registration is not allowed." },
        { id: "login-establishes-session", status: "fail", detail: "blocked" },
        { id: "dns-service-discovery", status: "fail", detail: "?" },
      ]),
      undefined,
    );
    expect(row.falseAlarms).toEqual(["dns-service-discovery"]);
  });

  it("expects preflight faults to stop before any report exists", () => {
    const preflight = FAULTS.find((f) => f.id === "external-network-missing")!;
    const output = "Network backend-staging is declared as external ... create it with `docker network create backend-staging`";
    expect(judge(preflight, undefined, { code: 1, output }).detected).toBe(true);
    expect(judge(preflight, undefined, { code: 0, output }).detected).toBe(false);
  });

  it("calls a row undecided when the host was too slow to judge the fault's own item, and missed otherwise", () => {
    const slow = judge(fault, withItems([{ id: "registration-creates-user", status: "skip", detail: "inconclusive: the host was too slow to judge POST /api/auth/register" }]), undefined);
    expect(verdictLabel(slow)).toBe("UNDECIDED");
    const passed = judge(fault, withItems([{ id: "registration-creates-user", status: "pass" }, { id: "env-wiring", status: "skip", detail: "inconclusive: slow" }]), undefined);
    expect(verdictLabel(passed)).toBe("MISSED");
    const right = judge(fault, withItems([{ id: "registration-creates-user", status: "fail", detail: "Registration is not allowed." }]), undefined);
    expect(verdictLabel(right)).toBe("caught");
  });
});
