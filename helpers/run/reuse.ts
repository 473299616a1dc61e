import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";
import { docker } from "../docker/client.ts";
import { LABELS } from "../docker/labels.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";
import type { StackOptions } from "../stack/librechat-stack.ts";

const REUSE_DIR = path.join(REPO_ROOT, ".harness", "reuse");

/** Everything that makes two stacks the same, including the image ids behind the tags. */
export async function configHash(options: Readonly<StackOptions>): Promise<string> {
  // One inspect per image, side by side: this is on the path of every warm re-run.
  const ids = await Promise.all(
    Object.entries(options.images).map(async ([role, choice]) => {
      const id = await docker()
        .getImage(choice.ref)
        .inspect()
        .then((info) => info.Id)
        .catch(() => choice.ref);
      return [role, id] as const;
    }),
  );
  const imageIds: Record<string, string> = Object.fromEntries(ids);
  const { runId: _runId, extraLabels: _labels, startupTimeoutMs: _timeout, timeScale: _scale, ...shape } = options;
  return createHash("sha256").update(JSON.stringify({ shape, imageIds })).digest("hex").slice(0, 16);
}

async function allRunning(stack: StackDescriptor): Promise<boolean> {
  const running = await Promise.all(
    Object.values(stack.services).map((service) =>
      docker()
        .getContainer(service.containerId)
        .inspect()
        .then((info) => info.State.Running && info.Config.Labels?.[LABELS.runId] === stack.runId)
        .catch(() => false),
    ),
  );
  return running.length > 0 && running.every(Boolean) && !stack.startFailure;
}

/** A kept stack with this configuration hash whose containers are all still running. */
export async function findReusable(hash: string): Promise<StackDescriptor | undefined> {
  const file = path.join(REUSE_DIR, `${hash}.json`);
  if (!existsSync(file)) return undefined;
  const stack = JSON.parse(readFileSync(file, "utf8")) as StackDescriptor;
  if (await allRunning(stack)) return stack;
  rmSync(file, { force: true });
  return undefined;
}

export function rememberReusable(hash: string, stack: StackDescriptor): void {
  // It holds the stack's secrets (the stubs' internal token, the Fernet key): this user only.
  mkdirSync(REUSE_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(REUSE_DIR, `${hash}.json`), JSON.stringify(stack), { mode: 0o600 });
}

/** Reads a descriptor written by another process (the fault matrix shares one stack this way). */
export function readStackFile(file: string): StackDescriptor {
  return JSON.parse(readFileSync(file, "utf8")) as StackDescriptor;
}
