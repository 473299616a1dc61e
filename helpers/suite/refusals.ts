// Turns a stub's failure answer (fixtures/README.md: 502 with LibreChat's status and body)
// into the cause and the fix, after the LibreChat behaviour in contract.md §4, §5 and §9.
import type { ServiceRole } from "../stack/descriptor.ts";
import { isRecord } from "./chat-stream.ts";
import type { Answer } from "./stubs.ts";

export type DjangoRoute = "register" | "login" | "refresh";

export interface Explanation {
  problem: string;
  fix: string;
  role: ServiceRole;
}

const BANNED = /temporarily banned/i;

/** One of LibreChat's refusals the stubs pass on: when it applies, and what it means. */
interface RefusalRule {
  applies: (status: number, message: string, route: DjangoRoute) => boolean;
  explain: (said: string, route: DjangoRoute, env: Record<string, string>) => Explanation;
}

const librechat = (problem: string, fix: string): Explanation => ({ problem, fix, role: "librechat" });

/** LibreChat's refusals (contract.md §4, §5, §9), first match wins. */
const REFUSALS: RefusalRule[] = [
  {
    applies: (status, message) => status === 403 && /registration is not allowed/i.test(message),
    explain: (said, _route, env) => librechat(`LibreChat refused the registration: ${said}.`, `set ALLOW_REGISTRATION=true in LibreChat's environment (exactly "true"; it is ${current(env, "ALLOW_REGISTRATION")})`),
  },
  {
    applies: (status, message) => status === 403 && BANNED.test(message),
    explain: (said) => librechat(`LibreChat has banned the user or its address: ${said}.`, "bans are kept in MongoDB's logs collection; run with BAN_VIOLATIONS=false, or find the violation in LibreChat's logs"),
  },
  {
    applies: (status) => status === 403,
    explain: (said, route) => librechat(`LibreChat refused the ${route}: ${said}.`, "check registration.allowedDomains in librechat.yaml and invite-only settings"),
  },
  {
    applies: (status) => status === 429,
    explain: (said, route) =>
      librechat(`LibreChat rate-limited the ${route}: ${said}.`, "LibreChat limits per address; Django must forward the end user's address as X-Forwarded-For (FORWARD_CLIENT_HEADERS), or raise REGISTER_MAX/LOGIN_MAX"),
  },
  {
    applies: (status) => status === 422,
    explain: (said) => librechat(`LibreChat will not log in an unverified user: ${said}.`, "email is configured on LibreChat (EMAIL_*/MAILGUN_*), so new users must verify; unset it or set ALLOW_UNVERIFIED_EMAIL_LOGIN=true"),
  },
  {
    applies: (status, message, route) => status === 404 && route === "login" && /incorrect password/i.test(message),
    explain: (said) =>
      librechat(`LibreChat rejected the password Django keeps for this user: ${said}.`, "the email already had a LibreChat account (registration answers a duplicate with its generic 200); use a fresh email or remove the old account"),
  },
  {
    applies: (status, message, route) => status === 404 && route === "login" && /email does not exist/i.test(message),
    explain: (said) => librechat(`LibreChat does not know the user Django registered: ${said}.`, "registration did not create the LibreChat user; see LibreChat's logs (MongoDB writes) below"),
  },
  {
    applies: (status) => status === 404,
    explain: (said, route) => librechat(`LibreChat's validator rejected the ${route}: ${said}.`, "send what LibreChat validates: name 3–80 characters, password and confirm_password 8–128 and equal, a valid email"),
  },
  {
    applies: (status, _message, route) => status === 500 && route === "login",
    explain: (said) => librechat(`LibreChat failed while logging in: ${said}.`, "a missing JWT_REFRESH_SECRET makes every login answer 500; check LibreChat's environment and logs"),
  },
];

