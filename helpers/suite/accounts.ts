// The steps several checks share, each failing with a diagnosis: reach the stubs and
// LibreChat, register and log in through Django, read the session Django holds.
import type { TestContext } from "vitest";
import { fail, service, stack } from "./context.ts";
import { explainDjangoRefusal } from "./refusals.ts";
import { DjangoStub, LibreChatApi, stringField, summary, SvelteKitStub, type Answer, type EndUser } from "./stubs.ts";

export function djangoFor(ctx: TestContext, user: EndUser): DjangoStub {
  service(ctx, "django");
  const current = stack();
  const url = current.stubs.djangoUrl;
  if (!url) ctx.skip("blocked: the Django stub publishes no host port in this run");
  return new DjangoStub(url, user.address, current.secrets.internalToken);
}

export function sveltekitFor(ctx: TestContext, user: EndUser, sessionId: string): SvelteKitStub {
  service(ctx, "sveltekit");
  const url = stack().stubs.sveltekitUrl;
  if (!url) ctx.skip("blocked: the SvelteKit stub publishes no host port in this run");
  return new SvelteKitStub(url, user.address, sessionId);
}

export function librechatFor(ctx: TestContext, user: EndUser): LibreChatApi {
  service(ctx, "librechat");
  const url = stack().librechat.hostUrl;
  if (!url) ctx.skip("blocked: LibreChat publishes no host port in this run (see host-port-published)");
  return new LibreChatApi(url, user.address);
}

export async function register(django: DjangoStub, user: EndUser): Promise<Answer> {
  const answer = await django.register(user);
  if (answer.status !== 201) {
    const why = explainDjangoRefusal("register", answer, stack().librechat.environment);
    await fail({ ...why, expected: `POST ${django.url}/api/auth/register → 201 {id,email,librechat}`, seen: summary(answer) });
  }
  return answer;
}

export interface DjangoLogin {
  sessionId: string;
  librechatUserId: string;
  answer: Answer;
}

export async function login(django: DjangoStub, user: EndUser): Promise<DjangoLogin> {
  const answer = await django.login(user);
  const sessionId = stringField(answer.json, "sessionId");
  const librechatUserId = stringField(answer.json, "librechatUserId");
  if (answer.status !== 200 || !sessionId || !librechatUserId) {
    const why =
      answer.status === 200
        ? { problem: "Django's login answer lacks sessionId or librechatUserId.", fix: "see fixtures/README.md for the login route's answer", role: "django" as const }
        : explainDjangoRefusal("login", answer, stack().librechat.environment);
    await fail({ ...why, expected: `POST ${django.url}/api/auth/login → 200 {sessionId,librechatUserId,email}`, seen: summary(answer) });
  }
  return { sessionId: sessionId!, librechatUserId: librechatUserId!, answer };
}

export async function registerAndLogin(django: DjangoStub, user: EndUser): Promise<DjangoLogin> {
  await register(django, user);
  return login(django, user);
}

export interface HeldSession {
  accessToken: string;
  /** null when LibreChat set no refreshToken cookie at login. */
  refreshToken: string | null;
  librechatUserId: string | undefined;
}

/** The tokens Django keeps for a session, read through its tests-only internal route. */
export async function heldSession(django: DjangoStub, sessionId: string): Promise<HeldSession> {
  const answer = await django.session(sessionId);
  const accessToken = stringField(answer.json, "accessToken");
  if (answer.status !== 200 || !accessToken) {
    await fail({
      problem:
        answer.status === 403
          ? "Django refused the internal token: the harness's INTERNAL_API_TOKEN did not reach the Django stub."
          : "Django does not hand out the session it just created.",
      expected: "GET /internal/sessions/<id> with X-Internal-Token → 200 {accessToken,refreshToken,librechatUserId,email}",
      seen: summary(answer),
      fix: "see Django's log lines below",
      role: "django",
    });
  }
  return {
    accessToken: accessToken!,
    refreshToken: stringField(answer.json, "refreshToken") ?? null,
    librechatUserId: stringField(answer.json, "librechatUserId"),
  };
}

/** The refresh token Django holds for a session; a session without one fails the check. */
export async function heldRefreshToken(django: DjangoStub, sessionId: string): Promise<HeldSession & { refreshToken: string }> {
  const held = await heldSession(django, sessionId);
  if (held.refreshToken) return { ...held, refreshToken: held.refreshToken };
  return fail({
    problem: "Django holds no LibreChat refresh token for the session: LibreChat set no refreshToken cookie at login, or Django dropped it.",
    expected: "GET /internal/sessions/<id> → refreshToken (the refreshToken cookie LibreChat set at login)",
    seen: "refreshToken null",
    fix: "LibreChat sets refreshToken on every successful local login; see Django's logs for the cookies it received",
    role: "django",
  });
}
