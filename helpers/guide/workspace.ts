import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** The images the guide's stack runs here: no registry, so the local ones. */
export interface GuideImages {
  librechat: string;
  mongodb: string;
  meilisearch: string;
}

/** The guide's own values for LibreChat's `.env` ("Environment Variables": "Ensure these are set"). */
export const GUIDE_DOTENV = { PORT: "3080", HOST: "0.0.0.0", MONGO_URI: "mongodb://mongodb:27017/LibreChat" } as const;

/**
 * The layout the guide assumes, in a temporary directory: `backend/LibreChat-main` with LibreChat's
 * docker-compose.yml (untouched, as the guide says) and a `.env`, and `compose.librechat.yaml` two
 * levels up. `imagesFile` (also two levels up) is the harness's only addition.
 */
export interface GuideWorkspace {
  root: string;
  /** Where the guide's commands run: `cd backend/LibreChat-main`. */
  librechatDir: string;
  overlay: string;
  imagesFile: string;
}

export interface WorkspaceSource {
  /** LibreChat's docker-compose.yml (a v0.8.7 checkout's). */
  composeFile: string;
  /** Its `.env.example`, which becomes the `.env` with the guide's values set. */
  envExample: string;
  /** The guide's overlay, exactly as the guide writes it. */
  overlay: string;
}

/** `.env.example` with the guide's PORT, HOST and MONGO_URI: the lines replaced where they are, added where they are not. */
export function guideDotenv(example: string): string {
  let text = example;
  for (const [key, value] of Object.entries(GUIDE_DOTENV)) {
    const line = new RegExp(`^${key}=.*$`, "m");
    text = line.test(text) ? text.replace(line, `${key}=${value}`) : `${text.replace(/\n?$/, "\n")}${key}=${value}\n`;
  }
  return text;
}

/**
 * The extra compose file the harness adds: the local images (no registry here), LibreChat's host
 * port on 127.0.0.1 and chosen by Docker (a shared host may hold 3080; the container port stays
 * the guide's), and the harness's labels on everything Compose creates, so that a sweep finds it.
 */
export function imagesOverride(images: GuideImages, labels: Record<string, string>): string {
  const l = JSON.stringify(labels);
  return [
    "# Added by the harness (helpers/guide): local images, a loopback host port, labels.",
    "services:",
    "  api:",
    `    image: ${JSON.stringify(images.librechat)}`,
    "    ports: !override",
    '      - "127.0.0.1::${PORT:-3080}"',
    `    labels: ${l}`,
    "  mongodb:",
    `    image: ${JSON.stringify(images.mongodb)}`,
    `    labels: ${l}`,
    "  meilisearch:",
    `    image: ${JSON.stringify(images.meilisearch)}`,
    `    labels: ${l}`,
    "networks:",
    "  default:",
    `    labels: ${l}`,
    "volumes:",
    "  pgdata2:",
    `    labels: ${l}`,
    "",
  ].join("\n");
}

export function createWorkspace(source: WorkspaceSource, images: GuideImages, labels: Record<string, string>): GuideWorkspace {
  for (const file of [source.composeFile, source.envExample, source.overlay]) if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const root = mkdtempSync(path.join(tmpdir(), "lch-guide-"));
  const librechatDir = path.join(root, "backend", "LibreChat-main");
  mkdirSync(librechatDir, { recursive: true });
  copyFileSync(source.composeFile, path.join(librechatDir, "docker-compose.yml"));
  writeFileSync(path.join(librechatDir, ".env"), guideDotenv(readFileSync(source.envExample, "utf8")));
  const overlay = path.join(root, "compose.librechat.yaml");
  copyFileSync(source.overlay, overlay);
  const imagesFile = path.join(root, "compose.harness-images.yaml");
  writeFileSync(imagesFile, imagesOverride(images, labels));
  return { root, librechatDir, overlay, imagesFile };
}
