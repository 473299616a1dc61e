import dotenv from "dotenv";
import { interpolate, type Lookup } from "./interpolate.ts";

export interface DotenvFile {
  values: Record<string, string>;
  /** 1-based line of each key's last assignment, so findings can cite the `.env` line. */
  lines: Record<string, number>;
}

// `\$` becomes `$$` so that the interpolation step that follows keeps a literal dollar sign.
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", $: "$$" };

function closingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(body: string): string {
  return body.replace(/\\(.)/gs, (_m, e: string) => ESCAPES[e] ?? `\\${e}`);
}

/**
 * Parses dotenv syntax the way Compose v2 reads `.env` and `env_file` files: `KEY=value`, an optional
 * `export ` prefix, `#` comments (inline only after a space in unquoted values), single quotes
 * literal and possibly multi-line, double quotes with escapes; unquoted and double-quoted values
 * may use `${VAR}` from `outer` or from keys defined earlier in the file.
 */
export function parseDotenv(text: string, file: string, outer: Lookup = () => undefined): DotenvFile {
  const values: Record<string, string> = {};
  const lines: Record<string, number> = {};
  const lookup: Lookup = (name) => outer(name) ?? values[name];
  const rows = text.replace(/\r\n?/g, "\n").split("\n");
  for (let r = 0; r < rows.length; r++) {
    const line = r + 1;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec((rows[r] as string).trim());
    if (!m) continue; // blank lines, comments, and bare names (Compose ignores them here too)
    const key = m[1] as string;
    let rest = m[2] as string;
    const ctx = { lookup, warn: () => {}, where: { file, line } };
    const quote = rest[0];
    let value: string;
    if (quote === "'" || quote === '"') {
      let body = rest.slice(1);
      let close = closingQuote(body, quote);
      while (close < 0 && r + 1 < rows.length) {
        r++;
        body += "\n" + rows[r];
        close = closingQuote(body, quote);
      }
      if (close >= 0) body = body.slice(0, close);
      value = quote === '"' ? interpolate(unescapeDouble(body), ctx) : body;
    } else {
      // Compose's rule: an unquoted value ends at " #" (a space, then #). `KEY= # note` is "# note",
      // `a\t#b` stays whole: the leading spaces are gone before the search, and a tab does not count.
      const comment = rest.indexOf(" #");
      if (comment >= 0) rest = rest.slice(0, comment);
      value = interpolate(rest.trim(), ctx);
    }
    values[key] = value;
    lines[key] = line;
  }
  return { values, lines };
}

/**
 * The values LibreChat's own dotenv (the `dotenv` package) reads from the `.env` Compose binds at
 * /app/.env: no interpolation, and `#` starts a comment wherever it is unquoted (`KEY= # note` is
 * ""), where Compose's reading of the same file differs (parseDotenv).
 */
export function readAsLibreChat(text: string): Record<string, string> {
  return dotenv.parse(text);
}
