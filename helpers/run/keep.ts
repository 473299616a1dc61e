import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";
import type { StackDescriptor } from "../stack/descriptor.ts";

const KEPT_DIR = path.join(REPO_ROOT, ".harness", "kept");

/** Records that a run was left up on purpose, so the sweeper of later runs leaves it alone. */
export function markKept(runId: string): void {
  mkdirSync(KEPT_DIR, { recursive: true });
  writeFileSync(path.join(KEPT_DIR, runId), `${new Date().toISOString()}\n`);
}

export function isKept(runId: string): boolean {
  return existsSync(path.join(KEPT_DIR, runId));
}

export function forgetKept(runId: string): void {
  rmSync(path.join(KEPT_DIR, runId), { force: true });
}

/** The guide's own troubleshooting commands, filled in with this run's names. */
export function keepInstructions(stack: StackDescriptor): string {
  const name = (role: keyof StackDescriptor["services"]): string => stack.services[role]?.containerName ?? `${stack.runId}-${role}`;
  const port = stack.librechat.port;
  const lines = [
    `HARNESS_KEEP: run ${stack.runId} is left up. Reach it with the guide's commands:`,
    `  docker network inspect ${stack.networks.backend.name}`,
    `  docker network inspect ${stack.networks["librechat-internal"].name}`,
    `  docker exec ${name("django")} curl http://librechat-api:${port}/health`,
    `  docker exec ${name("sveltekit")} curl http://librechat-api:${port}/health`,
    `  docker exec ${name("django")} nslookup librechat-api`,
    `  docker exec ${name("django")} ping -c 3 librechat-api`,
    `  docker logs ${name("librechat")}`,
    `  docker exec ${name("librechat")} env`,
  ];
  if (stack.librechat.hostUrl) lines.push(`  curl ${stack.librechat.hostUrl}/health`);
  lines.push(`Remove it with: npm run clean -- ${stack.runId}`);
  return lines.join("\n");
}
