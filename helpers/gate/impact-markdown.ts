// The static impact as Markdown: compose services, images, ports and networks; host-port
// clashes with the guide's topology; .env.example variables; librechat.example.yaml's version;
// whether the project's overlay still fits the candidate's compose file.
import { escapeCell } from "../report/markdown.ts";
import type { StaticImpact } from "./static-impact.ts";

const code = (text: string): string => `\`${escapeCell(text).replace(/`/g, "'")}\``;
const list = (items: string[], none = "none"): string => (items.length > 0 ? items.map(code).join(", ") : none);

function composeSection(impact: StaticImpact): string[] {
  const c = impact.compose;
  if (!c) return [];
  const lines = ["### LibreChat's compose file", "", `${code(c.files.baseline)} → ${code(c.files.candidate)}`, "", "| what | added | removed |", "|---|---|---|"];
  lines.push(`| services | ${list(c.services.added)} | ${list(c.services.removed)} |`);
  lines.push(`| top-level networks | ${list(c.networks.added)} | ${list(c.networks.removed)} |`);
  for (const p of c.ports) lines.push(`| ports of ${code(p.service)} | ${list(p.added)} | ${list(p.removed)} |`);
  for (const n of c.networks.services) lines.push(`| networks of ${code(n.service)} | ${list(n.added)} | ${list(n.removed)} |`);
  if (c.images.length > 0) {
    lines.push("", "| service | image before | image now |", "|---|---|---|");
    for (const i of c.images) lines.push(`| ${code(i.service)} | ${i.from ? code(i.from) : "(no such service)"} | ${i.to ? code(i.to) : "(removed)"} |`);
  }
  return [...lines, ""];
}

function clashSection(impact: StaticImpact): string[] {
  const c = impact.clashes;
  if (!c) return [];
  const lines = ["### Host ports against the guide's topology (the SvelteKit frontend on 3000)", ""];
  const gate = Object.entries(c.gateEnv).map(([k, v]) => `${k}=${v}`).join(", ") || "nothing";
  if (c.asWritten.length === 0) lines.push(`The candidate's files as written (with ${code(c.dotenv)}) clash with nothing.`);
  for (const f of c.asWritten) lines.push(`- as written: ${code(f.where)} ${escapeCell(f.message)} — fix: ${escapeCell(f.fix)}`);
  lines.push(
    c.withGateConfig.length === 0
      ? `- with the gate's configuration (${gate}): no clash${c.asWritten.length > 0 ? ", which is what the corrected configuration changes" : ""}.`
      : `- with the gate's configuration (${gate}) still: ${c.withGateConfig.map((f) => escapeCell(f.message)).join("; ")}`,
  );
  return [...lines, ""];
}

function envSection(impact: StaticImpact): string[] {
  const e = impact.env;
  if (!e) return impact.compose ? ["### .env.example", "", "One side has no .env.example.", ""] : [];
  const active = e.added.filter((v) => v.active).map((v) => v.name);
  const commented = e.added.filter((v) => !v.active).map((v) => v.name);
  return [
    "### .env.example variables",
    "",
    `${code(e.files.baseline)} → ${code(e.files.candidate)}. Variables are the names a file sets or shows commented out (\`# NAME=value\`). A rename is a removed and an added variable with the same distinctive example value, or names at most 2 edits apart, with the same words reordered, or one word added or dropped.`,
    "",
    `- added and set (${active.length}): ${list(active)}`,
    `- added, commented out (${commented.length}): ${list(commented)}`,
    `- removed (${e.removed.length}): ${e.removed.length > 0 ? e.removed.map((v) => `${code(v.name)}${v.active ? "" : " (was commented out)"}`).join(", ") : "none"}`,
    `- renamed (${e.renamed.length}): ${e.renamed.length > 0 ? e.renamed.map((r) => `${code(r.from)} → ${code(r.to)} (${r.why})`).join(", ") : "none"}`,
    `- example value changed: ${e.defaultChanged.length > 0 ? e.defaultChanged.map((d) => `${code(d.name)} ${code(d.from)} → ${code(d.to)}`).join(", ") : "none"}`,
    `- now set (was commented out): ${list(e.activated)}; now commented out: ${list(e.commentedOut)}`,
    "",
  ];
}

function overlaySection(impact: StaticImpact): string[] {
  const o = impact.overlay;
  if (!o) return [];
  const missing = o.services.filter((s) => !s.exists).map((s) => s.name);
  const merge = o.merges ? "merges with the candidate's compose file" : `does NOT merge with the candidate's compose file: ${escapeCell(o.error ?? "")}`;
  const names = missing.length > 0 ? `names services the candidate lacks: ${list(missing)}` : `names only services the candidate defines (${list(o.services.map((s) => s.name))})`;
  return ["### The project's overlay", "", `${code(o.overlay)} ${merge}, and ${names}.`, ""];
}

export function impactMarkdown(impact: StaticImpact): string[] {
  const lines = ["## Static impact", ""];
  if (impact.skipped) lines.push(`The two-checkout comparisons are skipped: ${escapeCell(impact.skipped)}.`, "");
  lines.push(...composeSection(impact), ...clashSection(impact), ...envSection(impact));
  if (impact.yamlVersion) {
    lines.push("### librechat.example.yaml", "", `\`version:\` ${impact.yamlVersion.baseline ?? "(none)"} → ${impact.yamlVersion.candidate ?? "(none)"}.`, "");
  }
  lines.push(...overlaySection(impact));
  return lines;
}
