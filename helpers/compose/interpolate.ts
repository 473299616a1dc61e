import { ComposeInputError } from "./errors.ts";

/** Where a variable's value comes from: the process environment first, then the project's `.env`. */
export type Lookup = (name: string) => string | undefined;

export interface InterpolationContext {
  lookup: Lookup;
  /** Called once per unset variable used without a default, as Compose warns. */
  warn: (message: string) => void;
  /** For error messages only. */
  where?: { file?: string | undefined; line?: number | undefined };
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const OPERATORS = [":-", ":?", ":+", "-", "?", "+"] as const;
type Operator = (typeof OPERATORS)[number];

function invalid(input: string, ctx: InterpolationContext, why: string): never {
  throw new ComposeInputError(`invalid interpolation in "${input}": ${why}`, ctx.where);
}

function readName(s: string, start: number): number {
  let end = start;
  if (end < s.length && NAME_START.test(s[end] as string)) {
    end++;
    while (end < s.length && NAME_CHAR.test(s[end] as string)) end++;
  }
  return end;
}

/** Index of the `}` closing a `${` whose body starts at `start`, skipping nested `${...}` and `$$`. */
function closingBrace(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === "$" && s[i + 1] === "$") i++;
    else if (c === "$" && s[i + 1] === "{") {
      depth++;
      i++;
    } else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function resolve(name: string, op: Operator | undefined, word: string, input: string, ctx: InterpolationContext): string {
  const value = ctx.lookup(name);
  const isSet = value !== undefined;
  const nonEmpty = isSet && value !== "";
  // The word is itself a template, evaluated only when used (Compose allows nesting such as ${A:-${B}}).
  const expand = (): string => interpolate(word, ctx);
  switch (op) {
    case undefined:
      if (!isSet) {
        ctx.warn(`The "${name}" variable is not set. Defaulting to a blank string.`);
        return "";
      }
      return value;
    case ":-":
      return nonEmpty ? value : expand();
    case "-":
      return isSet ? value : expand();
    case ":?":
      if (!nonEmpty) throw new ComposeInputError(`required variable ${name} is missing a value: ${expand()}`, ctx.where);
      return value;
    case "?":
      if (!isSet) throw new ComposeInputError(`required variable ${name} is missing a value: ${expand()}`, ctx.where);
      return value;
    case ":+":
      return nonEmpty ? expand() : "";
    case "+":
      return isSet ? expand() : "";
  }
  return invalid(input, ctx, "unknown operator");
}

/** Substitutes variables in one string exactly as the Compose specification describes. */
export function interpolate(input: string, ctx: InterpolationContext): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "{") {
      const nameEnd = readName(input, i + 2);
      const name = input.slice(i + 2, nameEnd);
      if (!name) invalid(input, ctx, `"\${" must be followed by a variable name`);
      const close = closingBrace(input, nameEnd);
      if (close < 0) invalid(input, ctx, `"\${${name}" is never closed`);
      const rest = input.slice(nameEnd, close);
      let op: Operator | undefined;
      if (rest !== "") {
        op = OPERATORS.find((o) => rest.startsWith(o));
        if (!op) invalid(input, ctx, `unexpected "${rest}" after \${${name}`);
      }
      out += resolve(name, op, op ? rest.slice(op.length) : "", input, ctx);
      i = close + 1;
    } else {
      const nameEnd = readName(input, i + 1);
      if (nameEnd === i + 1) invalid(input, ctx, `a lone "$" (write "$$" for a literal dollar sign)`);
      out += resolve(input.slice(i + 1, nameEnd), undefined, "", input, ctx);
      i = nameEnd;
    }
  }
  return out;
}

/** True when a template uses `${VAR:+alt}` or `${VAR+alt}`, which Compose v1 1.29 rejects. */
export function usesAlternativeValue(input: string): boolean {
  return /\$\{[A-Za-z_][A-Za-z0-9_]*:?\+/.test(input.replace(/\$\$/g, ""));
}
