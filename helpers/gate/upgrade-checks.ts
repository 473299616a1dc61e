// The rows of one replacement (the upgrade, or the downgrade after it): LibreChat started on
// the old data, old users log in, old tokens and refresh sessions keep working or are
// invalidated (reported from LibreChat's own answer), old conversations read back, old messages
// are searchable, a new registration works. Every row is evidence until its deadline.
import type { Outcome } from "../docker/until.ts";
import { field, outcomeText, text, type Answer } from "./http.ts";
import type { UpgradeRow } from "./types.ts";
import { librechatGet, messageTexts, newUser, refreshWithCookie, session, sveltekitGet, type GateUser, type Seeded, type World } from "./upgrade-clients.ts";
import { registerAndLogIn, searchFinds } from "./upgrade-seed.ts";

/** A user with the tokens Django holds for it (from the LibreChat that registered it). */
export interface Account extends GateUser {
  sessionId: string;
  librechatUserId: string;
  accessToken: string;
  refreshToken: string | null;
}

export interface PhaseInput {
  world: World;
  /** Everyone who should still log in. */
  accounts: Account[];
  /** Users whose conversation and search word should survive. */
  seeded: Seeded[];
  /** Whose old access and refresh tokens the token rows present. */
  tokens: Account;
  /** Who registers the new user (e.g. "candidate v0.8.7"). */
  era: string;
}

const row = (id: string, title: string, status: UpgradeRow["status"], detail: string): UpgradeRow => ({ id, title, status, detail });

/** The seconds-since-epoch expiry of a JWT, when its payload says. */
export function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

async function oldUsersLogIn(input: PhaseInput): Promise<{ row: UpgradeRow; fresh: Map<string, Account> }> {
  const fresh = new Map<string, Account>();
  const lines: string[] = [];
  let failed = false;
  for (const account of input.accounts) {
    const opened = await session(input.world, account);
    if ("failed" in opened) {
      failed = true;
      lines.push(`${account.email} (registered on ${account.era}): ${opened.failed}`);
      continue;
    }
    const same = opened.librechatUserId === account.librechatUserId;
    failed ||= !same;
    fresh.set(account.email, { ...account, ...opened });
    lines.push(`${account.email} (registered on ${account.era}): POST django /api/auth/login → 200, LibreChat user ${opened.librechatUserId}${same ? " (the same user)" : ` — NOT the user registered before (${account.librechatUserId})`}`);
  }
  return { row: row("old-users-log-in", "Old users log in", failed ? "fail" : "pass", lines.join("\n")), fresh };
}

function verdictOf(outcome: Outcome<Answer>, judge: (a: Answer) => { status: UpgradeRow["status"]; says: string }): { status: UpgradeRow["status"]; says: string } {
  if (outcome.kind === "no-answer") return { status: "inconclusive", says: `no answer by the deadline: ${outcome.why}` };
  return judge(outcome.value);
}

async function oldAccessToken(input: PhaseInput): Promise<UpgradeRow> {
  const { tokens, world } = input;
  const outcome = await librechatGet(world, tokens, "/api/user", tokens.accessToken, (a) => a.status === 200);
  const exp = jwtExpiry(tokens.accessToken);
  const expired = exp !== undefined && exp * 1000 <= Date.now();
  const { status, says } = verdictOf(outcome, (a) => {
    const id = text(a.json, "id") ?? text(a.json, "_id");
    if (a.status === 200 && id === tokens.librechatUserId) return { status: "pass", says: "keep working: LibreChat accepts the access token issued before the replacement" };
    if (a.status === 200) return { status: "fail", says: `LibreChat answered 200 for another user (${id})` };
    if (a.status === 401) return { status: "pass", says: expired ? "invalidated by time: the token's 15-minute lifetime ended before the check, which says nothing about the upgrade" : "invalidated: LibreChat refuses the access token issued before the replacement (users must log in again)" };
    return { status: "fail", says: "an unexpected answer: neither accepted (200) nor refused (401)" };
  });
  return row("old-access-tokens", "Old access tokens", status, `${says}\nGET librechat /api/user with the access token Django holds for ${tokens.email} (registered on ${tokens.era}) → ${outcomeText(outcome)}`);
}

async function oldRefreshSession(input: PhaseInput): Promise<UpgradeRow> {
  const { tokens, world } = input;
  const title = "Old refresh sessions";
  if (!tokens.refreshToken) return row("old-refresh-sessions", title, "skip", `Django holds no refresh token for ${tokens.email}: LibreChat set no refreshToken cookie at its login`);
  const outcome = await refreshWithCookie(world, tokens, tokens.refreshToken);
  const { status, says } = verdictOf(outcome, (a) => {
    if (a.status === 200 && text(a.json, "token")) return { status: "pass", says: "keep working: LibreChat renews the session opened before the replacement (and rotates its refresh token)" };
    if (a.status === 401 || a.status === 403) return { status: "pass", says: "invalidated: LibreChat no longer renews the session opened before the replacement (users must log in again)" };
    if (a.status === 200) return { status: "fail", says: "LibreChat did not read the refresh token sent as its cookie" };
    return { status: "fail", says: "an unexpected answer: neither renewed (200) nor refused (401/403)" };
  });
  const retried = outcome.attempts > 1 ? "\n(an earlier attempt got no answer in time; if it reached LibreChat, a 401 may be that attempt's rotation)" : "";
  return row("old-refresh-sessions", title, status, `${says}\nPOST librechat /api/auth/refresh with Cookie: refreshToken=<the token Django holds for ${tokens.email} (registered on ${tokens.era})> → ${outcomeText(outcome)}${retried}`);
}

