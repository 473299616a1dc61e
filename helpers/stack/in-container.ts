import { execIn } from "../docker/exec.ts";
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

/** An HTTP GET from inside a container, with Node when it has it, else BusyBox/GNU wget. */
const NODE_FETCH =
  "fetch(process.argv[1],{signal:AbortSignal.timeout(Number(process.argv[2]))}).then(async r=>console.log(JSON.stringify({ok:true,status:r.status,body:(await r.text()).slice(0,500)}))).catch(e=>console.log(JSON.stringify({ok:false,error:String((e.cause&&e.cause.code)||e.name+': '+e.message)})))";

/**
 * GET `url` from inside a container. An answer is an HTTP status, or a definite refusal
 * (nothing listens, the name is unknown); a request that timed out, or an exec that could not
 * finish, is no answer.
 */
export async function httpGetInside(containerId: string, url: string, timeoutMs = 4000): Promise<Observation<ProbeJson>> {
  const execTimeoutMs = timeoutMs + 15_000;
  const viaNode = await execIn(containerId, ["node", "-e", NODE_FETCH, url, String(timeoutMs)], { timeoutMs: execTimeoutMs });
  if (viaNode.timedOut) return noAnswer(`node in the container did not finish within ${execTimeoutMs} ms`);
  const line = viaNode.stdout.trim().split("\n").pop() ?? "";
  if (viaNode.exitCode === 0 && line.startsWith("{")) {
    const seen = JSON.parse(line) as ProbeJson;
    return !seen.ok && TIMED_OUT.test(seen.error ?? "") ? noAnswer(`no answer within ${timeoutMs} ms (${seen.error})`) : answer(seen);
  }
  const seconds = String(Math.max(1, Math.round(timeoutMs / 1000)));
  const viaWget = await execIn(containerId, ["wget", "-q", "-O", "-", "-T", seconds, url], { timeoutMs: execTimeoutMs });
  if (viaWget.timedOut) return noAnswer(`wget in the container did not finish within ${execTimeoutMs} ms`);
  if (viaWget.exitCode === 0) return answer({ ok: true, status: 200, body: viaWget.stdout.slice(0, 500) });
  const status = /HTTP\/\S+ (\d{3})/.exec(viaWget.stderr)?.[1];
  if (status) return answer({ ok: true, status: Number(status), body: "" });
  const error = (viaWget.stderr || viaNode.stderr).trim().slice(0, 300) || `exit ${viaWget.exitCode}`;
  return TIMED_OUT.test(error) ? noAnswer(`no answer within ${timeoutMs} ms (${error})`) : answer({ ok: false, error });
}
