import { randomBytes } from "node:crypto";
import { test } from "vitest";
import { djangoFor, registerAndLogin, sveltekitFor } from "../helpers/suite/accounts.ts";
import { chatTurn, describeTurn, ILLEGAL_REQUEST, llmRequests, requestsWithPrompt } from "../helpers/suite/chat.ts";
import { isRecord, storedText } from "../helpers/suite/chat-stream.ts";
import { blockedByStartFailure, evidence, fail, oneLine, stack } from "../helpers/suite/context.ts";
import { BROWSER_UA, NON_BROWSER_UA, field, newEndUser, summary, type Answer, type SvelteKitStub } from "../helpers/suite/stubs.ts";
import { check } from "../helpers/suite/evidence.ts";

test("chat-routes-through-sveltekit", check(async (ctx) => {
  blockedByStartFailure(ctx);
  const user = newEndUser("chat");
  const django = djangoFor(ctx, user);
  const session = await registerAndLogin(django, user);
  const sveltekit = sveltekitFor(ctx, user, session.sessionId);
  const { endpoint, model } = stack().chat;

  const before = await listConversations(sveltekit);
  await evidence(ctx, `GET sveltekit /api/chat/conversations → 200, ${before.length} conversations`);

  // No word "title" in the prompt: the mock LLM answers title calls by that word.
  const prompt = `Harness chat check ${randomBytes(4).toString("hex")}: please answer.`;
  const turn = await chatTurn(sveltekit, { text: prompt, endpoint, model }, BROWSER_UA);
  const { final } = turn;
  if (turn.deltaCount === 0 || turn.streamedText !== final.text) {
    await fail({
      problem: turn.deltaCount === 0 ? "the reply was not streamed: no delta events came before the final one." : "the streamed reply differs from the final one.",
      expected: "delta events whose texts join to the final event's text",
      seen: describeTurn(turn),
      fix: "the SvelteKit server must pass on each on_message_delta as it arrives; see its logs",
      role: "sveltekit",
    });
  }
  await evidence(
    ctx,
    `POST sveltekit /api/chat/send (User-Agent Chrome) → protocol ${String(turn.meta?.protocol)}, ${turn.deltaCount} deltas, reply ${JSON.stringify(oneLine(turn.streamedText, 160))}`,
  );

  const messagesAnswer = await sveltekit.messages(final.conversationId, BROWSER_UA);
  const messages = field(messagesAnswer.json, "messages");
  if (messagesAnswer.status !== 200 || !Array.isArray(messages)) {
    await fail({
      problem: "the conversation's messages cannot be read back through SvelteKit.",
      expected: `GET ${sveltekit.url}/api/chat/conversations/${final.conversationId}/messages → 200 {messages:[...]}`,
      seen: summary(messagesAnswer),
      fix: "see the SvelteKit and LibreChat logs (LibreChat's /api/messages/<id> answers 404 for a conversation it did not save)",
      role: "librechat",
    });
  }
  const list = (messages as unknown[]).filter(isRecord);
  const reply = list.find((m) => m.messageId === final.responseMessageId);
  const asked = list.find((m) => m.isCreatedByUser === true && m.text === prompt);
  if (!reply || !asked || storedText(reply) !== turn.streamedText) {
    await fail({
      problem: !reply || !asked ? "LibreChat did not store the turn." : "the stored reply differs from the streamed one.",
      expected: `the user message ${JSON.stringify(prompt)} and reply ${final.responseMessageId} whose content[*].text equals the streamed text`,
      seen: `${list.length} messages: ${oneLine(JSON.stringify(list.map((m) => ({ messageId: m.messageId, isCreatedByUser: m.isCreatedByUser, text: storedText(m) }))), 600)}`,
      fix: "LibreChat saves both messages when the run ends; see its logs",
      role: "librechat",
    });
  }
  await evidence(ctx, `GET sveltekit .../messages → ${list.length} messages; stored reply (content[*].text) equals the streamed one`);

  const log = await llmRequests();
  const reached = log.ok ? requestsWithPrompt(log.requests, prompt) : [];
  if (reached.length === 0) {
    await fail({
      problem: "the mock LLM never saw the prompt, so the reply did not come from the configured model endpoint.",
      expected: `a POST /v1/chat/completions whose user message contains ${JSON.stringify(prompt)}`,
      seen: log.ok ? `${log.requests.length} logged requests, none with the prompt` : `request log unreadable: ${log.error}`,
      fix: "librechat.yaml's custom endpoint baseURL must point at the mock LLM (http://mock-llm:8080/v1)",
      role: "llm",
    });
  }
  const streamed = reached.filter((r) => field(r.body, "stream") === true).length;
  await evidence(ctx, `mock LLM: ${reached.length} POST /v1/chat/completions carried the prompt (${streamed} streamed; the others are title calls)`);

  const after = await listConversations(sveltekit);
  if (!after.some((c) => c.conversationId === final.conversationId)) {
    await fail({
      problem: "the new conversation is missing from the list read through SvelteKit.",
      expected: `conversation ${final.conversationId} in GET /api/chat/conversations`,
      seen: `${after.length} conversations: ${after.map((c) => String(c.conversationId)).join(", ")}`,
      fix: "LibreChat saves the conversation when the run ends; see its logs",
      role: "librechat",
    });
  }
  await evidence(ctx, `GET sveltekit /api/chat/conversations → the new conversation ${final.conversationId} is listed (${after.length} in all)`);

  // The same chat from a non-browser client: LibreChat's User-Agent gate must answer it, which
  // proves the SvelteKit server forwards the caller's User-Agent instead of inventing one.
  const curlPrompt = `${prompt} (from curl)`;
  const gated = await sveltekit.send({ text: curlPrompt, endpoint, model }, NON_BROWSER_UA);
  const gatedSeen = gated.kind === "stream" ? describeTurn(gated.turn) : summary(gated.answer);
  if (gated.kind !== "stream" || !gated.turn.error?.message.includes(ILLEGAL_REQUEST)) {
    const wentThrough = gated.kind === "stream" && gated.turn.final !== undefined;
    await fail({
      problem: wentThrough
        ? `a chat sent with User-Agent ${NON_BROWSER_UA} went through: the SvelteKit server does not forward the caller's User-Agent (it sends its own), or LibreChat's User-Agent gate is off.`
        : `a chat sent with User-Agent ${NON_BROWSER_UA} did not fail the way LibreChat's User-Agent gate fails it.`,
      expected: `an error event {"message":"${ILLEGAL_REQUEST}"} from LibreChat`,
      seen: gatedSeen,
      fix: "the SvelteKit server must pass the caller's User-Agent to LibreChat unchanged (FORWARD_CLIENT_HEADERS)",
      role: "sveltekit",
    });
  }
  await evidence(ctx, `POST sveltekit /api/chat/send with User-Agent ${NON_BROWSER_UA} → ${gatedSeen} (LibreChat's User-Agent gate)`);
}));

async function listConversations(sveltekit: SvelteKitStub): Promise<Record<string, unknown>[]> {
  const answer: Answer = await sveltekit.conversations(BROWSER_UA);
  const conversations = field(answer.json, "conversations");
  if (answer.status !== 200 || !Array.isArray(conversations)) {
    await fail({
      problem: "the conversation list cannot be read through SvelteKit.",
      expected: `GET ${sveltekit.url}/api/chat/conversations → 200 {conversations:[...]}`,
      seen: summary(answer),
      fix: answer.status === 401 ? "the Django session was not accepted; see Django's logs" : "see the SvelteKit and LibreChat logs",
      role: answer.status === 401 ? "django" : "sveltekit",
    });
  }
  return (conversations as unknown[]).filter(isRecord);
}
