import { randomInt } from "node:crypto";
import { test } from "vitest";
import { djangoFor, heldSession, librechatFor, registerAndLogin, sveltekitFor } from "../helpers/suite/accounts.ts";
import { chatTurn } from "../helpers/suite/chat.ts";
import { probe } from "../helpers/suite/containers.ts";
import { blockedByStartFailure, evidence, fail, oneLine, stack } from "../helpers/suite/context.ts";
import { answered, check, EVIDENCE_WINDOW_MS, observe, scaled } from "../helpers/suite/evidence.ts";
import { BROWSER_UA, field, newEndUser, summary, type Answer } from "../helpers/suite/stubs.ts";

test("search-indexing", check(async (ctx) => {
  blockedByStartFailure(ctx);
  if (!stack().services.meilisearch) ctx.skip("no MeiliSearch service in this run, so there is no search to check");
  const user = newEndUser("search");
  const django = djangoFor(ctx, user);
  const librechat = librechatFor(ctx, user);
  const session = await registerAndLogin(django, user);
  const { accessToken } = await heldSession(django, session.sessionId);

  const enabled = await librechat.get("/api/search/enable", accessToken);
  if (enabled.status !== 200 || enabled.json !== true) {
    await fail({
      problem: `LibreChat reports search as disabled, so nothing is indexed in MeiliSearch${wiringCause(await meiliHealth())}.`,
      expected: `GET ${librechat.url}/api/search/enable → 200 true`,
      seen: `${summary(enabled)}; ${await searchWiring()}`,
      fix: "LibreChat searches only with SEARCH=true, MEILI_HOST naming MeiliSearch on the internal network (http://meilisearch:7700) and MEILI_MASTER_KEY equal to MeiliSearch's; MeiliSearch must answer /health (LibreChat's [indexSync] lines below say which failed)",
      role: "librechat",
    });
  }
  await evidence(ctx, "GET librechat /api/search/enable → 200 true");

  // Letters only, so no tokenizer splits it; unique per run so only this conversation matches.
  const word = `zq${Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join("")}`;
  const sveltekit = sveltekitFor(ctx, user, session.sessionId);
  const { endpoint, model } = stack().chat;
  const turn = await chatTurn(sveltekit, { text: `Please remember the word ${word} for me.`, endpoint, model }, BROWSER_UA);
  const conversationId = turn.final.conversationId;
  await evidence(ctx, `POST sveltekit /api/chat/send with the word ${word} → conversation ${conversationId}`);

  // Message text is searched by /api/messages?search= (the messages index); /api/convos?search=
  // searches only the conversations index (id, title, user, tags). Indexing is asynchronous, so
  // "not yet" answers are expected until the deadline; a failing search is not.
  const deadlineMs = scaled(EVIDENCE_WINDOW_MS);
  const outcome = await observe(() => librechat.observe(`/api/messages?search=${encodeURIComponent(word)}`, accessToken), (a) => found(a, conversationId, word), {
    deadlineMs,
    confirmations: Number.POSITIVE_INFINITY,
  });
  const last = answered("whether the sent message became searchable", outcome);
  const polls = outcome.attempts;
  if (!found(last, conversationId, word)) {
    await fail({
      problem:
        last?.status === 500
          ? "LibreChat's search fails: it cannot query MeiliSearch."
          : `the sent message did not become searchable within ${deadlineMs / 1000} s.`,
      expected: `GET ${librechat.url}/api/messages?search=${word} lists the message sent in conversation ${conversationId}`,
      seen: `${summary(last)} after ${polls} polls; ${await searchWiring()}`,
      fix: "LibreChat indexes messages in MeiliSearch when it saves them: check MEILI_HOST, MEILI_MASTER_KEY and LibreChat's [indexSync]/Meilisearch log lines below",
      role: "librechat",
      logLines: 40,
    });
  }
  await evidence(ctx, `GET librechat /api/messages?search=${word} → the message of conversation ${conversationId} after ${(outcome.waitedMs / 1000).toFixed(1)} s (${polls} ${polls === 1 ? "poll" : "polls"})`);
}));

function found(answer: Answer, conversationId: string, word: string): boolean {
  const messages = field(answer.json, "messages");
  return answer.status === 200 && Array.isArray(messages) && messages.some((m) => field(m, "conversationId") === conversationId && String(field(m, "text") ?? "").includes(word));
}

interface MeiliHealth {
  /** undefined when MEILI_HOST is unset or the probe is missing. */
  healthy: boolean | undefined;
  text: string;
}

/** MeiliSearch's /health at the MEILI_HOST LibreChat was given, asked from the internal network. */
async function meiliHealth(): Promise<MeiliHealth> {
  const current = stack();
  const host = current.librechat.environment.MEILI_HOST;
  if (!current.services.probe || !host) return { healthy: undefined, text: "not probed" };
  const seen = await probe(["http", `${host.replace(/\/$/, "")}/health`]);
  if (seen.kind === "no-answer") return { healthy: undefined, text: `not judged (${seen.why})` };
  const answer = seen.value;
  return answer.ok
    ? { healthy: answer.status === 200, text: `${answer.status} ${oneLine(answer.body ?? "", 120)}` }
    : { healthy: false, text: `no answer (${answer.error})` };
}

/** The first setting that explains a disabled search, as a clause for the problem sentence. */
function wiringCause(health: MeiliHealth): string {
  const env = stack().librechat.environment;
  if ((env.SEARCH ?? "").toLowerCase() !== "true") return `: SEARCH is ${JSON.stringify(env.SEARCH ?? "unset")}, not "true"`;
  if (!env.MEILI_HOST) return ": MEILI_HOST is unset";
  if (health.healthy === false) return `: MeiliSearch does not answer at MEILI_HOST ${env.MEILI_HOST} from the internal network`;
  return "";
}

/** What the search depends on, in one line: LibreChat's settings and MeiliSearch's health from the internal network. */
async function searchWiring(): Promise<string> {
  const current = stack();
  const env = current.librechat.environment;
  const keySet = current.librechat.settings.some((s) => s.name === "MEILI_MASTER_KEY") || Boolean(env.MEILI_MASTER_KEY);
  const host = env.MEILI_HOST;
  const health = await meiliHealth();
  return `SEARCH=${JSON.stringify(env.SEARCH ?? null)}, MEILI_HOST=${JSON.stringify(host ?? null)}, MEILI_MASTER_KEY ${keySet ? "set" : "unset"}, MeiliSearch ${host ?? "(no host)"}/health → ${health.text}`;
}
