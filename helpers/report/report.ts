import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CHECKLIST } from "./checklist.ts";
import { escapeCell } from "./markdown.ts";
import { xmlText as xml } from "./xml.ts";

export type ItemStatus = "pass" | "fail" | "skip";

export interface ReportItem {
  id: string;
  title: string;
  status: ItemStatus;
  detail: string;
  durationMs: number;
}

/** reports/checklist.json, as DESIGN.md defines it (the extra keys come after the fixed ones). */
export interface ChecklistReport {
  /** The LibreChat image, its version, how it came to be (built-airgapped, built-dockerfile, registry-image, harness-fixture) and its source commit. */
  librechat: { image: string; version: string; origin: string; commit: string | undefined };
  profile: string;
  startedAt: string;
  durationMs: number;
  items: ReportItem[];
  runId: string;
  /** Roles whose image was an air-gapped stand-in rather than the real image. */
  standins: string[];
  /** What the harness added to LibreChat's environment, and whether the user's value stood. */
  harnessSettings: { name: string; outcome: string; value: string; reason: string }[];
  /** How the run differs from what `docker compose up` would start from the same merged files, and why. */
  deviations: { service: string; what: string; why: string }[];
}

const MARK: Record<ItemStatus, string> = { pass: "[x]", fail: "[ ]", skip: "[-]" };

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

export function renderMarkdown(report: ChecklistReport): string {
  const lines: string[] = [];
  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const item of report.items) counts[item.status] += 1;
  lines.push("# LibreChat deployment checklist", "");
  lines.push(
    `LibreChat \`${report.librechat.image}\` (version ${report.librechat.version}, ${report.librechat.origin}${report.librechat.commit ? ` from commit ${report.librechat.commit.slice(0, 12)}` : ""}), profile \`${report.profile}\`, run \`${report.runId}\`, started ${report.startedAt}, ${(report.durationMs / 1000).toFixed(1)} s.`,
  );
  if (report.standins.length > 0) {
    lines.push("", `**Stand-ins:** ${report.standins.join(", ")} ran as air-gapped stand-ins, not the real images.`);
  }
  lines.push("", `**${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped.**`, "");
  lines.push("| | item | checklist line | status | time |", "|---|---|---|---|---|");
  for (const item of report.items) {
    lines.push(
      `| ${MARK[item.status]} | \`${item.id}\` | ${escapeCell(item.title)} | ${item.status} | ${(item.durationMs / 1000).toFixed(1)} s |`,
    );
  }
  const explained = report.items.filter((item) => item.status !== "pass");
  if (explained.length > 0) {
    lines.push("", "## Diagnosis", "");
    for (const item of explained) {
      lines.push(`### ${item.status === "fail" ? "FAIL" : "SKIP"} \`${item.id}\`: ${item.title}`, "", "```text", item.detail.trim(), "```", "");
    }
  }
  const passed = report.items.filter((item) => item.status === "pass" && item.detail.trim());
  if (passed.length > 0) {
    lines.push("", "## Evidence", "");
    for (const item of passed) {
      lines.push(`- \`${item.id}\``);
      for (const line of item.detail.trim().split("\n")) lines.push(`  - ${line}`);
    }
  }
  if (report.deviations.length > 0) {
    lines.push("", "## What runs differently from the merged compose files", "", "| service | change | why |", "|---|---|---|");
    for (const d of report.deviations) lines.push(`| ${escapeCell(d.service)} | ${escapeCell(d.what)} | ${escapeCell(d.why)} |`);
  }
  if (report.harnessSettings.length > 0) {
    lines.push("", "## What the harness added to LibreChat's environment", "", "| variable | value | outcome | why |", "|---|---|---|---|");
    for (const s of report.harnessSettings) {
      lines.push(`| \`${s.name}\` | \`${escapeCell(s.value)}\` | ${s.outcome} | ${escapeCell(s.reason)} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}


export function renderJUnit(report: ChecklistReport): string {
  const failures = report.items.filter((i) => i.status === "fail").length;
  const skipped = report.items.filter((i) => i.status === "skip").length;
  const cases = report.items.map((item) => {
    const open = `    <testcase classname="librechat-harness.checklist" name="${xml(item.id)}" time="${(item.durationMs / 1000).toFixed(3)}">`;
    if (item.status === "fail") return `${open}\n      <failure message="${xml(firstLine(item.detail))}">${xml(item.detail)}</failure>\n    </testcase>`;
    if (item.status === "skip") return `${open}\n      <skipped message="${xml(firstLine(item.detail))}"/>\n    </testcase>`;
    return `${open}\n      <system-out>${xml(item.detail)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="librechat-harness" tests="${report.items.length}" failures="${failures}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="checklist (${xml(report.librechat.image)})" tests="${report.items.length}" failures="${failures}" skipped="${skipped}" timestamp="${report.startedAt}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

/** Every checklist id gets an item; an id no test reported on is a skip that says so. */
export function completeItems(found: Map<string, ReportItem>): ReportItem[] {
  return CHECKLIST.map(
    (entry) =>
      found.get(entry.id) ?? {
        id: entry.id,
        title: entry.title,
        status: "skip" as const,
        detail: "not run in this invocation (its suite was filtered out or did not load)",
        durationMs: 0,
      },
  );
}

/** Writes checklist.{json,md,junit.xml} into `dir`, and the Markdown to the GitHub job summary when `jobSummary` names one. */
export function writeReport(report: ChecklistReport, dir: string, jobSummary: string | undefined): string[] {
  mkdirSync(dir, { recursive: true });
  const files = {
    json: path.join(dir, "checklist.json"),
    md: path.join(dir, "checklist.md"),
    junit: path.join(dir, "checklist.junit.xml"),
  };
  const markdown = renderMarkdown(report);
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.md, markdown);
  writeFileSync(files.junit, renderJUnit(report));
  if (jobSummary) appendFileSync(jobSummary, markdown);
  return Object.values(files);
}
