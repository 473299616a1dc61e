// The guide's checks (guide/librechat-docker-network.md), each as the guide writes it, as it runs
// here, what the guide expects, and how to tell whether real LibreChat matches it.
import type { ShellResult } from "./shell.ts";

export interface GuideContext {
  /** `-p <project> -f docker-compose.yml -f ../../compose.librechat.yaml -f ../../compose.harness-images.yaml`. */
  composeArgs: string;
  project: string;
  /** LibreChat's address on backend-dev, from `docker inspect`, once it runs. */
  librechatAddress: string | undefined;
}

export interface Expectation {
  /** `literal`: the guide prints this output; `stated`: the guide says it in words. */
  kind: "literal" | "stated";
  text: string;
}

export interface Judgement {
  matches: boolean;
  finding: string;
}

export interface GuideCheck {
  id: string;
  /** What of stdout the record keeps (default: all of it, trimmed), for output that lists a shared host's other containers. */
  shown?: (stdout: string) => string;
  /** Where the guide has the command. */
  where: string;
  /** As the guide writes it. */
  guide: string;
  command: (ctx: GuideContext) => string;
  /** How `command` differs from `guide`, and why. */
  deviation?: string;
  expected?: Expectation;
  /** Further commands that show why; their results come to `judge` as `evidence`. */
  evidence?: (ctx: GuideContext) => string[];
  judge?: (result: ShellResult, evidence: ShellResult[], ctx: GuideContext) => Judgement;
}

export const OK_BODY = '{"status":"ok"}';

const out = (r: ShellResult | undefined): string => (r?.stdout ?? "").trim();

/** LibreChat's answer on /api/health and on its real route /health, from the evidence commands. */
function healthFinding(result: ShellResult, evidence: ShellResult[]): Judgement {
  const body = out(result);
  if (body === OK_BODY) return { matches: true, finding: `answers ${OK_BODY}, as the guide shows` };
  const apiStatus = out(evidence[0]);
  const health = out(evidence[1]).replace(/\s+/g, " ");
  const answer = body === "" ? `nothing (curl exit ${result.exitCode}: ${result.stderr.trim().split("\n").pop() ?? ""})` : body;
  return { matches: false, finding: `LibreChat answers HTTP ${apiStatus || "?"} ${answer} on /api/health, not ${OK_BODY}; its health route is /health (${health || "no answer"})` };
}

function curlCheck(id: string, container: string, where: string, expectedNote: string): GuideCheck {
  const url = "http://librechat-api:3080";
  return {
    id,
    where,
    guide: `docker exec ${container} curl ${url}/api/health`,
    command: () => `docker exec ${container} curl ${url}/api/health`,
    expected: { kind: "literal", text: `${OK_BODY}${expectedNote}` },
    evidence: () => [`docker exec ${container} curl -s -o /dev/null -w '%{http_code}' ${url}/api/health`, `docker exec ${container} curl -s -w ' (HTTP %{http_code})' ${url}/health`],
    judge: (result, evidence) => healthFinding(result, evidence),
  };
}

/** `docker network ls | grep backend-dev`, as Step 1 verifies it. */
export const NETWORK_LS: GuideCheck = {
  id: "network-exists",
  where: "Setup Instructions, Step 1: Ensure Backend Network Exists",
  guide: "docker network ls | grep backend-dev",
  command: () => "docker network ls | grep backend-dev",
  expected: { kind: "literal", text: "<network_id>   backend-dev   bridge    local" },
  judge: (r) =>
    /^[0-9a-f]{12}\s+backend-dev\s+bridge\s+local\s*$/m.test(r.stdout)
      ? { matches: true, finding: "listed as the guide shows it: <id> backend-dev bridge local" }
      : { matches: false, finding: `not listed as <network_id> backend-dev bridge local: ${out(r) || "(no output)"}` },
};

