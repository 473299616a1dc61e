import { createHash } from "node:crypto";
import { test } from "vitest";
import { djangoFor, heldRefreshToken, librechatFor, registerAndLogin } from "../helpers/suite/accounts.ts";
import { blockedByStartFailure, evidence, fail, service } from "../helpers/suite/context.ts";
import { idText, mongoWhere, objectIdFilter, readDocuments } from "../helpers/suite/mongo.ts";
import { newEndUser, stringField, summary } from "../helpers/suite/stubs.ts";
import { check } from "../helpers/suite/evidence.ts";

test("login-establishes-session", check(async (ctx) => {
  blockedByStartFailure(ctx);
  service(ctx, "mongodb");
  const user = newEndUser("login");
  const django = djangoFor(ctx, user);
  const librechat = librechatFor(ctx, user);

  const session = await registerAndLogin(django, user);
  await evidence(ctx, `POST django /api/auth/login (${user.email}, X-Forwarded-For ${user.address}) → 200, LibreChat user ${session.librechatUserId}`);

  const held = await heldRefreshToken(django, session.sessionId);
  const hash = createHash("sha256").update(held.refreshToken).digest("hex");

  // LibreChat stores the user as an ObjectId; the string form is asked too, so a store that
  // keeps it as text reads as a mismatch of hashes, not as a missing session.
  const sessions = await readDocuments("sessions", { user: { $in: [objectIdFilter(session.librechatUserId), session.librechatUserId] } });
  const matching = sessions.filter((doc) => doc.refreshTokenHash === hash);
  if (matching.length !== 1) {
    await fail({
      problem:
        sessions.length === 0
          ? "LibreChat stored no session for the user Django logged in."
          : "none of the user's sessions in MongoDB belongs to the refresh token Django holds.",
      expected: `one document in sessions with user ${session.librechatUserId} and refreshTokenHash = SHA-256 hex of Django's refresh token (${hash.slice(0, 12)}…)`,
      seen:
        sessions.length === 0
          ? `no sessions for that user in ${mongoWhere()}`
          : `${sessions.length} sessions, hashes ${sessions.map((doc) => String(doc.refreshTokenHash).slice(0, 12)).join(", ")}…`,
      fix:
        sessions.length === 0
          ? "LibreChat's MONGO_URI must point at this MongoDB; see LibreChat's logs"
          : "Django must keep the refreshToken cookie of its own login, unchanged, and nothing else may refresh that session",
      role: sessions.length === 0 ? "librechat" : "django",
    });
  }
  const stored = matching[0]!;
  await evidence(
    ctx,
    `sessions: document ${idText(stored._id)} for user ${session.librechatUserId}, refreshTokenHash ${hash.slice(0, 16)}… = SHA-256 of the refresh token Django holds (expiration ${JSON.stringify(stored.expiration)})`,
  );

  const me = await librechat.get("/api/user", held.accessToken);
  const apiId = stringField(me.json, "id") ?? stringField(me.json, "_id");
  if (me.status !== 200 || apiId !== session.librechatUserId || stringField(me.json, "email") !== user.email) {
    await fail({
      problem: "LibreChat does not accept the access token Django holds for the session.",
      expected: `GET ${librechat.url}/api/user with Authorization: Bearer <access token> → 200 {id: "${session.librechatUserId}", email: "${user.email}"}`,
      seen: summary(me),
      fix:
        me.status === 401
          ? "the token is not valid for this LibreChat: its JWT_SECRET must stay the same between login and use"
          : "see LibreChat's log lines below",
      role: "librechat",
    });
  }
  await evidence(ctx, `GET librechat /api/user with the access token → 200 (id ${apiId}, email ${user.email})`);
}));