async function conversationReadBack(world: World, user: Seeded, sessionId: string): Promise<{ ok: boolean; line: string }> {
  const listed = await sveltekitGet(world, user, sessionId, "/api/chat/conversations", (a) => a.status === 200 && JSON.stringify(field(a.json, "conversations") ?? []).includes(user.conversationId));
  if (listed.kind !== "wanted") return { ok: false, line: `${user.email}: GET sveltekit /api/chat/conversations does not list ${user.conversationId}: ${outcomeText(listed)}` };
  const route = `/api/chat/conversations/${encodeURIComponent(user.conversationId)}/messages`;
  const read = await sveltekitGet(world, user, sessionId, route, (a) => a.status === 200 && messageTexts(field(a.json, "messages")).some((m) => m.text.includes(user.word)));
  if (read.kind !== "wanted") return { ok: false, line: `${user.email}: GET sveltekit ${route} lacks the message with ${user.word}: ${outcomeText(read)}` };
  const count = messageTexts(field(read.value.json, "messages")).length;
  return { ok: true, line: `${user.email}: conversation ${user.conversationId} listed; ${count} messages read back, the prompt with ${user.word} among them` };
}

async function conversationsRow(input: PhaseInput, fresh: Map<string, Account>): Promise<UpgradeRow> {
  const lines: string[] = [];
  let ok = true;
  for (const user of input.seeded) {
    const sessionId = fresh.get(user.email)?.sessionId;
    if (!sessionId) {
      ok = false;
      lines.push(`${user.email}: no session (its login failed above)`);
      continue;
    }
    const seen = await conversationReadBack(input.world, user, sessionId);
    ok &&= seen.ok;
    lines.push(seen.line);
  }
  return row("old-conversations-read-back", "Old conversations list and their messages read back", ok ? "pass" : "fail", lines.join("\n"));
}

async function searchRow(input: PhaseInput, fresh: Map<string, Account>): Promise<UpgradeRow> {
  const lines: string[] = [];
  let status: UpgradeRow["status"] = "pass";
  for (const user of input.seeded) {
    const token = fresh.get(user.email)?.accessToken;
    if (!token) {
      status = "fail";
      lines.push(`${user.email}: no access token (its login failed above)`);
      continue;
    }
    const outcome = await librechatGet(input.world, user, `/api/messages?search=${encodeURIComponent(user.word)}`, token, (a) => a.status === 200 && searchFinds(a.json, user), Number.POSITIVE_INFINITY);
    if (outcome.kind === "no-answer" && status === "pass") status = "inconclusive";
    if (outcome.kind === "unwanted") status = "fail";
    lines.push(`${user.email}: GET librechat /api/messages?search=${user.word} → ${outcome.kind === "wanted" ? `the message of ${user.conversationId}, ` : ""}${outcomeText(outcome)}`);
  }
  return row("old-messages-searchable", "Old messages are still searchable", status, lines.join("\n"));
}

async function newRegistration(input: PhaseInput): Promise<{ row: UpgradeRow; account: Account | undefined }> {
  const user = newUser("new", input.era);
  const opened = await registerAndLogIn(input.world, user);
  if (!opened.ok) return { row: row("new-registration", "A new registration works", "fail", `${user.email}: ${opened.why}`), account: undefined };
  const account: Account = { ...user, ...opened.value };
  return { row: row("new-registration", "A new registration works", "pass", `${user.email}: POST django /api/auth/register → 201; login → 200, LibreChat user ${account.librechatUserId}`), account };
}

/** Every row after LibreChat started on the old data; resolves with the user the new registration made. */
export async function phaseRows(input: PhaseInput): Promise<{ rows: UpgradeRow[]; registered: Account | undefined }> {
  const login = await oldUsersLogIn(input);
  const rows = [login.row, await oldAccessToken(input), await oldRefreshSession(input), await conversationsRow(input, login.fresh), await searchRow(input, login.fresh)];
  const registered = await newRegistration(input);
  return { rows: [...rows, registered.row], registered: registered.account };
}

/** The rows a replacement that did not start cannot have. */
export function blockedRows(why: string): UpgradeRow[] {
  const ids: [string, string][] = [
    ["old-users-log-in", "Old users log in"],
    ["old-access-tokens", "Old access tokens"],
    ["old-refresh-sessions", "Old refresh sessions"],
    ["old-conversations-read-back", "Old conversations list and their messages read back"],
    ["old-messages-searchable", "Old messages are still searchable"],
    ["new-registration", "A new registration works"],
  ];
  return ids.map(([id, title]) => row(id, title, "skip", `blocked: ${why}`));
}