/** The checks after `up`, in the guide's order (the healthcheck and `down` are run by the runner). */
export const GUIDE_CHECKS: GuideCheck[] = [
  {
    id: "librechat-on-backend-dev",
    where: "Step 3: Verify Network Connectivity (and Troubleshooting: Check network membership)",
    guide: "docker network inspect backend-dev | grep -A 5 librechat",
    command: () => "docker network inspect backend-dev | grep -A 5 librechat",
    expected: { kind: "stated", text: "Should show `librechat-api` in the containers list" },
    judge: (r) =>
      /"Name": "librechat-api"/.test(r.stdout)
        ? { matches: true, finding: `librechat-api is a member of backend-dev (${/"IPv4Address": "([^"]+)"/.exec(r.stdout)?.[1] ?? "address not shown"})` }
        : { matches: false, finding: "librechat-api is not in backend-dev's containers" },
  },
  curlCheck("django-reaches-librechat", "django-dev", "Step 3: Test connectivity from Django", ""),
  curlCheck("sveltekit-reaches-librechat", "frontend-dev", "Step 3: Test connectivity from SvelteKit", " (the guide's Expected Response, given once for both)"),
  {
    id: "dns-resolves-librechat-api",
    where: "Monitoring: Check DNS resolution (Service Discovery: accessed by its container name)",
    guide: "docker exec django-dev nslookup librechat-api",
    command: () => "docker exec django-dev nslookup librechat-api",
    expected: { kind: "stated", text: "librechat-api resolves (to LibreChat's address on backend-dev)" },
    judge: (r, _e, ctx) => {
      const address = /Name:\s*librechat-api\s*\nAddress:\s*(\S+)/.exec(r.stdout)?.[1];
      if (!address) return { matches: false, finding: `librechat-api does not resolve: ${out(r).split("\n").pop() ?? ""}` };
      const right = ctx.librechatAddress === undefined || address === ctx.librechatAddress;
      return { matches: right, finding: `resolves to ${address}${right ? ", LibreChat's address on backend-dev" : `, not LibreChat's ${ctx.librechatAddress}`}` };
    },
  },
  {
    id: "ping-librechat-api",
    where: "Monitoring: Monitor Connectivity (From Django)",
    guide: "docker exec django-dev ping -c 3 librechat-api",
    command: () => "docker exec django-dev ping -c 3 librechat-api",
    expected: { kind: "stated", text: "librechat-api answers the 3 pings" },
    judge: (r) => {
      const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(r.stdout);
      const ok = m !== null && m[1] === "3" && m[2] === "3";
      return { matches: ok, finding: m ? `${m[1]} packets transmitted, ${m[2]} received` : `no ping statistics: ${out(r) || r.stderr.trim()}` };
    },
  },
  {
    id: "env-port-mongo-uri",
    where: "Troubleshooting: Check environment variables (Environment Variables: Ensure these are set)",
    guide: "docker exec librechat-api env | grep -E 'PORT|MONGO_URI'",
    command: () => "docker exec librechat-api env | grep -E 'PORT|MONGO_URI'",
    expected: { kind: "stated", text: "PORT=3080 and MONGO_URI=mongodb://mongodb:27017/LibreChat are set" },
    evidence: () => ["docker exec librechat-api sh -c \"grep -E '^(PORT|HOST|MONGO_URI)=' /app/.env\"", "docker exec librechat-api printenv HOST"],
    judge: (r, evidence) => envFinding(r, evidence),
  },
  {
    id: "health-endpoint-inside-librechat",
    where: "Troubleshooting: LibreChat Health Check Fails, 3. Test health endpoint directly",
    guide: "docker exec librechat-api curl http://localhost:3080/api/health",
    command: () => "docker exec librechat-api curl http://localhost:3080/api/health",
    expected: { kind: "literal", text: `${OK_BODY} (the guide's Expected Response for the health endpoint)` },
    evidence: () => [`docker exec librechat-api sh -c 'for p in curl wget; do command -v "$p" || echo "$p: not found"; done'`],
    judge: (r, evidence) => {
      if (out(r) === OK_BODY) return { matches: true, finding: `answers ${OK_BODY}` };
      // Docker 20.10's CLI prints the OCI error of an exec that cannot start on stdout.
      const said = `${r.stdout}\n${r.stderr}`.trim();
      const noCurl = /executable file not found|curl: not found/.test(said);
      const tools = out(evidence[0]).replace(/\n/g, "; ");
      return { matches: false, finding: noCurl ? `the LibreChat image has no curl (exit ${r.exitCode}: ${said}); in the image: ${tools}` : `answers ${said}` };
    },
  },
];

function envFinding(r: ShellResult, evidence: ShellResult[]): Judgement {
  const lines = out(r).split("\n");
  const port = lines.includes("PORT=3080");
  const mongo = lines.includes("MONGO_URI=mongodb://mongodb:27017/LibreChat");
  if (port && mongo) return { matches: true, finding: "both are in the container's environment" };
  const fromFile = out(evidence[0]).split("\n").filter((l) => l.startsWith("PORT=")).join(", ");
  const notes = [
    mongo ? "MONGO_URI=mongodb://mongodb:27017/LibreChat is shown (the compose file's environment sets it)" : "MONGO_URI is not shown",
    port ? "PORT=3080 is shown" : `PORT is not shown: Docker does not set it; LibreChat reads it from the .env Compose binds at /app/.env (${fromFile || "not there either"}), which \`env\` cannot show`,
  ];
  const extra = lines.filter((l) => l !== "" && !/^(PORT|MONGO_URI)=/.test(l));
  if (extra.length > 0) notes.push(`the pattern also matches ${extra.join(", ")}`);
  return { matches: false, finding: notes.join("; ") };
}

/** The guide's `docker ps | grep librechat`, judged by LibreChat's own line (a shared host may list others). */
export const DOCKER_PS: GuideCheck = {
  id: "librechat-running",
  where: "Troubleshooting: Verify LibreChat is running",
  guide: "docker ps | grep librechat",
  command: () => "docker ps | grep librechat",
  expected: { kind: "stated", text: "LibreChat (librechat-api) is running" },
  shown: (stdout) => {
    const lines = stdout.split("\n").filter((l) => l.trim() !== "");
    const own = lines.filter((l) => /\s(librechat-api|chat-mongodb|chat-meilisearch)\s*$/.test(l));
    const others = lines.length - own.length;
    return [...own, ...(others > 0 ? [`(${others} more lines: other containers on this host whose name or image contains "librechat", left out)`] : [])].join("\n");
  },
  judge: (r) => {
    const line = r.stdout.split("\n").find((l) => /\slibrechat-api\s*$/.test(l));
    if (!line) return { matches: false, finding: "no librechat-api line" };
    const status = line.split(/\s{2,}/).find((column) => /^(Up|Exited|Restarting|Created)\b/.test(column));
    return { matches: status?.startsWith("Up") === true, finding: `librechat-api: ${status ?? line.trim()}` };
  },
};

/** The guide's "Stop LibreChat", judged by what is left of the project's containers. */
export function downCheck(): GuideCheck {
  return {
    id: "stop-librechat",
    where: "Quick Reference: Stop LibreChat",
    guide: "docker-compose -f docker-compose.yml -f ../../compose.librechat.yaml down",
    command: (ctx) => `docker compose ${ctx.composeArgs} down`,
    deviation: "`docker compose` (v2) for `docker-compose`, with the run's project name and the harness's images file, as `up` had them",
    expected: { kind: "stated", text: "LibreChat's containers are stopped and removed" },
    evidence: (ctx) => [`docker ps -a --filter label=com.docker.compose.project=${ctx.project} --format '{{.Names}} {{.Status}}'`],
    judge: (_r, evidence) => {
      const left = out(evidence[0]);
      return left === "" ? { matches: true, finding: "no container of the project is left" } : { matches: false, finding: `left: ${left.replace(/\n/g, ", ")}` };
    },
  };
}
