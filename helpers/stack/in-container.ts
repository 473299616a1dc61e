import { execIn, type ExecResult } from "../docker/exec.ts";
import { answer, noAnswer, type Observation } from "../docker/until.ts";

/** What an HTTP or TCP check printed: an answer (status, body) or why there was none. */
export interface ProbeJson {
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
}

/** Errors that mean "no answer in time" (the check says nothing), not "refused" (which it does). */
const TIMED_OUT = /TimeoutError|AbortError|aborted due to timeout|UND_ERR_CONNECT_TIMEOUT|ETIMEDOUT|timed out/i;

const NODE_FETCH =
  "fetch(process.argv[1],{signal:AbortSignal.timeout(Number(process.argv[2]))}).then(async r=>console.log(JSON.stringify({ok:true,status:r.status,body:(await r.text()).slice(0,500)}))).catch(e=>console.log(JSON.stringify({ok:false,error:String((e.cause&&e.cause.code)||e.name+': '+e.message)})))";

const TOOL_MARK = "__harness_tool__=";
const STATUS_MARK = "\n__harness_status__=";

/**
 * A GET with curl, else wget, in one `sh` exec ($1 seconds, $2 URL), naming the program it ran on
 * stderr. Proxies are unset because Node's fetch (the other path) uses none. wget runs under
 * `timeout`, never with `-T`: Debian bookworm's BusyBox 1.35 wget segfaults whenever it is given
 * -T; `-t 1` stops GNU wget's retries (BusyBox accepts and ignores it).
 */
const SHELL_GET = [
  "unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY",
  `if command -v curl >/dev/null 2>&1; then echo ${TOOL_MARK}curl >&2; exec curl -sS -L -m "$1" -w '${STATUS_MARK.replace("\n", "\\n")}%{http_code}' "$2"; fi`,
  `if command -v wget >/dev/null 2>&1; then echo ${TOOL_MARK}wget >&2`,
  '  if command -v timeout >/dev/null 2>&1; then exec timeout "$1" wget -t 1 -S -O - "$2"; fi',
  '  exec wget -t 1 -S -O - "$2"',
  "fi",
  `echo ${TOOL_MARK}none >&2; exit 127`,
].join("\n");

/** Containers known to lack a program (no Node; no shell with curl or wget): no exec is spent on it again. */
const lacking = { node: new Set<string>(), shell: new Set<string>() };

/** Docker's exit status for a program that is not in the image (126), a shell's (127). */
const NOT_FOUND = new Set([126, 127]);

/** A path that could not make the GET: why, for the answer when no path could. */
type Unable = { unable: string };

/** Exit statuses of a GET that `timeout` stopped: 124 (coreutils), 143 (BusyBox: SIGTERM). */
const STOPPED_BY_TIMEOUT = new Set([124, 143]);

function fromCurl(result: ExecResult, timeoutMs: number): Observation<ProbeJson> {
  const error = result.stderr.replace(`${TOOL_MARK}curl`, "").trim().slice(0, 300);
  // 28: curl's own -m ran out.
  if (result.exitCode === 28) return noAnswer(`no answer within ${timeoutMs} ms (${error})`);
  const index = result.stdout.lastIndexOf(STATUS_MARK);
  const status = index >= 0 ? Number(result.stdout.slice(index + STATUS_MARK.length).trim()) : 0;
  if (result.exitCode === 0 && status > 0) return answer({ ok: true, status, body: result.stdout.slice(0, index).slice(0, 500) });
  return answer({ ok: false, error: error || `curl exit ${result.exitCode}` });
}

