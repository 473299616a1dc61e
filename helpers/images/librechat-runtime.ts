// The runtime root filesystem under LibreChat's /app: the air-gapped base with upstream's
// runtime shape (no curl, BusyBox wget, user node 1000:1000), prepared once per base image in
// a throw-away container and kept as a tar without its end-of-archive marker, so that the
// image is one stream: this tar, then the built tree.
import { randomBytes } from "node:crypto";
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, truncateSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { docker } from "../docker/client.ts";
import type { OutputTail } from "./librechat-progress.ts";

/** Bump when PREPARE_SCRIPT changes: it is part of the file name and of every image's inputs hash. */
export const RUNTIME_RECIPE = "1";

const PREPARE_SCRIPT = `set -e
if command -v dpkg >/dev/null 2>&1; then
  if dpkg -s curl >/dev/null 2>&1; then dpkg --purge curl >/dev/null; fi
  dpkg --purge libcurl4 >/dev/null 2>&1 || true
fi
rm -f /usr/bin/curl /usr/local/bin/curl /bin/curl
if command -v curl >/dev/null 2>&1; then echo "curl is still on PATH at $(command -v curl)"; exit 1; fi
getent group 1000 >/dev/null || groupadd -g 1000 node
getent passwd 1000 >/dev/null || useradd -u 1000 -g 1000 -m -d /home/node -s /bin/sh node
[ "$(id -un 1000)" = node ] || { echo "uid 1000 is $(id -un 1000), not node"; exit 1; }
busybox=$(command -v busybox) || { echo "the base image has no busybox, which provides wget"; exit 1; }
ln -sf "$busybox" /usr/local/bin/wget
for tool in node python3 wget; do command -v "$tool" >/dev/null || { echo "the base image has no $tool"; exit 1; }; done
echo "runtime prepared: $(node --version), $(python3 --version), wget from $busybox"
`;

export interface RuntimeRootfs {
  /** A tar of the prepared root filesystem, without the end-of-archive marker. */
  file: string;
  /** The base image's environment (PATH, LANG...), which an imported image must set again. */
  env: string[];
}

export function runtimeRootfsPath(workDir: string, baseImageId: string): string {
  return path.join(workDir, "runtime", `rootfs-${baseImageId.replace(/^sha256:/, "").slice(0, 12)}-r${RUNTIME_RECIPE}.tar`);
}

/** The prepared runtime for this base image, made on first use (about 10 s), then reused. */
export async function ensureRuntimeRootfs(baseImage: string, workDir: string, tail: OutputTail): Promise<RuntimeRootfs> {
  const info = await docker().getImage(baseImage).inspect();
  const env = info.Config?.Env ?? [];
  const file = runtimeRootfsPath(workDir, info.Id);
  if (existsSync(file)) {
    tail.push(`reusing the prepared runtime ${file}\n`);
    return { file, env };
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  const container = await docker().createContainer({
    Image: info.Id,
    Entrypoint: ["/bin/sh", "-c"],
    Cmd: [PREPARE_SCRIPT],
    User: "0",
    Labels: { "io.librechat-harness": "true", "io.librechat-harness.role": "librechat-runtime-prepare" },
    HostConfig: { NetworkMode: "none" },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    tail.push(demuxLogs(logs));
    if (StatusCode !== 0) throw new Error(`preparing the runtime on ${baseImage} exited with code ${StatusCode}`);
    await pipeline(await container.export(), createWriteStream(temporary));
    stripEndOfArchive(temporary);
    renameSync(temporary, file);
    return { file, env };
  } finally {
    rmSync(temporary, { force: true });
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Docker's multiplexed log frames (8-byte headers) as text. */
function demuxLogs(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString("utf8"));
    offset += 8 + size;
  }
  return parts.join("");
}

/**
 * Cuts a tar file right after its last member, by walking the headers (never by trimming
 * zeros: a member's own data may end in zero blocks), so that another tar stream can follow.
 */
export function stripEndOfArchive(file: string): number {
  const fd = openSync(file, "r");
  const header = Buffer.alloc(512);
  let offset = 0;
  try {
    for (;;) {
      const read = readSync(fd, header, 0, 512, offset);
      if (read < 512 || header.every((byte) => byte === 0)) break;
      offset += 512 + Math.ceil(tarEntrySize(header) / 512) * 512;
    }
  } finally {
    closeSync(fd);
  }
  truncateSync(file, offset);
  return offset;
}

/** A header's size field: octal text, or base-256 when its first byte has the high bit set. */
export function tarEntrySize(header: Buffer): number {
  const field = header.subarray(124, 136);
  if (field[0]! & 0x80) {
    let size = field[0]! & 0x7f;
    for (const byte of field.subarray(1)) size = size * 256 + byte;
    return size;
  }
  const text = field.toString("ascii").replace(/\0.*$/s, "").trim();
  return text ? parseInt(text, 8) : 0;
}
