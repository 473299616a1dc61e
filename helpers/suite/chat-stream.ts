// Reads the SvelteKit stub's chat stream (fixtures/README.md: meta, delta, final, error)
// and the message documents LibreChat stores, into what the chat checks compare.
import { createParser } from "eventsource-parser";

export interface ChatFinal {
  conversationId: string;
  requestMessageId: string;
  responseMessageId: string;
  text: string;
  /** LibreChat's content parts of type "error" (how a failing LLM shows). */
  errors: unknown[];
}

export interface ChatError {
  message: string;
  librechatStatus?: number;
  source?: string;
}

export interface ChatTurn {
  /** Every event in order, data parsed when it is JSON (else the raw string). */
  events: { event: string; data: unknown }[];
  meta: Record<string, unknown> | undefined;
  streamedText: string;
  deltaCount: number;
  final: ChatFinal | undefined;
  error: ChatError | undefined;
  /** Frames that broke the documented shapes: they make a diagnosis, never a pass. */
  malformed: string[];
}

export async function readChatStream(body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): Promise<ChatTurn> {
  const turn: ChatTurn = { events: [], meta: undefined, streamedText: "", deltaCount: 0, final: undefined, error: undefined, malformed: [] };
  const parser = createParser({
    onEvent: (message) => absorb(turn, message.event ?? "message", message.data),
    onError: (error) => turn.malformed.push(`SSE parse error: ${error.message}`),
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) parser.feed(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
  parser.feed(decoder.decode());
  // A last event without its blank line still counts (LibreChat's gate answer ends that way);
  // after a complete stream the extra blank lines dispatch nothing.
  parser.feed("\n\n");
  return turn;
}

/** Parses a whole stream body at once; the same rules as readChatStream. */
export function parseChatStream(text: string): Promise<ChatTurn> {
  return readChatStream([text]);
}

function absorb(turn: ChatTurn, event: string, raw: string): void {
  let data: unknown = raw;
  let parsed = true;
  try {
    data = JSON.parse(raw) as unknown;
  } catch {
    parsed = false;
    turn.malformed.push(`${event}: data is not JSON: ${raw.slice(0, 200)}`);
  }
  turn.events.push({ event, data });
  const record = isRecord(data) ? data : undefined;
  if (event === "meta" && record) turn.meta = record;
  else if (event === "delta" && record && typeof record.text === "string") {
    turn.streamedText += record.text;
    turn.deltaCount += 1;
  } else if (event === "final" && record) {
    const final = asFinal(record);
    if (final) turn.final = final;
    else turn.malformed.push(`final: missing fields in ${raw.slice(0, 300)}`);
  } else if (event === "error") {
    turn.error = {
      message: record && typeof record.message === "string" ? record.message : raw,
      ...(record && typeof record.librechatStatus === "number" ? { librechatStatus: record.librechatStatus } : {}),
      ...(record && typeof record.source === "string" ? { source: record.source } : {}),
    };
  } else if (event === "delta" && parsed) turn.malformed.push(`delta without text: ${raw.slice(0, 200)}`);
}

function asFinal(record: Record<string, unknown>): ChatFinal | undefined {
  const { conversationId, requestMessageId, responseMessageId, text, errors } = record;
  if (typeof conversationId !== "string" || typeof responseMessageId !== "string" || typeof text !== "string") return undefined;
  return {
    conversationId,
    requestMessageId: typeof requestMessageId === "string" ? requestMessageId : "",
    responseMessageId,
    text,
    errors: Array.isArray(errors) ? errors : [],
  };
}

/**
 * The text of a stored message as a reader sees it: agent replies keep `text:""` and the
 * reply in `content[*].text`, so the parts win whenever there are any.
 */
export function storedText(message: unknown): string {
  if (!isRecord(message)) return "";
  const parts = Array.isArray(message.content) ? message.content : [];
  const texts = parts.filter(isRecord).filter((part) => part.type === "text" && typeof part.text === "string");
  if (texts.length > 0) return texts.map((part) => part.text as string).join("");
  return typeof message.text === "string" ? message.text : "";
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
