// reports/gate/gate.junit.xml: one test case per checklist item (failing on a regression), per
// new compose-lint finding, and per upgrade row; the downgrade's rows never fail.
import type { GateReport } from "./gate-report.ts";
import { xmlText as xml } from "../report/xml.ts";


interface Case {
  suite: string;
  name: string;
  failure: string | undefined;
  skipped: string | undefined;
  out: string;
}

function caseXml(c: Case): string {
  const open = `    <testcase classname="librechat-harness.gate.${xml(c.suite)}" name="${xml(c.name)}">`;
  if (c.failure !== undefined) return `${open}\n      <failure message="${xml(c.failure.split("\n")[0] ?? "")}">${xml(c.failure)}</failure>\n    </testcase>`;
  if (c.skipped !== undefined) return `${open}\n      <skipped message="${xml(c.skipped.split("\n")[0] ?? "")}"/>\n    </testcase>`;
  return `${open}\n      <system-out>${xml(c.out)}</system-out>\n    </testcase>`;
}

function cases(r: GateReport): Case[] {
  const out: Case[] = r.checklist.items.map((item) => ({
    suite: "checklist",
    name: item.id,
    failure: item.change === "regression" ? `regression: baseline ${item.baseline.status}, candidate ${item.candidate.status}\n\nbaseline:\n${item.baseline.detail}\n\ncandidate:\n${item.candidate.detail}` : undefined,
    skipped: item.change === "inconclusive" ? item.candidate.detail : undefined,
    out: `baseline ${item.baseline.status}, candidate ${item.candidate.status} (${item.change})`,
  }));
  for (const f of r.lint.added) out.push({ suite: "compose-lint", name: `${f.rule} (${f.service})`, failure: `new in the candidate: ${f.where} ${f.message} — fix: ${f.fix}`, skipped: undefined, out: "" });
  for (const row of r.upgrade.upgrade) {
    out.push({ suite: "upgrade", name: row.id, failure: row.status === "fail" ? row.detail : undefined, skipped: row.status === "skip" || row.status === "inconclusive" ? row.detail : undefined, out: row.detail });
  }
  if (r.upgrade.skipped) out.push({ suite: "upgrade", name: "upgrade-path", failure: undefined, skipped: r.upgrade.skipped, out: "" });
  for (const row of r.upgrade.downgrade) out.push({ suite: "downgrade", name: row.id, failure: undefined, skipped: undefined, out: `${row.status}: ${row.detail}` });
  return out;
}

export function renderGateJUnit(r: GateReport): string {
  const all = cases(r);
  const failures = all.filter((c) => c.failure !== undefined).length;
  const skipped = all.filter((c) => c.skipped !== undefined).length;
  const name = `bump gate ${r.sides.baseline.version} → ${r.sides.candidate.version}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="librechat-harness gate" tests="${all.length}" failures="${failures}" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(name)}" tests="${all.length}" failures="${failures}" skipped="${skipped}" timestamp="${r.startedAt}">`,
    ...all.map(caseXml),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
