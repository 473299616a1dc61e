import type { Finding, LintContext, LintOptions } from "./findings.ts";
import type { ComposeModel } from "./model.ts";
import { healthRules } from "./rules-health.ts";
import { externalNetworkRules, hostBindingRules, internalNetworkRules, serviceHostRules } from "./rules-network.ts";
import { portClashRules, publicPortRules } from "./rules-ports.ts";
import { composeV2Rules } from "./rules-v2.ts";

export type { Finding, LintOptions, Severity } from "./findings.ts";
export { formatFinding } from "./findings.ts";

const RULES: ((ctx: LintContext) => Finding[])[] = [
  healthRules,
  externalNetworkRules,
  portClashRules,
  publicPortRules,
  serviceHostRules,
  hostBindingRules,
  internalNetworkRules,
  composeV2Rules,
];

/** Static findings on the merged compose model; every finding names a file, a line and the change. */
export function lintCompose(model: ComposeModel, options: LintOptions): Finding[] {
  const ctx: LintContext = {
    model,
    options: {
      profile: options.profile,
      frontendHostPort: options.frontendHostPort ?? 3000,
      composeCli: options.composeCli ?? model.cli?.kind ?? "none",
    },
  };
  return RULES.flatMap((rule) => rule(ctx)).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
}
