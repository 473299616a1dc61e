import { execIn } from "../docker/exec.ts";

/** What an HTTP or TCP check printed: an answer (status, body) or why there was none. */
export interface ProbeJson {
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
}

/** An HTTP GET from inside a container, with Node when it has it, else BusyBox/GNU wget. */
const NODE_FETCH =
  "fetch(process.argv[1],{signal:AbortSignal.timeout(4000)}).then(async r=>console.log(JSON.stringify({ok:true,status:r.status,body:(await r.text()).slice(0,500)}))).catch(e=>console.log(JSON.stringify({ok:false,error:String((e.cause&&e.cause.code)||e.message)})))";

export async function httpGetInside(containerId: string, url: string): Promise<ProbeJson> {
  const viaNode = await execIn(containerId, ["node", "-e", NODE_FETCH, url], { timeoutMs: 8000 });
  const line = viaNode.stdout.trim().split("\n").pop() ?? "";
  if (viaNode.exitCode === 0 && line.startsWith("{")) return JSON.parse(line) as ProbeJson;
  const viaWget = await execIn(containerId, ["wget", "-q", "-O", "-", "-T", "4", url], { timeoutMs: 8000 });
  if (viaWget.exitCode === 0) return { ok: true, status: 200, body: viaWget.stdout.slice(0, 500) };
  const status = /HTTP\/\S+ (\d{3})/.exec(viaWget.stderr)?.[1];
  if (status) return { ok: true, status: Number(status), body: "" };
  return { ok: false, error: (viaWget.stderr || viaNode.stderr).trim().slice(0, 300) || `exit ${viaWget.exitCode}` };
}
