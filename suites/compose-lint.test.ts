import { test } from "vitest";
import { formatFinding, lintRunInput } from "../helpers/suite/compose-lint.ts";
import { evidence } from "../helpers/suite/context.ts";
import { check } from "../helpers/suite/evidence.ts";

/*
 * Static findings on the same compose input the stack runs (LIBRECHAT_DIR or the built-in
 * default, plus LIBRECHAT_OVERLAY); it reads files only and needs no container.
 */
test("compose-lint", check(async (ctx) => {
  const { findings, input } = await lintRunInput();
  const errors = findings.filter((f) => f.severity === "error");
  const listing = findings.map((f) => `  ${formatFinding(f)}`).join("\n");
  if (errors.length > 0) {
    throw new Error(`${errors.length} error(s) and ${findings.length - errors.length} warning(s) in ${input}; each with the line to change:\n${listing}`);
  }
  await evidence(ctx, `no errors in ${input}${findings.length > 0 ? `; warnings:\n${listing}` : ""}`);
}));
