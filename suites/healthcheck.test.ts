import { test } from "vitest";
import { formatHealthLog, httpGetInside, type HealthProbe } from "../helpers/suite/containers.ts";
import { evidence, fail, indent, service, stack } from "../helpers/suite/context.ts";
import { check, scaled, tooSlow } from "../helpers/suite/evidence.ts";
import { healthcheckCauses, healthcheckUrl, insideAnswer, proposeHealthcheck, verifyProposal, waitForDockerVerdict } from "../helpers/suite/healthcheck.ts";

/** What Docker's health log of a container still "starting" holds: only failures, or a success would have made it healthy. */
function probesFailing(count: number): string {
  if (count === 0) return "no probe in its health log yet";
  return count === 1 ? "the one probe in its health log failed" : `all ${count} probes in its health log failed`;
}

/** Docker ended the probe for running past the healthcheck's own timeout. */
const PAST_TIMEOUT = /Health check exceeded timeout/i;

test("healthcheck-passes", check(async (ctx) => {
  const librechat = service(ctx, "librechat");
  const current = stack();
  const spec = current.librechat.healthcheck;
  if (!spec || spec.test[0] === "NONE") {
    const proposal = await proposeHealthcheck(librechat.containerId, current);
    await fail({
      problem: "LibreChat's compose service has no healthcheck, so Docker never reports it healthy.",
      expected: "a healthcheck under services.api",
      seen: spec ? "healthcheck disabled (NONE)" : "none configured",
      fix: proposal ? `add under services.api.healthcheck: ${proposal.yaml}` : "add a healthcheck with a program the image has",
    });
    return;
  }
  // A probe failing with the program missing, or on an error status while LibreChat is up,
  // will fail forever: no need to wait for every retry to call it.
  const conclusive = async (probe: HealthProbe): Promise<boolean> => {
    if (/not found|no such file/i.test(probe.output)) return true;
    const url = healthcheckUrl(spec.test);
    if (!url) return false;
    const seen = await httpGetInside(librechat.containerId, url, scaled(4000));
    return seen.kind === "answer" && seen.value.ok && (seen.value.status ?? 0) >= 400;
  };
  const verdict = await waitForDockerVerdict(librechat.containerId, spec, conclusive);
  const testLine = JSON.stringify(spec.test);
  if (verdict.status === "healthy") {
    const url = healthcheckUrl(spec.test);
    await evidence(ctx, `Docker reports healthy after ${(verdict.waitedMs / 1000).toFixed(0)} s with test ${testLine}; last probe exit ${verdict.log.at(-1)?.exitCode ?? 0}`);
    if (url) {
      const answer = await insideAnswer(librechat.containerId, url, "the healthcheck's URL");
      if (/^\s*<(!doctype|html)/i.test(answer.body ?? "")) {
        await evidence(ctx, `note: ${url} answered with the web app's HTML page, not a health answer: it passes only through the SPA fallback; probe ${current.librechat.healthRoute} instead`);
      }
    }
    return;
  }
  await judgeableVerdict(librechat.containerId, spec.test, verdict.log);
  const causes = await healthcheckCauses(librechat.containerId, current, spec, verdict.log.at(-1));
  const proposal = await proposeHealthcheck(librechat.containerId, current);
  const verification = proposal ? await verifyProposal(current, proposal, spec) : undefined;
  const lines = [
    `The overlay's healthcheck does not pass: Docker reports ${verdict.status === "unhealthy" ? "unhealthy" : `no success yet (status starting, ${probesFailing(verdict.log.length)})`}.`,
    `healthcheck (from ${current.librechat.healthcheck?.source ?? "the compose input"}): test ${testLine}, interval ${spec.intervalMs / 1000}s, timeout ${spec.timeoutMs / 1000}s, retries ${spec.retries}, start_period ${spec.startPeriodMs / 1000}s`,
    "why:",
    ...causes.map((cause) => `  - ${cause.kind}: ${cause.text}`),
    "Docker's health log:",
    formatHealthLog(verdict.log.slice(-3)),
  ];
  if (proposal && verification) {
    lines.push(
      `fix: replace the test line with: ${proposal.yaml}`,
      verification.healthy
        ? `verified in this run: ${verification.detail}`
        : `the proposal did NOT pass when Docker ran it either:\n${indent(verification.detail)}`,
    );
  } else {
    lines.push("fix: no program to probe HTTP with (wget, node, python3, curl) was found in the image; add one or probe with a TCP check");
  }
  await evidence(ctx, `causes: ${causes.map((c) => c.kind).join(", ")}; proposal ${proposal ? (verification?.healthy ? "verified healthy" : "failed") : "none"}`);
  throw new Error(lines.join("\n"));
}));

/**
 * Docker's probes that failed only by running past the healthcheck's timeout, while the route
 * answers when given time, say the host was too slow, not that the healthcheck is wrong.
 */
async function judgeableVerdict(containerId: string, test: string[], log: HealthProbe[]): Promise<void> {
  const failed = log.filter((probe) => probe.exitCode !== 0);
  const url = healthcheckUrl(test);
  if (failed.length === 0 || !url || !failed.every((probe) => PAST_TIMEOUT.test(probe.output))) return;
  const answer = await insideAnswer(containerId, url, "the healthcheck's URL");
  if (answer.ok && (answer.status ?? 500) < 400) {
    throw tooSlow("healthcheck-passes", `every failed Docker probe ran past the healthcheck's timeout, while ${url} answers ${answer.status} when given time`);
  }
}
