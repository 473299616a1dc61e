import type { Finding, LintContext } from "./findings.ts";
import { usesAlternativeValue } from "./interpolate.ts";
import { isRecord } from "./normalize.ts";
import { pathKey, type ComposeSource, type Segment } from "./source.ts";

/*
 * Syntax Compose v1 (1.29.2, Debian's docker-compose, checked by running it) refuses, with its
 * own words. It accepts profiles, depends_on with `condition`, and `extends` with `file:`, so
 * those are not reported.
 */

function scalars(value: unknown, segments: Segment[], out: { segments: Segment[]; text: string }[]): void {
  if (typeof value === "string") out.push({ segments, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => scalars(v, [...segments, i], out));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) scalars(v, [...segments, k], out);
}

function lineAt(src: ComposeSource, segments: Segment[]): number {
  return src.lines.get(pathKey(segments)) ?? 1;
}

export function composeV2Rules({ model, options }: LintContext): Finding[] {
  const severity = options.composeCli === "v1" ? "error" : "warning";
  const who = options.composeCli === "v1" ? "the Compose found here (v1)" : "Compose v1 (docker-compose 1.29, the command the guide runs)";
  const findings: Finding[] = [];
  const add = (src: ComposeSource, line: number, what: string, v1Says: string, fix: string): void => {
    findings.push({ rule: "compose-v2-only", severity, file: src.file, line, message: `${what} needs Compose v2; ${who} stops with: ${v1Says}`, fix });
  };
  for (const src of model.sources) {
    const raw = src.raw;
    if ("name" in raw) {
      add(src, lineAt(src, ["name"]), `top-level "name:"`, `The Compose file '${src.file}' is invalid because: 'name' does not match any of the regexes: '^x-'`,
        `delete ${src.file}:${lineAt(src, ["name"])} and add the line COMPOSE_PROJECT_NAME=${String(raw.name)} to ${model.projectDir}/.env (both Compose versions read it; or pass -p ${String(raw.name)})`);
    }
    if ("include" in raw) {
      add(src, lineAt(src, ["include"]), `top-level "include:"`, `'include' does not match any of the regexes: '^x-'`,
        `delete the include block at ${src.file}:${lineAt(src, ["include"])} and pass each included file with its own -f`);
    }
    const services = isRecord(raw.services) ? raw.services : {};
    for (const [name, svc] of Object.entries(services)) {
      if (isRecord(svc) && "develop" in svc) {
        const line = lineAt(src, ["services", name, "develop"]);
        add(src, line, `services.${name}.develop`, `Unsupported config option for services.${name}: 'develop'`, `delete the develop block at ${src.file}:${line}`);
      }
    }
    for (const tag of src.tags) {
      add(src, tag.line, `the ${tag.tag} tag`, `yaml.constructor.ConstructorError: could not determine a constructor for the tag '${tag.tag}'`,
        `remove ${tag.tag} at ${src.file}:${tag.line}; with v1 an overlay cannot remove or replace a list the base file sets, so that line of the base file itself must change`);
    }
    const found: { segments: Segment[]; text: string }[] = [];
    scalars(raw, [], found);
    for (const s of found.filter((f) => usesAlternativeValue(f.text))) {
      const line = lineAt(src, s.segments);
      add(src, line, `the interpolation "${s.text}" (\${VAR:+alt} / \${VAR+alt})`, `Invalid interpolation format ... "${s.text}"`,
        `at ${src.file}:${line} replace the :+/+ form with a plain value or \${VAR:-default}`);
    }
  }
  return findings;
}
