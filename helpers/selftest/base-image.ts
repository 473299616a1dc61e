// `npm run selftest` on a host without a registry needs no HARNESS_BASE_IMAGE: when the fixtures'
// public bases cannot be had, it uses the air-gapped base (building it from Debian's mirror when
// it can), or says in one sentence what to run.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ConfigError, REPO_ROOT } from "../config.ts";
import { docker } from "../docker/client.ts";
import { FIXTURES, type FixtureName } from "../images/fixtures.ts";
import { publicBase } from "../images/ensure.ts";

export const AIRGAPPED_BASE = "localhost/librechat-harness/base:bookworm";

async function available(ref: string): Promise<boolean> {
  if (await docker().getImage(ref).inspect().then(() => true, () => false)) return true;
  // A pull that fails fails fast without a registry; one that works is needed anyway.
  return new Promise((resolve) => {
    docker().pull(ref, (error: Error | null, stream: NodeJS.ReadableStream | undefined) => {
      if (error || !stream) return resolve(false);
      docker().modem.followProgress(stream, (failure: Error | null) => resolve(!failure));
    });
  });
}

/** The base image the self-test builds its fixtures on: the given one, the public ones, or the air-gapped one. */
export async function selftestBase(given: string | undefined, log: (line: string) => void): Promise<string | undefined> {
  if (given) return given;
  const bases = [...new Set((Object.keys(FIXTURES) as FixtureName[]).map(publicBase).filter((b): b is string => b !== undefined))];
  const missing = [];
  for (const base of bases) if (!(await available(base))) missing.push(base);
  if (missing.length === 0) return undefined;
  if (await docker().getImage(AIRGAPPED_BASE).inspect().then(() => true, () => false)) {
    log(`the public bases (${missing.join(", ")}) cannot be pulled here: using the air-gapped base ${AIRGAPPED_BASE}`);
    return AIRGAPPED_BASE;
  }
  const canBuild = process.getuid?.() === 0 && spawnSync("debootstrap", ["--version"], { stdio: "ignore" }).status === 0;
  if (!canBuild) {
    throw new ConfigError(
      `This host cannot pull the fixtures' public bases (${missing.join(", ")}) and has no air-gapped base: as root with debootstrap installed run ` +
        `\`bash scripts/build-base-image.sh "$(command -v node)"\` and then \`HARNESS_BASE_IMAGE=${AIRGAPPED_BASE} npm run selftest\` (or \`bash .ci/run\`, which does both).`,
    );
  }
  log(`the public bases (${missing.join(", ")}) cannot be pulled here: building the air-gapped base ${AIRGAPPED_BASE} from Debian's mirror (about a minute)`);
  const built = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "build-base-image.sh"), process.execPath], { stdio: "inherit", env: { ...process.env, HARNESS_BASE_IMAGE: AIRGAPPED_BASE } });
  if (built.status !== 0) throw new ConfigError(`Building the air-gapped base ${AIRGAPPED_BASE} failed (its output is above); fix that, or set HARNESS_BASE_IMAGE to a base this host has.`);
  return AIRGAPPED_BASE;
}