/** `env` is LibreChat's environment as the harness gave it, to show the setting's current value. */
export function explainDjangoRefusal(route: DjangoRoute, answer: Answer, env: Record<string, string> = {}): Explanation {
  const path = `POST /api/auth/${route}`;
  if (answer.status === 0) {
    return { problem: `the Django stub gave no answer to ${path} (${answer.error ?? "no error text"}).`, fix: "Django must be up and its port published; see its log lines below", role: "django" };
  }
  const body = isRecord(answer.json) ? answer.json : {};
  const code = typeof body.error === "string" ? body.error : undefined;
  if (answer.status !== 502 || !code?.startsWith("librechat_")) {
    return { problem: `Django itself refused ${path} with ${answer.status}${code ? ` ${code}` : ""}.`, fix: "see Django's log lines below; the route's contract is in fixtures/README.md", role: "django" };
  }
  if (route === "refresh") return explainRefreshRefusal(body, env);
  const status = body.librechatStatus;
  const message = librechatMessage(body.librechatBody);
  if (typeof status !== "number") {
    return {
      problem: `Django could not reach LibreChat: ${String(body.detail ?? "no detail")}.`,
      fix: "Django's LIBRECHAT_API_URL must name LibreChat's alias on the backend network (http://librechat-api:3080) and LibreChat must sit on that network",
      role: "django",
    };
  }
  const said = `LibreChat answered ${status} ${JSON.stringify(message)}`;
  const rule = REFUSALS.find((r) => r.applies(status, message, route));
  return rule ? rule.explain(said, route, env) : librechat(`LibreChat refused the ${route}: ${said}.`, "see LibreChat's log lines below");
}

interface CookieFlags {
  name?: unknown;
  secure?: unknown;
}

function explainRefreshRefusal(body: Record<string, unknown>, env: Record<string, string>): Explanation {
  const cookies = Array.isArray(body.cookies) ? (body.cookies as CookieFlags[]) : [];
  const refreshCookie = cookies.find((cookie) => isRecord(cookie) && cookie.name === "refreshToken");
  const said = `LibreChat answered ${String(body.librechatStatus)} ${JSON.stringify(librechatMessage(body.librechatBody))}`;
  if (refreshCookie?.secure === true) {
    const problem =
      `Django could not renew the session because LibreChat marked the refreshToken cookie Secure: a standard cookie jar ` +
      `(Django's requests) keeps it but will not send it back over http://, so ${said}` +
      (body.refreshCookieSent === false ? " (Django sent no refreshToken cookie)." : ".");
    // With the override already false, this LibreChat does not know the override at all.
    const fix =
      env.SESSION_COOKIE_SECURE?.toLowerCase() === "false"
        ? "this LibreChat ignores SESSION_COOKIE_SECURE=false, as releases before the override (v0.8.1 and older) do: there the flag is " +
          "simply NODE_ENV==='production', which the image always sets; reach LibreChat through a TLS-terminating proxy (https://) " +
          "or upgrade to a release with SESSION_COOKIE_SECURE"
        : `set SESSION_COOKIE_SECURE=false in LibreChat's environment (it is ${current(env, "SESSION_COOKIE_SECURE")}). ` +
          "That override exists since v0.8.7; without it Secure follows NODE_ENV=production, " +
          "which the image always sets, unless DOMAIN_SERVER is a localhost URL. On v0.8.1 the flag is simply " +
          "NODE_ENV==='production' with no override: reach it through a TLS-terminating proxy (https://)";
    return { problem, fix, role: "librechat" };
  }
  if (!refreshCookie) {
    return {
      problem: `LibreChat set no refreshToken cookie at login, so Django has nothing to renew the session with; ${said}.`,
      fix: "LibreChat sets refreshToken on every successful local login (contract §5); see its logs below",
      role: "librechat",
    };
  }
  return {
    problem: `LibreChat refused to renew the session Django holds: ${said}${body.refreshCookieSent === false ? " (Django sent no refreshToken cookie)" : ""}.`,
    fix: "a 401/403 means LibreChat no longer knows the session or the JWT_REFRESH_SECRET changed since login; see LibreChat's logs",
    role: "librechat",
  };
}

/** LibreChat's own words from a stub's `librechatBody` (JSON `{message}` or plain text). */
export function librechatMessage(body: unknown): string {
  if (typeof body === "string") return body;
  if (isRecord(body) && typeof body.message === "string") return body.message;
  if (isRecord(body) && typeof body.error === "string") return body.error;
  return JSON.stringify(body) ?? "";
}

function current(env: Record<string, string>, name: string): string {
  const value = env[name];
  return value === undefined || value === "" ? "unset" : `now ${JSON.stringify(value)}`;
}
