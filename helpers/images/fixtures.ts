import path from "node:path";
import { REPO_ROOT } from "../config.ts";

/** How the context of one fixture image is prepared before `docker build`. */
export type FixturePrep =
  | { kind: "none" }
  /** Bundle `src/main.ts` with esbuild into `dist/main.mjs`. */
  | { kind: "bundle" }
  /** Copy a binary shipped inside an npm package into `dist/`. */
  | { kind: "copy-binary"; from: string; to: string }
  /** Both: bundle `src/main.ts` into `dist/main.mjs` and copy the binary into `dist/`. */
  | { kind: "bundle-and-copy-binary"; from: string; to: string };

export interface FixtureDefinition {
  dir: string;
  tag: string;
  prep: FixturePrep;
  /** An air-gapped stand-in for an image this project's CI cannot pull. */
  standin: boolean;
}

const fixture = (dir: string, name: string, prep: FixturePrep, standin = false): FixtureDefinition => ({
  dir: path.join(REPO_ROOT, "fixtures", dir),
  // "localhost/" keeps Testcontainers' registry prefix off images that only ever exist locally.
  tag: `localhost/librechat-harness/${name}:local`,
  prep,
  standin,
});

export const FIXTURES = {
  django: fixture("django", "django-stub", { kind: "none" }),
  sveltekit: fixture("sveltekit", "sveltekit-stub", { kind: "bundle" }),
  "mock-llm": fixture("mock-llm", "mock-llm", { kind: "bundle" }),
  "librechat-double": fixture("standins/librechat", "librechat-double", { kind: "bundle" }, true),
  "mongodb-standin": fixture(
    "standins/mongodb",
    "mongodb-standin",
    // jongodb, behind a small Node front that answers the commands jongodb lacks (its README).
    { kind: "bundle-and-copy-binary", from: "@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb", to: "jongodb" },
    true,
  ),
  "meilisearch-standin": fixture("standins/meilisearch", "meilisearch-standin", { kind: "bundle" }, true),
  probe: fixture("probe", "probe", { kind: "bundle" }),
} satisfies Record<string, FixtureDefinition>;

export type FixtureName = keyof typeof FIXTURES;

export const BASE_IMAGE_LABEL = "io.librechat-harness.inputs-hash";
