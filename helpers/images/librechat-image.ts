// The air-gapped image in one write: the prepared runtime's tar, then a tar of the built tree
// as /app owned by node (1000:1000), streamed together into `docker import` with the
// Dockerfile-like settings of upstream's image.
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { docker } from "../docker/client.ts";
import type { OutputTail } from "./librechat-progress.ts";

export const IMAGE_LABELS = {
  version: "org.opencontainers.image.version",
  revision: "org.opencontainers.image.revision",
  origin: "io.librechat-harness.origin",
  inputsHash: "io.librechat-harness.inputs-hash",
} as const;

export interface ImageSettings {
  /** The base image's own environment (PATH, LANG...), set again before LibreChat's. */
  baseEnv: string[];
  labels: Record<string, string>;
}

/** Upstream's runtime settings (WORKDIR, USER, ENV, EXPOSE, CMD) as `docker import --change` lines. */
export function importChanges(settings: ImageSettings): string[] {
  const quote = (value: string): string => JSON.stringify(value);
  const env = settings.baseEnv.filter((line) => !/^(HOST|NODE_ENV)=/.test(line));
  return [
    ...env.map((line) => `ENV ${line.slice(0, line.indexOf("="))}=${quote(line.slice(line.indexOf("=") + 1))}`),
    "ENV HOST=0.0.0.0",
    "ENV NODE_ENV=production",
    "WORKDIR /app",
    "USER node",
    "EXPOSE 3080",
    'CMD ["node","api/server/index.js"]',
    ...Object.entries(settings.labels).map(([key, value]) => `LABEL ${key}=${quote(value)}`),
  ];
}

/** The runtime tar (no end marker) followed by `tar -c` of <stageDir>/app, owned 1000:1000. */
function imageStream(rootfsFile: string, stageDir: string, abort: AbortController, tail: OutputTail): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield* createReadStream(rootfsFile);
    const tar = spawn("tar", ["-c", "--numeric-owner", "--owner=1000", "--group=1000", "-C", stageDir, "app"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH },
    });
    tar.stderr.setEncoding("utf8").on("data", (chunk: string) => tail.push(chunk));
    const exited = new Promise<number | null>((resolve) => tar.on("close", resolve));
    try {
      yield* tar.stdout as AsyncIterable<Buffer>;
      const code = await exited;
      if (code !== 0) {
        abort.abort();
        throw new Error(`tar of the built tree exited with code ${code}`);
      }
    } finally {
      // The import failed and the stream was destroyed mid-way: do not leave tar blocked on its pipe.
      if (tar.exitCode === null && tar.signalCode === null) tar.kill();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

interface ImportEvent {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Imports the image under `tag` and returns its id. */
export async function importLibreChatImage(
  rootfsFile: string,
  stageDir: string,
  tag: string,
  settings: ImageSettings,
  tail: OutputTail,
): Promise<string> {
  const abort = new AbortController();
  const [repo, version] = splitTag(tag);
  const source = imageStream(rootfsFile, stageDir, abort, tail);
  try {
    const stream = await docker().importImage(source, {
      repo,
      tag: version,
      changes: importChanges(settings),
      message: "librechat-harness air-gapped build",
      abortSignal: abort.signal,
    });
    await new Promise<void>((resolve, reject) => {
      docker().modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (event: ImportEvent) => {
          if (event.status) tail.push(`${event.status}\n`);
          if (event.error) reject(new Error(event.errorDetail?.message ?? event.error));
        },
      );
    });
  } finally {
    source.destroy();
  }
  return (await docker().getImage(tag).inspect()).Id;
}

/** "repo/name:tag" -> ["repo/name", "tag"]; a colon before the last slash is a registry port. */
export function splitTag(ref: string): [string, string] {
  const colon = ref.lastIndexOf(":");
  if (colon > ref.lastIndexOf("/")) return [ref.slice(0, colon), ref.slice(colon + 1)];
  return [ref, "latest"];
}
