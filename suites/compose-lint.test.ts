import { expect, it } from "vitest";
import { readConfig } from "../helpers/config.ts";
import { formatFinding, lintCompose } from "../helpers/compose/lint.ts";
import { loadCompose } from "../helpers/compose/load.ts";
import { hasUpstream, librechatCheckout } from "../helpers/compose/test-support.ts";

/*
 * Static findings on the compose input; needs no Docker. Input: LIBRECHAT_DIR's compose file plus
 * LIBRECHAT_OVERLAY; without LIBRECHAT_DIR, upstream v0.8.7's compose file from ../shared (with its
 * env.example as .env) when present, else the overlay alone.
 */
it("compose-lint", async () => {
  const config = readConfig();
  let input: string;
  let load: Parameters<typeof loadCompose>[0];
  if (config.librechatDir) {
    load = { librechatDir: config.librechatDir, overlay: config.overlayPath };
    input = `${config.librechatDir} + ${config.overlayPath}`;
  } else if (hasUpstream("v0.8.7")) {
    load = { librechatDir: librechatCheckout("v0.8.7"), overlay: config.overlayPath, env: {} };
    input = `LibreChat v0.8.7 docker-compose.yml (../shared, env.example as .env) + ${config.overlayPath}`;
  } else {
    load = { overlay: config.overlayPath, allowIncomplete: true };
    input = `${config.overlayPath} alone (LIBRECHAT_DIR unset, ../shared absent)`;
  }
  const model = await loadCompose(load);
  const findings = lintCompose(model, { profile: config.profile });
  const errors = findings.filter((f) => f.severity === "error");
  const listing = findings.map((f) => `  ${formatFinding(f)}`).join("\n");
  expect(
    errors.length,
    `${errors.length} error(s) in ${input} (profile ${config.profile}, merged by ${model.engine}):\n${listing}`,
  ).toBe(0);
});
