// The upgrade path's users and what they do through the stubs (fixtures/README.md): register and
// log in through Django, chat and read back through SvelteKit, and ask LibreChat itself on its
// published port, each with its own X-Forwarded-For.
import { randomBytes, randomInt } from "node:crypto";
import type { StackDescriptor } from "../stack/descriptor.ts";
import { askOnce, askUntil, call, sendChat, text, type Answer } from "./http.ts";
import type { Outcome } from "../docker/until.ts";

export interface World {
  djangoUrl: string;
  sveltekitUrl: string;
  librechatUrl: string;
  internalToken: string;
  chat: { endpoint: string; model: string };
  /** Every check's evidence window (60 s × HARNESS_TIME_SCALE). */
  deadlineMs: number;
  /** One request's own timeout. */
  timeoutMs: number;
}

/** The world of a stack, or why the upgrade path cannot talk to it. */
export function worldOf(stack: Readonly<StackDescriptor>, timeScale: number): World | string {
  const { djangoUrl, sveltekitUrl } = stack.stubs;
  const librechatUrl = stack.librechat.hostUrl;
  if (!djangoUrl || !sveltekitUrl) return "a stub publishes no host port in this run";
  if (!librechatUrl) return "LibreChat publishes no host port in this run";
  return { djangoUrl, sveltekitUrl, librechatUrl, internalToken: stack.secrets.internalToken, chat: stack.chat, deadlineMs: Math.round(60_000 * timeScale), timeoutMs: Math.round(30_000 * timeScale) };
}

export interface GateUser {
  email: string;
  password: string;
  name: string;
  address: string;
  /** Which LibreChat registered it. */
  era: string;
}

export interface Seeded extends GateUser {
  sessionId: string;
  librechatUserId: string;
  accessToken: string;
  refreshToken: string | null;
  conversationId: string;
  word: string;
}

export function newUser(prefix: string, era: string): GateUser {
  const tag = randomBytes(4).toString("hex");
  const net = randomInt(2) === 0 ? "198.51.100" : "203.0.113";
  return { email: `gate-${prefix}-${tag}@example.test`, password: `Gate-${randomBytes(10).toString("base64url")}-7!`, name: `Gate ${prefix} ${tag}`, address: `${net}.${randomInt(1, 255)}`, era };
}

/** Letters only, so no tokenizer splits it; unique per run. */
export function searchWord(): string {
  return `zg${Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join("")}`;
}

const xff = (user: GateUser): Record<string, string> => ({ "x-forwarded-for": user.address });

export function register(world: World, user: GateUser): Promise<Outcome<Answer>> {
  return askOnce(() => call("POST", `${world.djangoUrl}/api/auth/register`, xff(user), { email: user.email, password: user.password, name: user.name }, world.timeoutMs), world.deadlineMs);
}

export function login(world: World, user: GateUser): Promise<Outcome<Answer>> {
  return askUntil(() => call("POST", `${world.djangoUrl}/api/auth/login`, xff(user), { email: user.email, password: user.password }, world.timeoutMs), (a) => a.status === 200, world.deadlineMs);
}

/** The tokens Django holds for a session (its tests-only internal route). */
export function held(world: World, user: GateUser, sessionId: string): Promise<Outcome<Answer>> {
  const headers = { ...xff(user), "x-internal-token": world.internalToken };
  return askUntil(() => call("GET", `${world.djangoUrl}/internal/sessions/${encodeURIComponent(sessionId)}`, headers, undefined, world.timeoutMs), (a) => a.status === 200, world.deadlineMs);
}

export interface OpenedSession {
  sessionId: string;
  librechatUserId: string;
  accessToken: string;
  refreshToken: string | null;
}

/** Logs in and reads the tokens Django then holds. */
export async function session(world: World, user: GateUser): Promise<OpenedSession | { failed: string }> {
  const loggedIn = await login(world, user);
  if (loggedIn.kind !== "wanted") return { failed: `login ${loggedIn.kind === "no-answer" ? `got no answer (${loggedIn.why})` : `→ ${loggedIn.value.status} ${loggedIn.value.text.slice(0, 300)}`}` };
  const sessionId = text(loggedIn.value.json, "sessionId") ?? "";
  const tokens = await held(world, user, sessionId);
  if (tokens.kind !== "wanted") return { failed: `Django's session ${sessionId} is not readable (${tokens.kind === "no-answer" ? tokens.why : `${tokens.value.status}`})` };
  const accessToken = text(tokens.value.json, "accessToken") ?? "";
  return { sessionId, librechatUserId: text(loggedIn.value.json, "librechatUserId") ?? "", accessToken, refreshToken: text(tokens.value.json, "refreshToken") ?? null };
}

export function chat(world: World, user: GateUser, sessionId: string, message: string): ReturnType<typeof sendChat> {
  const headers = { ...xff(user), "x-session-id": sessionId };
  return sendChat(`${world.sveltekitUrl}/api/chat/send`, headers, { text: message, endpoint: world.chat.endpoint, model: world.chat.model }, world.deadlineMs);
}

export function sveltekitGet(world: World, user: GateUser, sessionId: string, route: string, wanted: (a: Answer) => boolean): Promise<Outcome<Answer>> {
  const headers = { ...xff(user), "x-session-id": sessionId };
  return askUntil(() => call("GET", `${world.sveltekitUrl}${route}`, headers, undefined, world.timeoutMs), wanted, world.deadlineMs);
}

export function librechatGet(world: World, user: GateUser, route: string, accessToken: string, wanted: (a: Answer) => boolean, confirmations = 3): Promise<Outcome<Answer>> {
  const headers = { ...xff(user), authorization: `Bearer ${accessToken}` };
  return askUntil(() => call("GET", `${world.librechatUrl}${route}`, headers, undefined, world.timeoutMs), wanted, world.deadlineMs, confirmations);
}

/** POST /api/auth/refresh with the refresh token as the cookie LibreChat reads (it rotates on success). */
export function refreshWithCookie(world: World, user: GateUser, refreshToken: string): Promise<Outcome<Answer>> {
  const headers = { ...xff(user), cookie: `refreshToken=${refreshToken}` };
  return askOnce(() => call("POST", `${world.librechatUrl}/api/auth/refresh`, headers, undefined, world.timeoutMs), world.deadlineMs);
}

/** The stored message texts of a /api/messages answer (agent replies keep their text in content parts). */
export function messageTexts(messages: unknown): { conversationId: string; text: string }[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((m) => {
    const parts = Array.isArray((m as { content?: unknown }).content) ? ((m as { content: unknown[] }).content as { type?: unknown; text?: unknown }[]) : [];
    const fromParts = parts.filter((p) => p.type === "text" && typeof p.text === "string").map((p) => String(p.text)).join("");
    return { conversationId: text(m, "conversationId") ?? "", text: `${text(m, "text") ?? ""} ${fromParts}`.trim() };
  });
}
