// The compose-equivalent file's healthchecks: each the harness's readiness probe for that service,
// run inside the service's own container, so that `docker compose up --wait` waits for the same
// readiness the harness waits for. Written as plain shell; compose-equivalent.ts escapes `$`.

/** A compose healthcheck, in the compose file's own spelling. */
export interface ComposeHealthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  start_period: string;
}

/** Every check every second: the harness polls every 250 ms, Compose's shortest usual interval is 1 s. */
export const HEALTH_INTERVAL_S = 1;
/** One request's timeout, as the harness's in-container probe uses (4 s). */
const REQUEST_TIMEOUT_S = 4;

/**
 * LibreChat (librechat.ts readinessProbe), with the image's BusyBox wget: ready on GET /readyz
 * 200 "OK"; a 503 is "not yet"; a /readyz that answers otherwise (404, or the SPA page of a
 * version without the route) hands the decision to GET /health 200; no answer is "not yet".
 * No `-T`: Debian bookworm's BusyBox 1.35 wget dies with SIGSEGV whenever it is given; the
 * healthcheck's own timeout bounds the two requests instead.
 */
export function librechatCheck(port: number): string {
  const base = `http://127.0.0.1:${port}`;
  return [
    `if r=$(wget -q -O - ${base}/readyz 2>&1); then [ "$r" = OK ] && exit 0;`,
    `else case "$r" in *"HTTP/"*" 503"*) exit 1;; *"HTTP/"*) ;; *) exit 1;; esac; fi;`,
    `exec wget -q -O /dev/null ${base}/health`,
  ].join(" ");
}

/** The stubs, the mock LLM and MeiliSearch: GET /health answers exactly 200 (their probes' test), with curl. */
export function healthRouteCheck(port: number): string {
  return `[ "$(curl -s -o /dev/null -m ${REQUEST_TIMEOUT_S} -w '%{http_code}' http://127.0.0.1:${port}/health)" = 200 ]`;
}

/**
 * MongoDB: the harness sends `{ping: 1}` to the admin database over the wire (the probe's MongoDB
 * driver) and is ready on `ok: 1`. Inside the container the same command goes over the same wire
 * protocol: with mongosh where the image has it (the mongo images), else with Node (the
 * air-gapped stand-in's front runs on Node) as one OP_MSG, its reply checked for `ok: 1`.
 */
export function mongoCheck(port: number): string {
  const mongosh = `mongosh --quiet --norc --eval 'quit(db.adminCommand({ ping: 1 }).ok === 1 ? 0 : 1)' mongodb://127.0.0.1:${port}/admin`;
  return `if command -v mongosh >/dev/null 2>&1; then exec ${mongosh}; else exec node -e '${opMsgPing(port)}'; fi`;
}

/** `{ping: 1, $db: "admin"}` as one OP_MSG (opcode 2013); exit 0 when the reply holds ok: 1 (a double or an int32). */
function opMsgPing(port: number): string {
  return [
    "const i=n=>{const b=Buffer.alloc(4);b.writeInt32LE(n);return b};",
    'const el=(t,k,v)=>Buffer.concat([Buffer.from([t]),Buffer.from(k+"\\0"),v]);',
    'const body=Buffer.concat([el(16,"ping",i(1)),el(2,"$db",Buffer.concat([i(6),Buffer.from("admin\\0")])),Buffer.from([0])]);',
    "const doc=Buffer.concat([i(body.length+4),body]);",
    "const msg=Buffer.concat([i(21+doc.length),i(1),i(0),i(2013),i(0),Buffer.from([0]),doc]);",
    "const okDouble=Buffer.from([1,111,107,0,0,0,0,0,0,0,240,63]),okInt=Buffer.from([16,111,107,0,1,0,0,0]);",
    `const s=require("net").connect(${port},"127.0.0.1",()=>s.write(msg));let got=Buffer.alloc(0);`,
    "s.on(\"data\",d=>{got=Buffer.concat([got,d]);if(got.length>=4&&got.length>=got.readInt32LE(0))process.exit(got.includes(okDouble)||got.includes(okInt)?0:1)});",
    `s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),${REQUEST_TIMEOUT_S * 1000});`,
  ].join("");
}

/**
 * A shell healthcheck at the bench's interval. It may fail for as long as the harness lets a
 * service start (start_period), and turns unhealthy after 3 failures past it, as the harness's
 * start-up deadline fails a start.
 */
export function healthcheck(shell: string, startPeriodMs: number, requests = 1): ComposeHealthcheck {
  return {
    test: ["CMD-SHELL", shell],
    interval: `${HEALTH_INTERVAL_S}s`,
    timeout: `${REQUEST_TIMEOUT_S * requests + 1}s`,
    retries: 3,
    start_period: `${Math.ceil(startPeriodMs / 1000)}s`,
  };
}
