// reports/gate/gate.md, what a reviewer reads in the pull request: the verdict on top, then the
// regressions (each with both diagnoses), the upgrade path's rows, the static impact, the
// improvements, and the rest of the comparison.
import path from "node:path";
import { REPO_ROOT } from "../config.ts";
import { escapeCell } from "../report/markdown.ts";
import type { GateReport } from "./gate-report.ts";
import { impactMarkdown } from "./impact-markdown.ts";
import type { ItemChange, Regression, SideName, UpgradeRow } from "./types.ts";

const MAX_DIAGNOSIS = 2500;
const rel = (file: string): string => (file.startsWith(REPO_ROOT) ? path.relative(REPO_ROOT, file) : file);
// eslint-disable-next-line no-control-regex -- container log lines carry colour codes
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "").replace(/```/g, "'''").trim();
const inline = (text: string): string => `\`${escapeCell(plain(text)).replace(/`/g, "'")}\``;
function block(text: string): string[] {
  const shown = plain(text);
  return ["```text", shown.length > MAX_DIAGNOSIS ? `${shown.slice(0, MAX_DIAGNOSIS)}\n… (the side's checklist.md has the rest)` : shown || "(no detail)", "```"];
}

function sidesTable(r: GateReport): string[] {
  const cell = (side: SideName, pick: (s: GateReport["sides"][SideName]) => string): string => escapeCell(pick(r.sides[side]));
  const counts = (side: SideName): string => {
    const c = r.checklist.sides[side];
    return c.counts ? `${c.counts.pass} pass, ${c.counts.fail} fail, ${c.counts.skip} skip (${rel(path.join(c.reportDir, "checklist.md"))})` : `no report (vitest exit ${c.code})`;
  };
  const row = (label: string, pick: (s: GateReport["sides"][SideName]) => string): string => `| ${label} | ${cell("baseline", pick)} | ${cell("candidate", pick)} |`;
  return [
    "| | baseline | candidate |",
    "|---|---|---|",
    row("LibreChat image", (s) => `\`${s.image}\``),
    row("version", (s) => `${s.version} (from ${s.versionSource})`),
    row("built", (s) => `${s.origin}${s.commit ? ` from commit ${s.commit.slice(0, 12)}` : ""}`),
    row("chosen by", (s) => `${s.how}${s.checkoutDir ? `: ${rel(s.checkoutDir)}` : ""}`),
    row("compose input", (s) => (s.checkoutDir === s.composeDir ? "its own docker-compose.yml and .env" : `${rel(s.composeDir)} (an image has no compose file of its own)`)),
    `| checklist | ${escapeCell(counts("baseline"))} | ${escapeCell(counts("candidate"))} |`,
    "",
  ];
}

function configuration(r: GateReport): string[] {
  const c = r.configuration;
  const env = Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(", ");
  return [
    `Both sides ran with the overlay ${`\`${rel(c.overlay)}\``}${c.corrected ? " (the corrected configuration: the guide's overlay with its healthcheck fixed)" : " (LIBRECHAT_OVERLAY)"}${env ? `, ${env}` : ""}, profile ${c.profile}, MongoDB \`${c.mongodb}\` and MeiliSearch \`${c.meilisearch}\`${c.standins.length > 0 ? ` (${c.standins.join(", ")}: air-gapped stand-ins)` : ""}.`,
    "",
  ];
}

function regressionSection(title: string, items: Regression[], none: string, explanations: Map<string, string[]>): string[] {
  const lines = [`## ${title}`, ""];
  if (items.length === 0) return [...lines, none, ""];
  for (const item of items) {
    lines.push(`### \`${item.id}\`: ${item.title}`, "", "baseline:", ...block(item.baseline), "", "candidate:", ...block(item.candidate), "");
    for (const note of explanations.get(item.id) ?? []) lines.push(`> ${note}`, "");
  }
  return lines;
}

function rowsTable(upgrade: UpgradeRow[], downgrade: UpgradeRow[]): string[] {
  const ids = [...new Set([...upgrade, ...downgrade].map((row) => row.id))];
  const first = (rows: UpgradeRow[], id: string): string => {
    const found = rows.find((row) => row.id === id);
    return found ? `**${found.status}**: ${escapeCell(found.detail.split("\n")[0]?.slice(0, 220) ?? "")}` : "–";
  };
  const lines = ["| row | upgrade: baseline → candidate | downgrade: candidate → baseline (information) |", "|---|---|---|"];
  for (const id of ids) lines.push(`| \`${id}\` | ${first(upgrade, id)} | ${first(downgrade, id)} |`);
  return lines;
}

