// The static impact of a bump, from the two checkouts' files alone: their compose files, the
// candidate's host-port clashes with the guide's topology (compose-lint's own rule), their
// .env.example variables, their librechat.example.yaml `version:`, and whether the project's
// overlay still merges with the candidate's compose file and names services that exist.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { findComposeFile, loadComposeBuiltin } from "../compose/load.ts";
import { lintCompose } from "../compose/lint.ts";
import { REPO_ROOT } from "../config.ts";
import { composeImpact, composeShape, type ComposeImpact } from "./compose-impact.ts";
import { diffEnvExample, type EnvDiff } from "./env-example.ts";
import { findingRefs } from "./lint-diff.ts";
import type { FindingRef } from "./types.ts";

export interface OverlayCheck {
  overlay: string;
  merges: boolean;
  error: string | undefined;
  /** Each service the overlay names, and whether the candidate's compose file defines it. */
  services: { name: string; exists: boolean }[];
}

export interface StaticImpact {
  /** Why the two-checkout comparisons did not run (an image-only side). */
  skipped: string | undefined;
  compose: ComposeImpact | undefined;
  env: (EnvDiff & { files: { baseline: string; candidate: string } }) | undefined;
  yamlVersion: { baseline: string | undefined; candidate: string | undefined } | undefined;
  /** The candidate's host-port clashes: with its own files as written, and with the gate's configuration. */
  clashes: { asWritten: FindingRef[]; withGateConfig: FindingRef[]; gateEnv: Record<string, string>; dotenv: string } | undefined;
  overlay: OverlayCheck | undefined;
}

const ENV_EXAMPLES = [".env.example", "env.example"];

function envExampleOf(dir: string): string | undefined {
  return ENV_EXAMPLES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
}

export function yamlVersionOf(dir: string): string | undefined {
  const file = path.join(dir, "librechat.example.yaml");
  if (!existsSync(file)) return undefined;
  const doc = parse(readFileSync(file, "utf8")) as { version?: unknown } | null;
  return doc?.version === undefined ? undefined : String(doc.version);
}

/**
 * A project directory Compose can read: the checkout itself when it has a .env; else a copy of
 * its compose file beside `.env.example` as `.env` (what LibreChat's setup, `cp .env.example .env`, gives).
 */
function projectWithDotenv(dir: string): { dir: string; dotenv: string; cleanup: () => void } {
  if (existsSync(path.join(dir, ".env"))) return { dir, dotenv: path.join(dir, ".env"), cleanup: () => undefined };
  const example = envExampleOf(dir);
  const temp = mkdtempSync(path.join(os.tmpdir(), "lch-gate-impact-"));
  const compose = findComposeFile(dir);
  copyFileSync(compose, path.join(temp, path.basename(compose)));
  if (example) copyFileSync(example, path.join(temp, ".env"));
  return { dir: temp, dotenv: example ? `${example} (as .env)` : "(none)", cleanup: () => rmSync(temp, { recursive: true, force: true }) };
}

function hostPortClashes(dir: string, overlay: string | null, env: Record<string, string>): FindingRef[] {
  const model = loadComposeBuiltin({ librechatDir: dir, overlay, env });
  return findingRefs(model, lintCompose(model, { profile: "dev" }), REPO_ROOT).filter((f) => f.rule === "host-port-clash");
}

function overlayServices(overlay: string): string[] {
  const doc = parse(readFileSync(overlay, "utf8")) as { services?: unknown } | null;
  const services = doc?.services;
  return services && typeof services === "object" ? Object.keys(services) : [];
}

function checkOverlay(dir: string, overlay: string, env: Record<string, string>): OverlayCheck {
  const defined = new Set(composeShape(readFileSync(findComposeFile(dir), "utf8")).services.keys());
  const services = overlayServices(overlay).map((name) => ({ name, exists: defined.has(name) }));
  try {
    loadComposeBuiltin({ librechatDir: dir, overlay, env });
    return { overlay, merges: true, error: undefined, services };
  } catch (error) {
    return { overlay, merges: false, error: error instanceof Error ? error.message : String(error), services };
  }
}

/** What only the candidate's checkout tells: its clashes with the topology and whether the overlay fits it. */
function candidateChecks(candidateDir: string, overlay: string, gateEnv: Record<string, string>): Pick<StaticImpact, "clashes" | "overlay"> {
  const project = projectWithDotenv(candidateDir);
  // Findings name the checkout's own files, not the temporary copy they were read from.
  const real = (f: FindingRef): FindingRef => ({ ...f, fix: f.fix.split(project.dir).join(candidateDir), where: f.where.split(project.dir).join(candidateDir) });
  try {
    const checked = checkOverlay(project.dir, overlay, gateEnv);
    // An overlay that does not merge is reported below; the clashes are then the compose file's own.
    const clashes = (env: Record<string, string>): FindingRef[] => hostPortClashes(project.dir, checked.merges ? overlay : null, env).map(real);
    return {
      clashes: { asWritten: clashes({}), withGateConfig: clashes(gateEnv), gateEnv, dotenv: project.dotenv },
      overlay: { ...checked, error: checked.error?.split(project.dir).join(candidateDir) },
    };
  } finally {
    project.cleanup();
  }
}

function envDiffOf(baselineDir: string, candidateDir: string): StaticImpact["env"] {
  const files = { baseline: envExampleOf(baselineDir), candidate: envExampleOf(candidateDir) };
  if (!files.baseline || !files.candidate) return undefined;
  return { ...diffEnvExample(readFileSync(files.baseline, "utf8"), readFileSync(files.candidate, "utf8")), files: { baseline: files.baseline, candidate: files.candidate } };
}

/**
 * The whole static impact. `gateEnv` holds the variables of the gate's configuration that the
 * compose files interpolate (e.g. ADMIN_PANEL_PORT=3001); an image-only side skips what needs its files.
 */
export function staticImpact(dirs: { baseline: string | undefined; candidate: string | undefined }, overlay: string, gateEnv: Record<string, string>, skipWhy: string | undefined): StaticImpact {
  const candidate = dirs.candidate ? candidateChecks(dirs.candidate, overlay, gateEnv) : { clashes: undefined, overlay: undefined };
  if (!dirs.baseline || !dirs.candidate) return { skipped: skipWhy ?? "one side is an image, not a checkout", compose: undefined, env: undefined, yamlVersion: undefined, ...candidate };
  return {
    skipped: undefined,
    compose: composeImpact(dirs.baseline, dirs.candidate),
    env: envDiffOf(dirs.baseline, dirs.candidate),
    yamlVersion: { baseline: yamlVersionOf(dirs.baseline), candidate: yamlVersionOf(dirs.candidate) },
    ...candidate,
  };
}
