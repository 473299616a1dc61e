// One chat turn through the SvelteKit stub, failing with the cause when it does not end in
// a clean reply; and the mock LLM's request log, to show what reached the model.
import { execService, fail, oneLine } from "./context.ts";
import type { ChatFinal, ChatTurn } from "./chat-stream.ts";
import { isRecord } from "./chat-stream.ts";
import { librechatMessage } from "./refusals.ts";
import { field, summary, type SendBody, type SendResult, type SvelteKitStub } from "./stubs.ts";

export const ILLEGAL_REQUEST = "Illegal request";

export interface CompletedTurn extends ChatTurn {
  final: ChatFinal;
}

export async function chatTurn(sveltekit: SvelteKitStub, body: SendBody, userAgent: string): Promise<CompletedTurn> {
  const result = await sveltekit.send(body, userAgent);
  const expected = `POST ${sveltekit.url}/api/chat/send → 200 text/event-stream with delta events and a final event without errors`;
  if (result.kind === "refused") await fail({ ...explainRefusedSend(result), expected, seen: summary(result.answer, 800) });
  const turn = (result as Extract<SendResult, { kind: "stream" }>).turn;
  const seen = describeTurn(turn);
  if (turn.error?.message.includes(ILLEGAL_REQUEST)) {
    await fail({
      problem:
        "LibreChat rejected the chat as Illegal request: the request reached LibreChat without a browser User-Agent; " +
        "the SvelteKit server must forward the caller's User-Agent (FORWARD_CLIENT_HEADERS).",
      expected,
      seen,
      fix: "forward the browser's User-Agent on every /api/agents call (the stub does it unless FORWARD_CLIENT_HEADERS=false)",
      role: "sveltekit",
    });
  }
  if (turn.error) {
    await fail({
      problem:
        turn.error.source === "stub"
          ? `the SvelteKit server broke off the chat: ${turn.error.message}`
          : `LibreChat ended the chat stream with an error: ${turn.error.message}`,
      expected,
      seen,
      fix:
        turn.error.source === "stub"
          ? "LibreChat's stream ended without a final frame; see the SvelteKit and LibreChat logs"
          : "an illegal_model_request means the model is not in the endpoint's list in librechat.yaml; otherwise see LibreChat's logs",
      role: turn.error.source === "stub" ? "sveltekit" : "librechat",
    });
  }
  if (!turn.final || turn.malformed.length > 0) {
    await fail({
      problem: turn.final ? "the chat stream broke the SvelteKit stub's event shapes." : "the chat stream ended without a final event.",
      expected,
      seen: `${seen}${turn.malformed.length > 0 ? `; malformed: ${turn.malformed.join(" | ")}` : ""}`,
      fix: "see fixtures/README.md for the events and the SvelteKit stub's logs",
      role: "sveltekit",
    });
  }
  if (turn.final!.errors.length > 0) {
    await fail({
      problem: `the LLM call failed: LibreChat stored an error part instead of a reply: ${oneLine(JSON.stringify(turn.final!.errors), 500)}.`,
      expected,
      seen,
      fix: "LibreChat could not get a completion from the model endpoint in librechat.yaml (baseURL, apiKey, model); the mock LLM's logs are below",
      role: "llm",
    });
  }
  return turn as CompletedTurn;
}

function explainRefusedSend(result: Extract<SendResult, { kind: "refused" }>): { problem: string; fix: string; role: "sveltekit" | "librechat" | "django" } {
  const { answer } = result;
  const body = isRecord(answer.json) ? answer.json : {};
  const code = typeof body.error === "string" ? body.error : "";
  if (answer.status === 0) {
    return { problem: `the SvelteKit stub gave no answer (${answer.error ?? ""}).`, fix: "see its logs", role: "sveltekit" };
  }
  if (answer.status === 401) {
    return { problem: `the SvelteKit stub did not accept the Django session (${code}).`, fix: "the session id comes from Django's login; see Django's logs", role: "django" };
  }
  if (code === "session_resolution_failed") {
    return {
      problem: `the SvelteKit server could not get a LibreChat token from Django (${String(body.djangoStatus)}).`,
      fix: "SvelteKit's DJANGO_API_URL and INTERNAL_API_TOKEN must match Django's",
      role: "sveltekit",
    };
  }
  if (code.startsWith("librechat_")) {
    const status = body.librechatStatus;
    return {
      problem: `LibreChat refused the chat before streaming (${code}): ${String(status)} ${oneLine(librechatMessage(body.librechatBody))}.`,
      fix:
        status === 0
          ? "SvelteKit's LIBRECHAT_API_URL must name LibreChat's alias on the backend network"
          : status === 503
            ? "LibreChat was not ready yet (SERVER_NOT_READY)"
            : "see LibreChat's logs below",
      role: "librechat",
    };
  }
  return { problem: `the SvelteKit stub refused the chat with ${answer.status} ${code}.`, fix: "see its logs below", role: "sveltekit" };
}

/** One line: the events in order, the streamed text and the final or error. */
export function describeTurn(turn: ChatTurn): string {
  const names = turn.events.map((e) => e.event);
  const parts = [`events ${names.length > 12 ? `${names.slice(0, 12).join(",")},…(${names.length})` : names.join(",")}`];
  if (turn.deltaCount > 0) parts.push(`streamed ${JSON.stringify(oneLine(turn.streamedText, 200))}`);
  if (turn.final) parts.push(`final ${oneLine(JSON.stringify(turn.final), 400)}`);
  if (turn.error) parts.push(`error ${JSON.stringify(turn.error)}`);
  return parts.join("; ");
}

export interface LlmRequest {
  method: string;
  path: string;
  body: unknown;
  receivedAt: string;
}

/** The mock LLM's request log, read from inside its container. */
export async function llmRequests(): Promise<{ ok: true; requests: LlmRequest[] } | { ok: false; error: string }> {
  const result = await execService("llm", ["curl", "-s", "http://localhost:8080/__mock/requests"]);
  try {
    const parsed = JSON.parse(result.stdout) as { requests?: unknown };
    if (!Array.isArray(parsed.requests)) return { ok: false, error: `no requests list in ${result.stdout.slice(0, 200)}` };
    return { ok: true, requests: parsed.requests.filter(isRecord) as unknown as LlmRequest[] };
  } catch {
    return { ok: false, error: `exit ${result.exitCode}: ${(result.stderr || result.stdout).slice(0, 300)}` };
  }
}

/** The chat completions whose user messages contain the prompt (content as a string or as text parts). */
export function requestsWithPrompt(requests: LlmRequest[], prompt: string): LlmRequest[] {
  return requests.filter((request) => {
    if (request.method !== "POST" || !request.path.endsWith("/chat/completions")) return false;
    const messages = field(request.body, "messages");
    if (!Array.isArray(messages)) return false;
    return messages.some((message) => field(message, "role") === "user" && contentText(field(message, "content")).includes(prompt));
  });
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof field(part, "text") === "string" ? (field(part, "text") as string) : "")).join(" ");
}
