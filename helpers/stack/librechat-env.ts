import { processEnvironment, type ServiceDefinition } from "../compose/service-definition.ts";
import type { LibreChatRuntime } from "./librechat.ts";
import { CONFIG_MOUNT_PATH } from "./librechat-yaml.ts";
import { MEILI_URL } from "./meilisearch.ts";
import type { StackSecrets } from "./secrets.ts";

/** One variable the harness adds to LibreChat's environment, and why (listed in the README). */
export interface HarnessSetting {
  name: string;
  value: string;
  reason: string;
  /** A test cannot work with another value, so it replaces the user's. */
  forced: boolean;
  secret: boolean;
}

export interface AppliedSetting {
  name: string;
  reason: string;
  /** "added": the user had not set it; "kept-user-value": the user's value stands; "overridden": replaced. */
  outcome: "added" | "kept-user-value" | "overridden";
  /** Shown in the report; secrets are never shown. */
  shownValue: string;
  secret: boolean;
}


export function harnessSettings(secrets: StackSecrets): HarnessSetting[] {
  const secret = (name: string, value: string, reason: string): HarnessSetting => ({ name, value, reason, forced: false, secret: true });
  const setting = (name: string, value: string, reason: string, forced = false): HarnessSetting => ({
    name,
    value,
    reason,
    forced,
    secret: false,
  });
  return [
    secret("JWT_SECRET", secrets.jwt, "generated per run: LibreChat will not boot without it"),
    secret("JWT_REFRESH_SECRET", secrets.jwtRefresh, "generated per run: login answers 500 without it"),
    secret("CREDS_KEY", secrets.credsKey, "generated per run (64 hex), as upstream's smoke test sets it"),
    secret("CREDS_IV", secrets.credsIv, "generated per run (32 hex), as upstream's smoke test sets it"),
    secret("MEILI_MASTER_KEY", secrets.meiliKey, "generated per run and given to MeiliSearch too"),
    setting("ALLOW_REGISTRATION", "true", "registration-creates-user registers users; LibreChat's default is off"),
    setting("REGISTER_MAX", "50", "per-address register limit for a test run (each test has its own address); LibreChat's 60-minute window stays"),
    setting("LOGIN_MAX", "20", "per-address login limit for a test run, as upstream's e2e setup uses; LibreChat's 5-minute window stays"),
    setting("LIMIT_CONCURRENT_MESSAGES", "false", "suites may chat in parallel"),
    setting("LIMIT_MESSAGE_IP", "false", "suites chat from few addresses"),
    setting("LIMIT_MESSAGE_USER", "false", "suites chat in bursts"),
    setting("BAN_VIOLATIONS", "false", "a non-browser probe must not ban a test user and its address for 2 hours"),
    setting("NON_BROWSER_VIOLATION_SCORE", "0", "the User-Agent gate is tested on purpose"),
    setting("ILLEGAL_MODEL_REQ_SCORE", "0", "as upstream's e2e setup sets every violation score"),
    setting("SESSION_COOKIE_SECURE", "false", "the refresh cookie must be usable over plain HTTP inside Docker networks"),
    setting("STREAM_KEEP_COMPLETED_JOBS", "true", "a fast mock LLM finishes before the stream subscriber arrives"),
    setting("SEARCH", "true", "search-indexing checks MeiliSearch wiring"),
    setting("MEILI_HOST", MEILI_URL, "the MeiliSearch alias on the internal network"),
    setting("OPENAI_API_KEY", "user_provided", "no outbound calls to api.openai.com from a test stack"),
    setting("CONFIG_PATH", CONFIG_MOUNT_PATH, "the harness's librechat.yaml, whose custom endpoint is the mock LLM", true),
  ];
}

/**
 * Merges the harness's settings into LibreChat's environment from the compose input: the
 * user's values win unless the setting is forced; what happened to each is returned for the report.
 */
export function applyHarnessSettings(
  userEnv: Record<string, string>,
  settings: HarnessSetting[],
): { env: Record<string, string>; applied: AppliedSetting[] } {
  const env = { ...userEnv };
  const applied: AppliedSetting[] = [];
  for (const setting of settings) {
    const userValue = userEnv[setting.name];
    const userSet = userValue !== undefined && userValue !== "";
    let outcome: AppliedSetting["outcome"];
    if (!userSet) outcome = "added";
    else if (setting.forced && userValue !== setting.value) outcome = "overridden";
    else outcome = "kept-user-value";
    if (outcome !== "kept-user-value") env[setting.name] = setting.value;
    const shown = setting.secret ? "(secret, not shown)" : (env[setting.name] ?? "");
    applied.push({ name: setting.name, reason: setting.reason, outcome, shownValue: shown, secret: setting.secret });
  }
  return { env, applied };
}

/**
 * LibreChat's runtime in a run: the compose service with the harness's settings applied. What
 * the user set counts wherever LibreChat reads it (its environment or its .env); the settings the
 * harness adds go into the container's environment, which LibreChat's dotenv never overrides.
 */
export function librechatRuntime(definition: ServiceDefinition, secrets: StackSecrets): { runtime: LibreChatRuntime; applied: AppliedSetting[] } {
  const { env: processEnv, applied } = applyHarnessSettings(processEnvironment(definition), harnessSettings(secrets));
  const added = Object.fromEntries(applied.filter((s) => s.outcome !== "kept-user-value").map((s) => [s.name, processEnv[s.name] ?? ""]));
  const runtime: LibreChatRuntime = {
    ...definition,
    environment: { ...definition.environment, ...added },
    processEnvironment: processEnv,
  };
  return { runtime, applied };
}

/** LibreChat's environment as the report and the suites may see it: the generated secrets left out. */
export function shownEnvironment(environment: Record<string, string>, applied: AppliedSetting[]): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !applied.some((s) => s.name === name && s.secret)));
}
