import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { ComposeInputError } from "./errors.ts";

/** `!reset` on a value: Compose v2 drops what earlier files set there. */
export class ResetTag {
  readonly tag = "!reset";
}
/** `!override` on a value: Compose v2 replaces instead of merging. */
export class OverrideTag {
  readonly tag = "!override";
  value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}

export type Segment = string | number;

export function pathKey(segments: readonly Segment[]): string {
  return segments.join("\u0000");
}

/** One compose file as written, with the line of every key and sequence item. */
export interface ComposeSource {
  file: string;
  /** The parsed document; `!reset`/`!override` values appear as ResetTag/OverrideTag. */
  raw: Record<string, unknown>;
  /** The same after interpolation (set by the loader; equal to raw until then). */
  data: Record<string, unknown>;
  /** Line (1-based) of each mapping key and sequence item, by pathKey. */
  lines: Map<string, number>;
  /** Every explicit `!reset`/`!override` tag, for the Compose-v1 lint rule. */
  tags: { tag: string; line: number; segments: Segment[] }[];
}

/** The line of `segments` in `source`, or of its nearest ancestor that is there. */
export function lineOf(source: ComposeSource, segments: readonly Segment[]): number | undefined {
  for (let n = segments.length; n > 0; n--) {
    const line = source.lines.get(pathKey(segments.slice(0, n)));
    if (line !== undefined) return line;
  }
  return undefined;
}

export function readComposeSource(file: string): ComposeSource {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new ComposeInputError("compose file does not exist", { file: abs });
  if (statSync(abs).isDirectory()) throw new ComposeInputError("is a directory, not a compose file", { file: abs });
  return parseComposeSource(readFileSync(abs, "utf8"), abs);
}

export function parseComposeSource(text: string, file: string): ComposeSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? counter.linePos(first.pos[0]).line;
    throw new ComposeInputError(`does not parse as YAML: ${first.message.split("\n")[0]}`, { file, line });
  }
  const source: ComposeSource = { file, raw: {}, data: {}, lines: new Map(), tags: [] };
  const root = new SourceWalker(doc, counter, source).walk(doc.contents, [], new Set());
  if (root === null || root === undefined) throw new ComposeInputError("is empty", { file, line: 1 });
  if (typeof root !== "object" || Array.isArray(root) || root instanceof ResetTag || root instanceof OverrideTag) {
    throw new ComposeInputError("is not a compose file: its top level must be a mapping", { file, line: 1 });
  }
  source.raw = root as Record<string, unknown>;
  source.data = source.raw;
  return source;
}

/** Turns the YAML tree into plain values, recording the line of every key and item on the way. */
class SourceWalker {
  private readonly doc: Document;
  private readonly counter: LineCounter;
  private readonly source: ComposeSource;

  constructor(doc: Document, counter: LineCounter, source: ComposeSource) {
    this.doc = doc;
    this.counter = counter;
    this.source = source;
  }

  private lineAt(node: Node | null | undefined): number | undefined {
    return node?.range ? this.counter.linePos(node.range[0]).line : undefined;
  }

  walk(node: unknown, segments: Segment[], seen: Set<Node>): unknown {
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target || seen.has(target)) throw new ComposeInputError("has an unresolvable or recursive alias", { file: this.source.file, line: this.lineAt(node) });
      return this.walk(target, segments, new Set([...seen, target]));
    }
    let value: unknown;
    if (isMap(node)) value = this.walkMap(node.items, segments, seen);
    else if (isSeq(node)) {
      value = node.items.map((item, i) => {
        const line = this.lineAt(item as Node);
        if (line !== undefined) this.source.lines.set(pathKey([...segments, i]), line);
        return this.walk(item, [...segments, i], seen);
      });
    } else if (isScalar(node)) value = node.value;
    else value = null;
    const tag = (node as { tag?: string } | null)?.tag;
    if (tag === "!reset" || tag === "!override") {
      this.source.tags.push({ tag, line: this.lineAt(node as Node) ?? 0, segments });
      return tag === "!reset" ? new ResetTag() : new OverrideTag(value);
    }
    return value;
  }

  private walkMap(items: { key: unknown; value: unknown }[], segments: Segment[], seen: Set<Node>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    for (const pair of items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === "<<") {
        // YAML merge keys (`<<: *anchor`), common in compose files for shared blocks.
        const v = this.walk(pair.value, segments, seen);
        for (const m of Array.isArray(v) ? v : [v]) if (m && typeof m === "object") merged.push(m as Record<string, unknown>);
        continue;
      }
      const line = this.lineAt(pair.key as Node);
      if (line !== undefined) this.source.lines.set(pathKey([...segments, key]), line);
      out[key] = this.walk(pair.value, [...segments, key], seen);
    }
    return Object.assign({}, ...merged.reverse(), out);
  }
}