function fromWget(result: ExecResult, timeoutMs: number): Observation<ProbeJson> {
  const lines = result.stderr.split("\n").filter((line) => !line.startsWith(TOOL_MARK));
  const statuses = [...result.stderr.matchAll(/HTTP\/\S+ (\d{3})/g)].map((m) => Number(m[1]));
  const status = statuses.at(-1);
  // Stopped by `timeout`, even after a status line: the answer did not come whole in time.
  if (STOPPED_BY_TIMEOUT.has(result.exitCode)) return noAnswer(`no answer within ${timeoutMs} ms (wget stopped by timeout)`);
  // -S prints the status line; a wget without it says nothing on success but exit 0.
  if (result.exitCode === 0) return answer({ ok: true, status: status ?? 200, body: result.stdout.slice(0, 500) });
  // wget keeps no body of an error status (callers that need it get Node first).
  if (status !== undefined) return answer({ ok: true, status, body: "" });
  if (result.exitCode > 128) return noAnswer(`wget was killed by signal ${result.exitCode - 128}`);
  const error = lines.filter((line) => /^wget:|failed|error/i.test(line)).join(" ").trim().slice(0, 300) || `wget exit ${result.exitCode}`;
  return TIMED_OUT.test(error) ? noAnswer(`no answer within ${timeoutMs} ms (${error})`) : answer({ ok: false, error });
}

/** The GET with curl or wget through `sh`. */
async function viaShell(containerId: string, url: string, timeoutMs: number): Promise<Observation<ProbeJson> | Unable> {
  const seconds = String(Math.max(1, Math.round(timeoutMs / 1000)));
  const execTimeoutMs = timeoutMs + 15_000;
  const result = await execIn(containerId, ["sh", "-c", SHELL_GET, "sh", seconds, url], { timeoutMs: execTimeoutMs });
  if (result.timedOut) return noAnswer(`the GET in the container did not finish within ${execTimeoutMs} ms`);
  const tool = new RegExp(`${TOOL_MARK}(\\w+)`).exec(result.stderr)?.[1];
  if (tool === "curl") return fromCurl(result, timeoutMs);
  if (tool === "wget") return fromWget(result, timeoutMs);
  if (tool === "none" || NOT_FOUND.has(result.exitCode)) lacking.shell.add(containerId);
  return { unable: tool === "none" ? "no curl or wget" : (result.stderr || result.stdout).trim().slice(0, 300) || `sh exit ${result.exitCode}` };
}

/** The GET with Node's fetch. */
async function viaNode(containerId: string, url: string, timeoutMs: number): Promise<Observation<ProbeJson> | Unable> {
  const execTimeoutMs = timeoutMs + 15_000;
  const result = await execIn(containerId, ["node", "-e", NODE_FETCH, url, String(timeoutMs)], { timeoutMs: execTimeoutMs });
  if (result.timedOut) return noAnswer(`node in the container did not finish within ${execTimeoutMs} ms`);
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (result.exitCode === 0 && line.startsWith("{")) {
    const seen = JSON.parse(line) as ProbeJson;
    return !seen.ok && TIMED_OUT.test(seen.error ?? "") ? noAnswer(`no answer within ${timeoutMs} ms (${seen.error})`) : answer(seen);
  }
  if (NOT_FOUND.has(result.exitCode)) lacking.node.add(containerId);
  return { unable: (result.stderr || result.stdout).trim().slice(0, 300) || `node exit ${result.exitCode}` };
}

export interface InsideOptions {
  /**
   * true (the default): the body of an error status matters (a diagnosis quotes it), so Node's
   * fetch goes first and wget, which keeps no such body, only where there is no Node. false (a
   * readiness poll): the cheapest program goes first, curl or wget (~60 ms an exec), Node last
   * (~220 ms, and CPU taken from the service it asks).
   */
  errorBody?: boolean;
}

/**
 * GET `url` from inside a container. An answer is an HTTP status, or a definite refusal
 * (nothing listens, the name is unknown); a request that timed out, or an exec that could not
 * finish, is no answer.
 */
export async function httpGetInside(containerId: string, url: string, timeoutMs = 4000, options: InsideOptions = {}): Promise<Observation<ProbeJson>> {
  const paths = [
    { known: lacking.node, get: viaNode },
    { known: lacking.shell, get: viaShell },
  ];
  if (options.errorBody === false) paths.reverse();
  const unable: string[] = [];
  for (const path of paths) {
    if (path.known.has(containerId)) continue;
    const seen = await path.get(containerId, url, timeoutMs);
    if (!("unable" in seen)) return seen;
    unable.push(seen.unable);
  }
  // A definite answer, as a refusal is: no program in this container will ever make the request.
  return answer({ ok: false, error: unable.join("; ") || "the container has no program to make an HTTP request with (no curl, wget or node)" });
}
