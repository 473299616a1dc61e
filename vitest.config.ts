import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { ChecklistReporter } from "./helpers/report/reporter.ts";

// Three projects, never mixed: `unit` (no Docker: helpers, fixtures' logic), `docker` (the
// harness's own Docker-backed self-tests: isolation proof, stand-in conformance, Django's
// manage.py test; each starts its own containers) and `checklist` (the guide's checklist
// against one shared stack, started in the global setup).
export default defineConfig({
  test: {
    reporters: ["default", new ChecklistReporter()],
    projects: [
      {
        test: {
          name: "unit",
          include: ["helpers/**/*.test.ts", "fixtures/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.docker.test.ts", "**/node_modules/**", "**/dist/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "docker",
          include: ["helpers/**/*.docker.test.ts", "fixtures/**/*.docker.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          // Docker-bound, not CPU-bound: files wait on containers, so run several at once.
          maxWorkers: 3,
        },
      },
      {
        test: {
          name: "checklist",
          include: ["suites/**/*.test.ts"],
          globalSetup: ["helpers/run/global-setup.ts"],
          // A ceiling only: every check ends by its own deadline (HARNESS_TIME_SCALE scales them).
          testTimeout: 1_200_000,
          hookTimeout: 1_800_000,
          // One shared stack; each suite mostly waits on it, but each worker costs ~100 MiB and a
          // second of start-up. Measured on 2 cores (README "Speed"): 4 workers finish as soon as
          // 16 with half the memory, 2 serialise the suites. Two per core, at least 4, at most 16.
          maxWorkers: Math.max(4, Math.min(16, 2 * availableParallelism())),
        },
      },
    ],
  },
});
