// The checkout's own Dockerfile, unchanged, through the Engine API build: the context is what
// the Docker CLI would send (the checkout minus its .dockerignore, with Dockerfile and
// .dockerignore always included), streamed by tar.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { docker } from "../docker/client.ts";
import { listInputs, readDockerignore } from "./librechat-context.ts";
import { failureMessage, LibreChatBuildError, type OutputTail, type PhaseRunner } from "./librechat-progress.ts";

export interface DockerfileBuild {
  checkoutDir: string;
  tag: string;
  labels: Record<string, string>;
  runner: PhaseRunner;
}

/** The context's paths, as the CLI sends them: .dockerignore applied, Dockerfile and .dockerignore added back. */
export function dockerContextPaths(checkoutDir: string): string[] {
  const paths = listInputs(checkoutDir, readDockerignore(checkoutDir), []).map((entry) => entry.rel);
  for (const always of [".dockerignore", "Dockerfile"]) {
    if (!paths.includes(always) && existsSync(path.join(checkoutDir, always))) paths.push(always);
  }
  return paths;
}

/** Images a Dockerfile needs from a registry: FROM images and COPY --from= images (not stage names). */
export function externalImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const raw of dockerfile.split(/\r?\n/)) {
    const line = raw.trim();
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      if (!stages.has(from[1]!.toLowerCase()) && from[1] !== "scratch") images.push(from[1]!);
      if (from[2]) stages.add(from[2].toLowerCase());
      continue;
    }
    const copy = /^COPY\s+.*--from=(\S+)/i.exec(line);
    if (copy && !stages.has(copy[1]!.toLowerCase()) && !/^\d+$/.test(copy[1]!)) images.push(copy[1]!);
  }
  return [...new Set(images)];
}

/** The image a failing step was getting, when the step is a FROM or a COPY --from= of an image. */
export function imageOfStep(stepLine: string | undefined, images: string[]): string | undefined {
  if (!stepLine) return undefined;
  return images.find((image) => new RegExp(`(FROM|--from=)\\s*${image.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(\\s|$)`, "i").test(stepLine));
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Builds the image with the checkout's Dockerfile; returns its id. */
export async function buildWithDockerfile(build: DockerfileBuild): Promise<string> {
  const dockerfile = readFileSync(path.join(build.checkoutDir, "Dockerfile"), "utf8");
  const images = externalImages(dockerfile);
  let step: string | undefined;
  try {
    await build.runner.run("docker build", async (tail) => {
      const context = contextStream(build.checkoutDir, dockerContextPaths(build.checkoutDir), tail);
      const stream = await docker().buildImage(context, { t: build.tag, labels: build.labels, rm: true, forcerm: true });
      await new Promise<void>((resolve, reject) => {
        docker().modem.followProgress(
          stream,
          (error: Error | null) => (error ? reject(error) : resolve()),
          (event: BuildEvent) => {
            if (event.stream) {
              tail.push(event.stream);
              const match = /^Step \d+\/\d+ : .*$/m.exec(event.stream);
              if (match) step = match[0];
            }
            if (event.error) {
              const message = event.errorDetail?.message ?? event.error;
              tail.push(`${message}\n`);
              reject(new Error(message));
            }
          },
        );
      });
    });
  } catch (error) {
    throw pullFailure(error, step, images, build.runner.label) ?? error;
  }
  return (await docker().getImage(build.tag).inspect()).Id;
}

/** A failure while getting a base image, as one sentence that names it and the way out. */
function pullFailure(error: unknown, step: string | undefined, images: string[], label: string): LibreChatBuildError | undefined {
  if (!(error instanceof LibreChatBuildError)) return undefined;
  const image = imageOfStep(step, images);
  if (!image) return undefined;
  const reason = error.output.at(-1) ?? "no answer from the registry";
  const sentence =
    `the base image ${image} cannot be pulled (${reason.replace(/\.$/, "")}), so this host cannot build the checkout's own Dockerfile; ` +
    "use the air-gapped build instead (HARNESS_BASE_IMAGE, or npm run librechat:build -- <checkout> --airgapped --base <image>).";
  return new LibreChatBuildError(failureMessage(label, error.phase, sentence, []), error.phase, error.output);
}

/** `tar -c` of the listed paths (no recursion: directories are listed themselves). */
function contextStream(dir: string, paths: string[], tail: OutputTail): NodeJS.ReadableStream {
  const tar = spawn("tar", ["-c", "--no-recursion", "--null", "-T", "-"], {
    cwd: dir,
    stdio: ["pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH },
  });
  tar.stderr.setEncoding("utf8").on("data", (chunk: string) => tail.push(chunk));
  tar.stdin.end(paths.map((rel) => `${rel}\0`).join(""));
  return tar.stdout;
}
