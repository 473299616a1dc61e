import { ImageName } from "testcontainers";
import { IMAGE_ENV, IMAGE_ROLES, type HarnessConfig, type ImageRole } from "../config.ts";

export type { ImageRole };
import { FIXTURES, type FixtureName } from "./fixtures.ts";

/**
 * Built-in defaults: LibreChat at a pinned release, MongoDB and MeiliSearch at the tags
 * LibreChat v0.8.7's own docker-compose.yml uses, and the project's own fixtures.
 */
export const DEFAULT_IMAGES: Record<ImageRole, string> = {
  librechat: "registry.librechat.ai/danny-avila/librechat:v0.8.7",
  mongodb: "mongo:8.0.20",
  meilisearch: "getmeili/meilisearch:v1.35.1",
  django: FIXTURES.django.tag,
  sveltekit: FIXTURES.sveltekit.tag,
  llm: FIXTURES["mock-llm"].tag,
};

/** The images of the air-gapped stand-ins, selected by `npm run selftest` through the image variables. */
export const STANDIN_IMAGES: Pick<Record<ImageRole, string>, "librechat" | "mongodb" | "meilisearch"> = {
  librechat: FIXTURES["librechat-double"].tag,
  mongodb: FIXTURES["mongodb-standin"].tag,
  meilisearch: FIXTURES["meilisearch-standin"].tag,
};

/** Where a role's image came from; "given": a caller of the library chose it (e.g. the bump gate's candidate). */
export type ImageSource = "default" | "compose" | "env" | "given" | "build";

export interface ImageChoice {
  role: ImageRole;
  /** The reference as Docker will see it, with Testcontainers' registry prefix applied. */
  ref: string;
  source: ImageSource;
  /** Where it came from, for messages: the variable, the compose file, or "built-in default". */
  origin: string;
  /** Set when the image is one of this project's fixtures, which the harness can build itself. */
  fixture: FixtureName | undefined;
}

export type ImageCatalog = Record<ImageRole, ImageChoice>;

/** Images a compose input contributes, with the file each came from. */
export type ComposeImages = Partial<Record<ImageRole, { ref: string; file: string }>>;

function fixtureFor(ref: string): FixtureName | undefined {
  for (const [name, fixture] of Object.entries(FIXTURES) as [FixtureName, (typeof FIXTURES)[FixtureName]][]) {
    if (fixture.tag === ref) return name;
  }
  return undefined;
}

/** Applies Testcontainers' `TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX` the way its own pulls do. */
export function effectiveRef(ref: string): string {
  return ImageName.fromString(ref).string;
}

/** Each role's image: built-in default, then compose input, then the user's variables. */
export function resolveImages(config: HarnessConfig, composeImages: ComposeImages = {}): ImageCatalog {
  const catalog = {} as ImageCatalog;
  for (const role of IMAGE_ROLES) {
    const fromEnv = config.imageOverrides[role];
    const fromCompose = composeImages[role];
    let choice: Omit<ImageChoice, "ref" | "fixture"> & { raw: string };
    if (fromEnv) choice = { role, raw: fromEnv, source: "env", origin: IMAGE_ENV[role] };
    else if (fromCompose) choice = { role, raw: fromCompose.ref, source: "compose", origin: fromCompose.file };
    else choice = { role, raw: DEFAULT_IMAGES[role], source: "default", origin: "built-in default" };
    catalog[role] = {
      role,
      ref: effectiveRef(choice.raw),
      source: choice.source,
      origin: choice.origin,
      fixture: fixtureFor(choice.raw),
    };
  }
  return catalog;
}

/** Roles whose image is one of the project's air-gapped stand-ins, for the report. */
export function standinRoles(catalog: ImageCatalog): ImageRole[] {
  return IMAGE_ROLES.filter((role) => {
    const fixture = catalog[role].fixture;
    return fixture !== undefined && FIXTURES[fixture].standin;
  });
}

/**
 * The image variables that select the air-gapped stand-ins; `keepUserImages` leaves what the user
 * chose alone: an image variable, or LIBRECHAT_BUILD for LibreChat's.
 */
export function withStandinImages(env: NodeJS.ProcessEnv, keepUserImages: boolean): NodeJS.ProcessEnv {
  const pick = (name: string, standin: string): string => (keepUserImages ? (env[name] ?? standin) : standin);
  const building = keepUserImages && ["1", "true", "yes"].includes((env.LIBRECHAT_BUILD ?? "").trim().toLowerCase());
  const out: NodeJS.ProcessEnv = {
    ...env,
    [IMAGE_ENV.librechat]: pick(IMAGE_ENV.librechat, STANDIN_IMAGES.librechat),
    [IMAGE_ENV.mongodb]: pick(IMAGE_ENV.mongodb, STANDIN_IMAGES.mongodb),
    [IMAGE_ENV.meilisearch]: pick(IMAGE_ENV.meilisearch, STANDIN_IMAGES.meilisearch),
  };
  if (building) delete out[IMAGE_ENV.librechat];
  return out;
}
