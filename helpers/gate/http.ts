// The upgrade path's HTTP: the stubs' routes (fixtures/README.md) and LibreChat's published
// port, each request carrying one end user's address and a browser User-Agent. Every check asks
// until a deadline (docker/until.ts): a request that timed out is no answer, never a verdict.
import { createParser } from "eventsource-parser";
import { request } from "undici";
import { answer, noAnswer, until, type Observation, type Outcome } from "../docker/until.ts";

export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

export interface Answer {
  /** 0 when no HTTP answer came (`error` says why). */
  status: number;
  text: string;
  json: unknown;
  error?: string;
}

const TIMED_OUT = /UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT|TimeoutError|timed out/i;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function call(method: "GET" | "POST", url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<Answer> {
  try {
    const response = await request(url, {
      method,
      headers: { accept: "application/json", "user-agent": BROWSER_UA, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    return { status: response.statusCode, text, json: parseJson(text) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { status: 0, text: "", json: undefined, error: `${typeof code === "string" ? `${code}: ` : ""}${error instanceof Error ? error.message : String(error)}` };
  }
}

export function observation(seen: Answer): Observation<Answer> {
  return seen.status === 0 && TIMED_OUT.test(seen.error ?? "") ? noAnswer(`no answer in time (${seen.error})`) : answer(seen);
}

/** Evidence until the deadline: repeated until `wanted`, three unwanted answers in a row, or the deadline. */
export function askUntil(ask: () => Promise<Answer>, wanted: (a: Answer) => boolean, deadlineMs: number, confirmations = 3): Promise<Outcome<Answer>> {
  return until(async () => observation(await ask()), { deadlineMs, wanted, confirmations });
}

/** A request that changes state: asked again only while it gets no answer at all, until the deadline. */
export function askOnce(ask: () => Promise<Answer>, deadlineMs: number): Promise<Outcome<Answer>> {
  return until(async () => observation(await ask()), { deadlineMs, wanted: () => true });
}

export function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined;
}

export function text(value: unknown, name: string): string | undefined {
  const found = field(value, name);
  return typeof found === "string" ? found : undefined;
}

/** Tokens never reach a report: every JWT in a body is shown as <jwt>. */
export function redact(body: string): string {
  return body.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, "<jwt>");
}

export function short(seen: Answer, max = 300): string {
  if (seen.status === 0) return `no answer: ${seen.error ?? "unknown error"}`;
  return `${seen.status} ${redact(seen.text).replace(/\s+/g, " ").trim().slice(0, max)}`.trim();
}

/** What an outcome ended on, in one phrase. */
export function outcomeText(outcome: Outcome<Answer>): string {
  const when = `after ${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"} in ${(outcome.waitedMs / 1000).toFixed(1)} s`;
  return outcome.kind === "no-answer" ? `no answer ${when} (${outcome.why})` : `${short(outcome.value)} ${when}`;
}

/** The SvelteKit stub's chat stream, read whole: its final event, or what ended it. */
export async function sendChat(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<{ final: Record<string, unknown> | undefined; meta: Record<string, unknown> | undefined; error: string | undefined }> {
  const seen = await call("POST", url, { ...headers, accept: "text/event-stream" }, body, timeoutMs);
  if (seen.status !== 200) return { final: undefined, meta: undefined, error: short(seen) };
  const events: { event: string; data: unknown }[] = [];
  const parser = createParser({ onEvent: (m) => events.push({ event: m.event ?? "message", data: parseJson(m.data) ?? m.data }) });
  parser.feed(`${seen.text}\n\n`);
  const final = events.find((e) => e.event === "final")?.data;
  const meta = events.find((e) => e.event === "meta")?.data;
  const error = events.find((e) => e.event === "error");
  const asRecord = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === "object" ? (v as Record<string, unknown>) : undefined);
  return { final: asRecord(final), meta: asRecord(meta), error: error ? JSON.stringify(error.data).slice(0, 300) : asRecord(final) ? undefined : "the stream ended without a final event" };
}
