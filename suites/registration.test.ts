import { test } from "vitest";
import { heldSession, librechatFor, djangoFor, login, register } from "../helpers/suite/accounts.ts";
import { blockedByStartFailure, evidence, fail, oneLine, service } from "../helpers/suite/context.ts";
import { idText, mongoWhere, readDocuments } from "../helpers/suite/mongo.ts";
import { newEndUser, stringField, summary } from "../helpers/suite/stubs.ts";
import { check } from "../helpers/suite/evidence.ts";

test("registration-creates-user", check(async (ctx) => {
  blockedByStartFailure(ctx);
  service(ctx, "mongodb");
  const user = newEndUser("reg");
  const django = djangoFor(ctx, user);
  const librechat = librechatFor(ctx, user);

  const registered = await register(django, user);
  await evidence(ctx, `POST django /api/auth/register (${user.email}, X-Forwarded-For ${user.address}) → ${summary(registered, 200)}`);

  const users = await readDocuments("users", { email: user.email });
  if (users.length !== 1) {
    await fail({
      problem:
        users.length === 0
          ? "Django reported the registration done, but LibreChat's users collection has no such user."
          : "LibreChat's users collection holds the email more than once.",
      expected: `exactly one document in users with email ${user.email} (LibreChat stores emails lowercased)`,
      seen: `${users.length} documents in ${mongoWhere()}`,
      fix: "LibreChat's MONGO_URI must point at this MongoDB (the database in its path); see LibreChat's logs for the registration",
      role: "librechat",
    });
  }
  const stored = users[0]!;
  const storedId = idText(stored._id);
  if (stored.provider !== "local") {
    await fail({
      problem: "the registered user is not a local (email and password) account.",
      expected: 'provider "local"',
      seen: `provider ${JSON.stringify(stored.provider)}`,
      fix: "Django must register through LibreChat's POST /api/auth/register, which creates local accounts",
      role: "librechat",
    });
  }
  await evidence(
    ctx,
    `users: 1 document for ${user.email} (_id ${storedId}, provider local, emailVerified ${String(stored.emailVerified)}, role ${String(stored.role)})`,
  );

  // LibreChat's API only describes a user to that user, so it is asked with the session
  // Django opens; the password LibreChat knows is Django's, never the test's.
  const session = await login(django, user);
  const held = await heldSession(django, session.sessionId);
  const me = await librechat.get("/api/user", held.accessToken);
  const email = stringField(me.json, "email");
  const apiId = stringField(me.json, "id") ?? stringField(me.json, "_id");
  if (me.status !== 200 || email !== user.email || apiId !== storedId) {
    await fail({
      problem: "LibreChat's API does not describe the user Django registered.",
      expected: `GET ${librechat.url}/api/user with the access token → 200 {email: "${user.email}", id: "${storedId}"}`,
      seen: summary(me),
      fix:
        me.status === 401
          ? "the access token Django holds is not accepted: LibreChat's JWT_SECRET must not change between login and use"
          : "see LibreChat's log lines below",
      role: "librechat",
    });
  }
  await evidence(ctx, `GET librechat /api/user → 200 ${oneLine(`{email: ${email}, id: ${apiId}}`)}`);
}));
