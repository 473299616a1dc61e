// HTTP clients for what the checklist suites may touch from the test process: the stubs'
// routes of fixtures/README.md (the only way into Django and SvelteKit) and LibreChat's own
// published port. Each client carries one end user's address, sent as X-Forwarded-For, so
// LibreChat's per-address limits never couple two tests.
import { randomBytes, randomInt } from "node:crypto";
import { request } from "undici";
import { readChatStream, type ChatTurn } from "./chat-stream.ts";
import { oneLine } from "./context.ts";
import { answer as okAnswer, noAnswer, scaled, tooSlow, type Observation } from "./evidence.ts";

/** A Chrome User-Agent: LibreChat's chat routes reject anything its parser does not call a browser. */
export const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
export const NON_BROWSER_UA = "curl/8.5.0";

export interface Answer {
  /** 0 when no HTTP answer came (then `error` says why). */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
  error?: string;
}

export interface EndUser {
  email: string;
  password: string;
  name: string;
  /** The end user's address (documentation ranges only; no traffic goes there). */
  address: string;
}

/** A fresh user for one test: unique email, strong password, its own address. */
export function newEndUser(prefix: string): EndUser {
  const tag = randomBytes(5).toString("hex");
  return {
    email: `${prefix}-${tag}@example.test`,
    password: `Pw-${randomBytes(12).toString("base64url")}-9!`,
    name: `Harness ${prefix} ${tag}`,
    address: endUserAddress(),
  };
}

/** A random address from TEST-NET-2 or TEST-NET-3 (RFC 5737): a header value, never a destination. */
export function endUserAddress(): string {
  const net = randomInt(2) === 0 ? "198.51.100" : "203.0.113";
  return `${net}.${randomInt(1, 255)}`;
}

interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

export async function call(method: "GET" | "POST", url: string, options: CallOptions = {}): Promise<Answer> {
  const timeoutMs = scaled(options.timeoutMs ?? 30_000);
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  try {
    const response = await request(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text, json: parseJson(text) };
  } catch (error) {
    return { status: 0, headers: {}, text: "", json: undefined, error: errorText(error) };
  }
}

/** undici's own timeouts: the answer did not come in time, which says nothing about the service. */
const CALL_TIMED_OUT = /UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT|TimeoutError|timed out/i;

/** An answer as evidence: a request that timed out is no answer (the host was too slow), anything else is one. */
export function httpAnswer(answer: Answer): Observation<Answer> {
  return answer.status === 0 && CALL_TIMED_OUT.test(answer.error ?? "") ? noAnswer(`no answer in time (${answer.error})`) : okAnswer(answer);
}

/** A single request that cannot be repeated (it changes state): when it timed out, the item is inconclusive. */
export function judgeable(what: string, answer: Answer): Answer {
  const seen = httpAnswer(answer);
  if (seen.kind === "no-answer") throw tooSlow(what, seen.why);
  return answer;
}

/** "201 {...}" or "no answer: ECONNREFUSED", for diagnoses and evidence. */
export function summary(answer: Answer, max = 400): string {
  if (answer.status === 0) return `no answer: ${answer.error ?? "unknown error"}`;
  return `${answer.status} ${oneLine(answer.text, max)}`.trim();
}

export function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined;
}

export function stringField(value: unknown, name: string): string | undefined {
  const found = field(value, name);
  return typeof found === "string" ? found : undefined;
}

export class DjangoStub {
  readonly url: string;
  private readonly address: string;
  private readonly internalToken: string;

  constructor(url: string, address: string, internalToken: string) {
    this.url = url;
    this.address = address;
    this.internalToken = internalToken;
  }

  register(user: EndUser): Promise<Answer> {
    return this.post("/api/auth/register", { email: user.email, password: user.password, name: user.name });
  }

  login(user: EndUser): Promise<Answer> {
    return this.post("/api/auth/login", { email: user.email, password: user.password });
  }

  refresh(sessionId: string): Promise<Answer> {
    return this.post("/api/auth/refresh", { sessionId });
  }

