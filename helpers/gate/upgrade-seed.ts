// The data the upgrade path leaves on the baseline before LibreChat is replaced: a few users
// registered and logged in through Django, each with one conversation through SvelteKit holding
// a unique word, searchable before the replacement; their tokens as Django holds them.
import { field } from "./http.ts";
import { chat, librechatGet, messageTexts, newUser, register, searchWord, session, type GateUser, type OpenedSession, type Seeded, type World } from "./upgrade-clients.ts";

export type SeedResult = { ok: true; users: Seeded[]; notes: string[] } | { ok: false; why: string; notes: string[] };

/** Registers `user` through Django (201) and logs it in: the tokens Django then holds. */
export async function registerAndLogIn(world: World, user: GateUser): Promise<{ ok: true; value: OpenedSession } | { ok: false; why: string }> {
  const registered = await register(world, user);
  if (registered.kind === "no-answer") return { ok: false, why: `POST django /api/auth/register got no answer (${registered.why})` };
  if (registered.value.status !== 201) return { ok: false, why: `POST django /api/auth/register → ${registered.value.status} ${registered.value.text.slice(0, 400)}` };
  const opened = await session(world, user);
  if ("failed" in opened) return { ok: false, why: `POST django /api/auth/login: ${opened.failed}` };
  return { ok: true, value: opened };
}

async function seedOne(world: World, index: number, era: string): Promise<{ ok: true; user: Seeded; note: string } | { ok: false; why: string }> {
  const user = newUser(`seed${index}`, era);
  const opened = await registerAndLogIn(world, user);
  if (!opened.ok) return opened;
  const word = searchWord();
  const turn = await chat(world, user, opened.value.sessionId, `Please remember the word ${word} for the upgrade.`);
  const conversationId = typeof field(turn.final, "conversationId") === "string" ? String(field(turn.final, "conversationId")) : "";
  if (!conversationId || turn.error) return { ok: false, why: `POST sveltekit /api/chat/send: ${turn.error ?? "no conversation id in the final event"}` };
  const protocol = typeof field(turn.meta, "protocol") === "string" ? String(field(turn.meta, "protocol")) : "unknown";
  const seeded: Seeded = { ...user, ...opened.value, conversationId, word };
  return { ok: true, user: seeded, note: `${user.email}: registered and logged in through Django (LibreChat user ${seeded.librechatUserId}, refresh token ${seeded.refreshToken ? "held" : "not set"}), chat through SvelteKit (${protocol} protocol) → conversation ${conversationId} with the word ${word}` };
}

/** True when LibreChat's message search lists the user's message with its word. */
export function searchFinds(json: unknown, user: Pick<Seeded, "conversationId" | "word">): boolean {
  return messageTexts(field(json, "messages")).some((m) => m.conversationId === user.conversationId && m.text.includes(user.word));
}

/** Seeds `count` users one after another, then waits until each one's word is searchable. */
export async function seedBaseline(world: World, count: number, era: string): Promise<SeedResult> {
  const users: Seeded[] = [];
  const notes: string[] = [];
  for (let index = 0; index < count; index++) {
    const seeded = await seedOne(world, index, era);
    if (!seeded.ok) return { ok: false, why: seeded.why, notes };
    users.push(seeded.user);
    notes.push(seeded.note);
  }
  for (const user of users) {
    const found = await librechatGet(world, user, `/api/messages?search=${encodeURIComponent(user.word)}`, user.accessToken, (a) => a.status === 200 && searchFinds(a.json, user), Number.POSITIVE_INFINITY);
    if (found.kind !== "wanted") {
      const seen = found.kind === "no-answer" ? found.why : `${found.value.status} ${found.value.text.slice(0, 200)}`;
      return { ok: false, why: `the baseline never made ${user.word} searchable within ${world.deadlineMs / 1000} s (GET /api/messages?search= → ${seen})`, notes };
    }
    notes.push(`GET librechat /api/messages?search=${user.word} → the message of ${user.conversationId} after ${(found.waitedMs / 1000).toFixed(1)} s`);
  }
  return { ok: true, users, notes };
}
