// compose-lint's findings on the same compose input the run's stack was built from (the global
// setup names it); files only, no container.
import { loadCompose } from "../compose/load.ts";
import { formatFinding, lintCompose, type Finding } from "../compose/lint.ts";
import { runInfo } from "./context.ts";

export { formatFinding, type Finding };

export async function lintRunInput(): Promise<{ findings: Finding[]; input: string }> {
  const { compose, profile } = runInfo();
  const model = await loadCompose(compose);
  const findings = lintCompose(model, { profile });
  return { findings, input: `${model.sources.map((s) => s.file).join(" + ")} (profile ${profile}, merged by ${model.engine})` };
}
