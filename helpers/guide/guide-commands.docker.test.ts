// Issue 14 §1: the guide's own setup and checks, run literally with Compose v2 against real
// LibreChat v0.8.7 as CI builds it. The test passes when every command ran and each comparison was
// recorded (reports/guide-commands.{json,md}); where LibreChat disagrees with the guide, that is the
// finding, not a failure.
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../config.ts";
import { docker } from "../docker/client.ts";
import { SHARED_DIR } from "../testing/compose-files.ts";
import { GUIDE_CHECKS, NETWORK_LS } from "./checks.ts";
import { writeGuideReport } from "./report.ts";
import { guideBlocker, runGuideCommands } from "./run.ts";
import type { WorkspaceSource } from "./workspace.ts";

const BUILT = "localhost/librechat-harness/librechat-built";

/** GUIDE_LIBRECHAT_IMAGE, else the newest `librechat-built:v0.8.7-*` on this engine. */
async function librechatImage(): Promise<string | undefined> {
  const fromEnv = process.env.GUIDE_LIBRECHAT_IMAGE?.trim();
  if (fromEnv) return fromEnv;
  const images = await docker().listImages({ filters: { reference: [BUILT] } }).catch(() => []);
  const tagged = images.flatMap((i) => (i.RepoTags ?? []).filter((t) => t.startsWith(`${BUILT}:v0.8.7-`)).map((tag) => ({ tag, created: i.Created })));
  return tagged.sort((a, b) => b.created - a.created)[0]?.tag;
}

/** The v0.8.7 checkout's compose file and .env.example: GUIDE_LIBRECHAT_DIR, the checkout CI unpacks, else LibreChat's upstream files in ../shared. */
function composeSource(): WorkspaceSource {
  const overlay = path.join(REPO_ROOT, "fixtures", "compose.librechat.yaml");
  const dirs = [process.env.GUIDE_LIBRECHAT_DIR?.trim(), path.join(REPO_ROOT, ".harness", "librechat-src", "librechat-v0.8.7", "LibreChat-main")].filter((d): d is string => Boolean(d));
  const checkout = dirs.find((d) => existsSync(path.join(d, "docker-compose.yml")) && existsSync(path.join(d, ".env.example")));
  if (checkout) return { composeFile: path.join(checkout, "docker-compose.yml"), envExample: path.join(checkout, ".env.example"), overlay };
  const upstream = path.join(SHARED_DIR, "librechat", "upstream-v0.8.7");
  return { composeFile: path.join(upstream, "docker-compose.yml"), envExample: path.join(upstream, "env.example"), overlay };
}

describe("the guide's commands against real LibreChat v0.8.7", () => {
  it("run as the guide writes them, each recorded with what real LibreChat answers", { timeout: 1_200_000 }, async (ctx) => {
    const image = await librechatImage();
    if (!image) {
      ctx.skip(`no LibreChat v0.8.7 image as CI builds it (${BUILT}:v0.8.7-*): set GUIDE_LIBRECHAT_IMAGE or run \`npm run librechat:build\``);
      return;
    }
    const options = {
      source: composeSource(),
      images: {
        librechat: image,
        mongodb: process.env.MONGO_IMAGE?.trim() || "localhost/librechat-harness/mongodb-standin:local",
        meilisearch: process.env.MEILI_IMAGE?.trim() || "localhost/librechat-harness/meilisearch-standin:local",
      },
      stubs: { django: process.env.DJANGO_IMAGE?.trim() || "localhost/librechat-harness/django-stub:local", sveltekit: process.env.SVELTEKIT_IMAGE?.trim() || "localhost/librechat-harness/sveltekit-stub:local" },
      log: (line: string) => console.log(`[guide] ${line}`),
    };
    const blocker = await guideBlocker(options);
    if (blocker) {
      ctx.skip(blocker);
      return;
    }

    const run = await runGuideCommands(options);
    const { md } = writeGuideReport(run);
    await ctx.annotate(`report: ${md}`);

    const notRun = [...run.setup, ...run.checks, ...run.cleanup].filter((r) => !r.ran).map((r) => `${r.command}: ${r.couldNotRun}`);
    expect(notRun).toEqual([]);
    // Every check of the guide was run and compared.
    const ids = [NETWORK_LS.id, ...GUIDE_CHECKS.map((c) => c.id), "healthcheck-passes", "librechat-running", "stop-librechat"];
    expect(run.checks.map((r) => r.id)).toEqual(ids);
    expect(run.checks.filter((r) => r.expected !== undefined && r.matches === null).map((r) => r.id)).toEqual([]);
  });
});
