import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";
import type { CommandRecord } from "./record.ts";
import type { GuideRun } from "./run.ts";

/** Where reports go: HARNESS_REPORT_DIR, else reports/ (as helpers/config.ts reads it). */
export function guideReportDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.HARNESS_REPORT_DIR?.trim() || path.join(REPO_ROOT, "reports"));
}

export interface GuideSummary {
  commands: number;
  notRun: number;
  matches: number;
  differs: number;
  noExpectation: number;
}

export function summarize(run: GuideRun): GuideSummary {
  const all = [...run.setup, ...run.checks, ...run.cleanup];
  return {
    commands: all.length,
    notRun: all.filter((r) => !r.ran).length,
    matches: run.checks.filter((r) => r.matches === true).length,
    differs: run.checks.filter((r) => r.matches === false).length,
    noExpectation: run.checks.filter((r) => r.matches === null).length,
  };
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const verdict = (r: CommandRecord): string => (!r.ran ? "did not run" : r.matches === null ? "no expectation" : r.matches ? "matches" : "differs");

function fence(text: string): string {
  const ticks = text.includes("```") ? "````" : "```";
  return `${ticks}\n${text || "(no output)"}\n${ticks}`;
}

function details(r: CommandRecord): string[] {
  const lines = [`### ${r.id}: ${verdict(r)}`, "", `- where: ${r.where}`];
  if (r.guide && r.guide !== r.command) lines.push(`- the guide writes: \`${r.guide}\``);
  lines.push(`- ran: \`${r.command}\` (exit ${r.exitCode}, ${(r.durationMs / 1000).toFixed(1)} s)`);
  if (r.deviation) lines.push(`- deviation: ${r.deviation}`);
  if (r.expected) lines.push(`- the guide expects (${r.expected.kind}): ${r.expected.text}`);
  if (r.finding) lines.push(`- finding: ${r.finding}`);
  if (r.couldNotRun) lines.push(`- could not run: ${r.couldNotRun}`);
  lines.push("", "stdout:", "", fence(r.stdout));
  if (r.stderr) lines.push("", "stderr:", "", fence(r.stderr));
  for (const e of r.evidence) lines.push("", `evidence: \`${e.command}\` (exit ${e.exitCode})`, "", fence(e.output));
  return [...lines, ""];
}

export function guideMarkdown(run: GuideRun): string {
  const s = summarize(run);
  const lines = [
    "# The guide's commands, run for real",
    "",
    `guide/librechat-docker-network.md, run with Compose v2 in the layout it assumes (backend/LibreChat-main with LibreChat's docker-compose.yml and .env, compose.librechat.yaml two levels up), project \`${run.project}\`, ${run.startedAt}, ${(run.durationMs / 1000).toFixed(0)} s.`,
    "",
    `- LibreChat: \`${run.images.librechat}\`; MongoDB: \`${run.images.mongodb}\`; MeiliSearch: \`${run.images.meilisearch}\``,
    `- stubs: django-dev \`${run.stubs.django}\`, frontend-dev \`${run.stubs.sveltekit}\``,
    `- compose file: ${run.source.composeFile}; .env: ${run.source.envExample} with the guide's PORT=3080, HOST=0.0.0.0, MONGO_URI=mongodb://mongodb:27017/LibreChat`,
    `- ${s.commands} commands, ${s.notRun} did not run; of the guide's checks ${s.matches} match the guide, ${s.differs} differ, ${s.noExpectation} without an expectation`,
    "",
    "## The guide's expectations against real LibreChat",
    "",
    "| check | the guide's command | the guide expects | real LibreChat | verdict |",
    "|---|---|---|---|---|",
    ...run.checks.map((r) => `| ${r.id} | \`${cell(r.guide ?? r.command)}\` | ${cell(r.expected?.text ?? "(no output shown)")} | ${cell(r.finding)} | ${verdict(r)} |`),
    "",
    "## How the run differs from the guide's commands as written",
    "",
    ...run.deviations.map((d) => `- ${d}`),
    "",
    "## Setup",
    "",
    ...run.setup.flatMap(details),
    "## Checks",
    "",
    ...run.checks.flatMap(details),
    "## Cleanup",
    "",
    ...run.cleanup.map((r) => `- \`${r.command}\`: exit ${r.exitCode}${r.couldNotRun ? `, ${r.couldNotRun}` : ""}${r.finding ? `, ${r.finding}` : ""}`),
    "",
  ];
  return lines.join("\n");
}

/** Writes guide-commands.json and guide-commands.md; returns their paths. */
export function writeGuideReport(run: GuideRun, dir: string = guideReportDir()): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "guide-commands.json");
  const md = path.join(dir, "guide-commands.md");
  writeFileSync(json, `${JSON.stringify({ ...run, summary: summarize(run) }, null, 2)}\n`);
  writeFileSync(md, guideMarkdown(run));
  return { json, md };
}
