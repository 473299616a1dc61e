import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type Profile = "dev" | "prod";

/** The harness's whole configuration, read once from the environment (see the README's table). */
export interface HarnessConfig {
  profile: Profile;
  librechatDir: string | undefined;
  overlayPath: string;
  reportDir: string;
  keepOnFailure: boolean;
  reuseStack: boolean;
  /** Image overrides by role, exactly as the user wrote them. */
  imageOverrides: Partial<Record<ImageRole, string>>;
  /** Base image for building the fixtures; undefined means each Dockerfile's public default. */
  fixtureBaseImage: string | undefined;
}

export const IMAGE_ROLES = ["librechat", "mongodb", "meilisearch", "django", "sveltekit", "llm"] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];

/** Environment variable that overrides each role's image. */
export const IMAGE_ENV: Record<ImageRole, string> = {
  librechat: "LIBRECHAT_IMAGE",
  mongodb: "MONGO_IMAGE",
  meilisearch: "MEILI_IMAGE",
  django: "DJANGO_IMAGE",
  sveltekit: "SVELTEKIT_IMAGE",
  llm: "MOCK_LLM_IMAGE",
};

export const DEFAULT_OVERLAY = path.join(REPO_ROOT, "fixtures", "compose.librechat.yaml");

/** A configuration mistake the user can fix; its message is one sentence saying what to do. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

function flag(env: Env, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  return value === "1" || value === "true" || value === "yes";
}

function existingPath(env: Env, name: string, kind: "file" | "directory"): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const resolved = path.resolve(raw);
  if (!existsSync(resolved)) {
    throw new ConfigError(`${name}=${raw} names a ${kind} that does not exist; fix the path or unset ${name}.`);
  }
  const isDir = statSync(resolved).isDirectory();
  if (kind === "directory" ? !isDir : isDir) {
    throw new ConfigError(`${name}=${raw} is not a ${kind}; point it at a ${kind}.`);
  }
  return resolved;
}

export function readConfig(env: Env = process.env): HarnessConfig {
  const profileRaw = (env.HARNESS_PROFILE ?? "dev").trim() || "dev";
  if (profileRaw !== "dev" && profileRaw !== "prod") {
    throw new ConfigError(`HARNESS_PROFILE=${profileRaw} is not known; use "dev" or "prod".`);
  }
  const imageOverrides: Partial<Record<ImageRole, string>> = {};
  for (const role of IMAGE_ROLES) {
    const value = env[IMAGE_ENV[role]]?.trim();
    if (value) imageOverrides[role] = value;
  }
  return {
    profile: profileRaw,
    librechatDir: existingPath(env, "LIBRECHAT_DIR", "directory"),
    overlayPath: existingPath(env, "LIBRECHAT_OVERLAY", "file") ?? DEFAULT_OVERLAY,
    reportDir: path.resolve(env.HARNESS_REPORT_DIR?.trim() || path.join(REPO_ROOT, "reports")),
    keepOnFailure: flag(env, "HARNESS_KEEP"),
    reuseStack: flag(env, "HARNESS_REUSE"),
    imageOverrides,
    fixtureBaseImage: env.HARNESS_BASE_IMAGE?.trim() || undefined,
  };
}