  /** The tokens Django holds for a session (a tests-only internal route). */
  async session(sessionId: string): Promise<Answer> {
    const answer = await call("GET", `${this.url}/internal/sessions/${encodeURIComponent(sessionId)}`, {
      headers: { "x-internal-token": this.internalToken, "x-forwarded-for": this.address },
    });
    return judgeable("GET django /internal/sessions/<id>", answer);
  }

  private async post(path: string, body: unknown): Promise<Answer> {
    return judgeable(`POST django ${path}`, await call("POST", `${this.url}${path}`, { body, headers: { "x-forwarded-for": this.address } }));
  }
}

export interface SendBody {
  text: string;
  endpoint: string;
  model: string;
  conversationId?: string;
  parentMessageId?: string;
}

/** What POST /api/chat/send gave: the stream's events, or the JSON refusal sent before any. */
export type SendResult = { kind: "stream"; turn: ChatTurn } | { kind: "refused"; answer: Answer };

export class SvelteKitStub {
  readonly url: string;
  private readonly address: string;
  private readonly sessionId: string;

  constructor(url: string, address: string, sessionId: string) {
    this.url = url;
    this.address = address;
    this.sessionId = sessionId;
  }

  async conversations(userAgent: string, query = ""): Promise<Answer> {
    return judgeable("GET sveltekit /api/chat/conversations", await call("GET", `${this.url}/api/chat/conversations${query}`, { headers: this.headers(userAgent) }));
  }

  async messages(conversationId: string, userAgent: string): Promise<Answer> {
    const answer = await call("GET", `${this.url}/api/chat/conversations/${encodeURIComponent(conversationId)}/messages`, { headers: this.headers(userAgent) });
    return judgeable("GET sveltekit /api/chat/conversations/<id>/messages", answer);
  }

  async send(body: SendBody, userAgent: string, baseTimeoutMs = 60_000): Promise<SendResult> {
    const timeoutMs = scaled(baseTimeoutMs);
    try {
      const response = await request(`${this.url}/api/chat/send`, {
        method: "POST",
        headers: { ...this.headers(userAgent), "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify(body),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const type = String(response.headers["content-type"] ?? "");
      if (response.statusCode !== 200 || !type.startsWith("text/event-stream")) {
        const text = await response.body.text();
        return { kind: "refused", answer: { status: response.statusCode, headers: response.headers, text, json: parseJson(text) } };
      }
      return { kind: "stream", turn: await readChatStream(response.body) };
    } catch (error) {
      const answer = { status: 0, headers: {}, text: "", json: undefined, error: errorText(error) };
      return { kind: "refused", answer: judgeable("POST sveltekit /api/chat/send", answer) };
    }
  }

  private headers(userAgent: string): Record<string, string> {
    return { "x-session-id": this.sessionId, "user-agent": userAgent, "x-forwarded-for": this.address };
  }
}

/** LibreChat itself, through its published port. */
export class LibreChatApi {
  readonly url: string;
  private readonly address: string;

  constructor(url: string, address: string) {
    this.url = url;
    this.address = address;
  }

  async get(path: string, accessToken: string): Promise<Answer> {
    return judgeable(`GET librechat ${path.split("?")[0]}`, await this.getRaw(path, accessToken));
  }

  /** The same GET as evidence for a check that repeats it: a timed-out request is no answer. */
  async observe(path: string, accessToken: string): Promise<Observation<Answer>> {
    return httpAnswer(await this.getRaw(path, accessToken));
  }

  private getRaw(path: string, accessToken: string): Promise<Answer> {
    return call("GET", `${this.url}${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, "x-forwarded-for": this.address, "user-agent": BROWSER_UA },
    });
  }

  /** POST /api/auth/refresh with a refresh token as the cookie, the way LibreChat reads it. */
  async refreshWithCookie(refreshToken: string): Promise<Answer> {
    const answer = await call("POST", `${this.url}/api/auth/refresh`, {
      headers: { cookie: `refreshToken=${refreshToken}`, "x-forwarded-for": this.address, "user-agent": BROWSER_UA },
    });
    return judgeable("POST librechat /api/auth/refresh", answer);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