function upgradeSection(r: GateReport): string[] {
  const u = r.upgrade;
  const lines = [`## Upgrade path: ${r.sides.baseline.version} → ${r.sides.candidate.version}`, ""];
  if (u.skipped) return [...lines, `Not run: ${u.skipped}`, "", ...(u.seed.length > 0 ? ["What was done before:", ...u.seed.map((s) => `- ${s}`), ""] : [])];
  lines.push(`The baseline's stack, then LibreChat replaced in place (same environment, secrets, networks, MongoDB and MeiliSearch data); the candidate's own compose configuration is what the checklist above runs. ${(u.durationMs / 1000).toFixed(0)} s in all.`, "");
  lines.push("<details><summary>Data left on the baseline</summary>", "", ...u.seed.map((s) => `- ${escapeCell(s)}`), "", "</details>", "");
  lines.push(...rowsTable(u.upgrade, u.downgrade), "");
  for (const [phase, rows] of [["upgrade", u.upgrade], ["downgrade", u.downgrade]] as const) {
    lines.push(`<details><summary>${phase}: every row in full</summary>`, "");
    for (const row of rows) lines.push(`**${row.id}** (${row.status}): ${row.title}`, "", ...block(row.detail), "");
    lines.push("</details>", "");
  }
  return lines;
}

function itemTable(items: ItemChange[]): string[] {
  const lines = ["## The checklist item by item", "", "| item | baseline | candidate | change |", "|---|---|---|---|"];
  for (const item of items) lines.push(`| \`${item.id}\` | ${item.baseline.status} | ${item.candidate.status} | ${item.change === "same" ? "same" : `**${item.change}**`} |`);
  const other = items.filter((i) => i.change === "changed" || i.change === "still-failing" || i.change === "inconclusive");
  if (other.length > 0) {
    lines.push("", "### Other changes (not judged: neither a regression nor an improvement)", "");
    for (const item of other) lines.push(`#### \`${item.id}\` (${item.change}): ${item.title}`, "", "baseline:", ...block(`${item.baseline.status}: ${item.baseline.detail}`), "", "candidate:", ...block(`${item.candidate.status}: ${item.candidate.detail}`), "", ...item.explanations.map((e) => `> ${e}`), "");
  }
  return [...lines, ""];
}

function versionSection(r: GateReport): string[] {
  const lines = [`## What legitimately differs between ${r.sides.baseline.version} and ${r.sides.candidate.version}`, ""];
  if (r.versionNotes.length === 0) return [...lines, "No version fact of contract.md separates the two releases (or a version could not be read).", ""];
  for (const note of r.versionNotes) {
    lines.push(`- **${note.id}**${note.how === "may-separate" ? " (may apply: a side lies between the known bounds)" : ""}: ${note.text}${note.items.length > 0 ? ` Bears on: ${note.items.map((i) => `\`${i}\``).join(", ")}.` : ""}`);
    const seen = note.seen;
    lines.push(seen ? `  - seen in this run: baseline ${seen.baseline ? inline(seen.baseline) : "(nothing)"}; candidate ${seen.candidate ? inline(seen.candidate) : "(nothing)"}` : "  - not shown by anything this run checked");
  }
  return [...lines, ""];
}

function timings(r: GateReport): string[] {
  const t = r.timings;
  const s = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;
  const side = (name: SideName): string => s(r.checklist.sides[name].durationMs);
  const load = r.host.load.map((l) => `${l.load1} at ${l.at}`).join(", ");
  return ["## Timings", "", `images ${s(t.prepareMs)}; static impact ${s(t.staticMs)}; checklist on both ${s(t.checklistMs)} (${r.checklist.mode}; baseline ${side("baseline")}, candidate ${side("candidate")}); upgrade path ${s(t.upgradeMs)}; whole gate ${s(t.totalMs)}. Host: ${r.host.cores} cores, 1-minute load average ${load || "not sampled"}.`, ""];
}

export function renderGateMarkdown(r: GateReport): string {
  const explanations = new Map(r.checklist.items.map((i) => [i.id, i.explanations]));
  const lines = ["# LibreChat bump gate", "", r.verdictLine, "", ...sidesTable(r), ...configuration(r)];
  if (r.inconclusive.length > 0) lines.push("Not judged:", ...r.inconclusive.map((i) => `- ${escapeCell(i)}`), "");
  lines.push(...regressionSection("Regressions", r.regressions, "None: nothing that passed on the baseline fails on the candidate, no compose-lint finding is new, and no upgrade row failed.", explanations));
  lines.push(...upgradeSection(r), ...impactMarkdown(r.impact));
  lines.push(...regressionSection("Improvements", r.improvements, "None.", explanations));
  lines.push(...itemTable(r.checklist.items), ...versionSection(r), ...timings(r));
  return `${lines.join("\n")}\n`;
}
