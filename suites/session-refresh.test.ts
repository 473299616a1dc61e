import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { test } from "vitest";
import { djangoFor, heldRefreshToken, heldSession, librechatFor, registerAndLogin } from "../helpers/suite/accounts.ts";
import { blockedByStartFailure, evidence, fail, oneLine, stack } from "../helpers/suite/context.ts";
import { findDocuments } from "../helpers/suite/mongo.ts";
import { explainDjangoRefusal } from "../helpers/suite/refusals.ts";
import { newEndUser, stringField, summary } from "../helpers/suite/stubs.ts";
import { check } from "../helpers/suite/evidence.ts";

const EXPIRED = "Refresh token expired or not found for this user";

test("session-refresh", check(async (ctx) => {
  blockedByStartFailure(ctx);
  const user = newEndUser("refresh");
  const django = djangoFor(ctx, user);
  const librechat = librechatFor(ctx, user);

  const session = await registerAndLogin(django, user);
  const loggedInAt = Date.now();
  const oldToken = (await heldRefreshToken(django, session.sessionId)).refreshToken;

  // A refresh JWT carries the same payload and expiry as the one it replaces; only `iat`
  // (whole seconds) tells them apart, so a renewal within the login's second may sign the
  // identical token. Waiting out that second lets the rotation show.
  await delay(Math.max(0, 1100 - (Date.now() - loggedInAt)));

  const refreshed = await django.refresh(session.sessionId);
  if (refreshed.status !== 200 || (refreshed.json as { refreshed?: unknown } | undefined)?.refreshed !== true) {
    const why = explainDjangoRefusal("refresh", refreshed, stack().librechat.environment);
    await fail({ ...why, expected: `POST ${django.url}/api/auth/refresh → 200 {"refreshed":true}`, seen: summary(refreshed, 800) });
  }
  await evidence(ctx, `POST django /api/auth/refresh → ${summary(refreshed)}`);

  const after = await heldSession(django, session.sessionId);
  const newToken = after.refreshToken;
  if (!newToken || newToken === oldToken) {
    // Never probe LibreChat with a token Django still uses: a refresh would rotate it behind Django's back.
    await fail({
      problem: newToken
        ? "the refresh token Django holds did not change: LibreChat did not rotate it, or Django kept the old cookie."
        : "Django lost the refresh token when it renewed the session.",
      expected: "a new refreshToken in GET /internal/sessions/<id> after POST /api/auth/refresh",
      seen: newToken ? "the same token as before the refresh" : "refreshToken null",
      fix: "Django must store the refreshToken cookie of LibreChat's refresh answer; see Django's logs",
      role: "django",
    });
  }
  await evidence(ctx, `rotated: Django's refresh token changed (sha256 ${sha(oldToken).slice(0, 12)}… → ${sha(newToken!).slice(0, 12)}…)`);

  const replay = await librechat.refreshWithCookie(oldToken);
  if (replay.status !== 401 || !replay.text.includes(EXPIRED)) {
    await fail({
      problem:
        replay.status === 200
          ? "LibreChat still accepts the refresh token it replaced, so a stolen old token keeps working."
          : "LibreChat answered the replaced refresh token other than the contract says.",
      expected: `POST ${librechat.url}/api/auth/refresh with Cookie: refreshToken=<old> → 401 ${EXPIRED}`,
      seen: summary(replay),
      fix: "LibreChat rotates the session's refreshTokenHash on refresh (contract §5, §6): see its logs",
      role: "librechat",
    });
  }
  await evidence(ctx, `POST librechat /api/auth/refresh with the old token as cookie → ${replay.status} ${oneLine(replay.text)}`);

  // The renewed session stays usable: its access token works and MongoDB holds the new hash.
  const me = await librechat.get("/api/user", after.accessToken);
  if (me.status !== 200 || (stringField(me.json, "id") ?? stringField(me.json, "_id")) !== session.librechatUserId) {
    await fail({
      problem: "the access token Django received with the renewal is not accepted by LibreChat.",
      expected: `GET ${librechat.url}/api/user with the renewed access token → 200 {id: "${session.librechatUserId}"}`,
      seen: summary(me),
      fix: "Django must store the token of LibreChat's refresh answer; see the logs",
      role: "librechat",
    });
  }
  const stored = await findDocuments("sessions", { refreshTokenHash: sha(newToken!) });
  if (stored.ok && stored.documents.length !== 1) {
    await fail({
      problem: "MongoDB does not hold the rotated refresh token's hash.",
      expected: "one document in sessions with refreshTokenHash = SHA-256 hex of the new refresh token",
      seen: `${stored.documents.length} documents`,
      fix: "LibreChat rewrites refreshTokenHash on the session document when it refreshes; see its logs",
      role: "librechat",
    });
  }
  await evidence(
    ctx,
    `GET librechat /api/user with the renewed access token → 200` +
      (stored.ok ? "; sessions: the rotated token's hash is stored" : ` (MongoDB not read: ${stored.error})`),
  );
}));

function sha(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
