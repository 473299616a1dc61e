import type { Finding, LintContext } from "./findings.ts";
import { imageBaseName, imageFacts } from "./images.ts";
import { locate } from "./locate.ts";
import { OverrideTag, pathKey, type ComposeSource } from "./source.ts";

const HEALTH_ROUTES = new Set(["/health", "/livez", "/readyz"]);

/** The healthcheck `test` as the user wrote it (before interpolation), from the file that set it last. */
function rawTest(sources: readonly ComposeSource[], service: string): unknown {
  for (let i = sources.length - 1; i >= 0; i--) {
    const src = sources[i] as ComposeSource;
    if (!src.lines.has(pathKey(["services", service, "healthcheck", "test"]))) continue;
    const svc = (src.raw.services as Record<string, Record<string, unknown>> | undefined)?.[service];
    const hc = svc?.healthcheck instanceof OverrideTag ? svc.healthcheck.value : svc?.healthcheck;
    return (hc as Record<string, unknown> | undefined)?.test;
  }
  return undefined;
}

/** The port as written in the URL (`${PORT:-3080}` stays a variable), else 3080. */
function portToken(raw: unknown): string {
  const text = Array.isArray(raw) ? raw.join(" ") : String(raw ?? "");
  const m = /https?:\/\/[^/\s"':]+:(\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*|\d+)/.exec(text);
  return m?.[1] ?? "3080";
}

function correctedTest(useCurl: boolean, port: string): string {
  const url = `http://127.0.0.1:${port}/health`;
  return useCurl ? `test: ["CMD", "curl", "-f", "${url}"]` : `test: ["CMD", "wget", "-qO-", "${url}"]`;
}

interface Probed {
  where: ReturnType<typeof locate>;
  fixLine: string;
  words: string[];
  image: string | undefined;
  hasCurl: boolean | undefined;
}

/** The healthcheck must probe a route LibreChat serves, with a program its image has. */
export function healthRules({ model }: LintContext): Finding[] {
  const name = model.librechatService;
  const svc = model.services[name];
  if (!svc) return [];
  const facts = imageFacts(svc.image);
  const hc = svc.healthcheck;
  if (!hc) {
    const where = locate(model.sources, ["services", name]);
    return [{
      rule: "healthcheck-missing",
      severity: "warning",
      ...where,
      message: `service "${name}" has no healthcheck, and LibreChat's images define none, so Docker never reports it healthy`,
      fix: `under services.${name} in the overlay add: healthcheck: { ${correctedTest(facts.hasCurl === true, "3080")}, interval: 30s, timeout: 10s, retries: 3, start_period: 40s }`,
    }];
  }
  if (hc.test[0] === "NONE") return [];
  const where = locate(model.sources, ["services", name, "healthcheck", "test"]);
  const probed: Probed = {
    where,
    fixLine: `replace ${where.file}:${where.line} with: ${correctedTest(facts.hasCurl === true, portToken(rawTest(model.sources, name)))}`,
    words: hc.test[0] === "CMD-SHELL" ? (hc.test[1] ?? "").trim().split(/\s+/) : hc.test.slice(1),
    image: svc.image,
    hasCurl: facts.hasCurl,
  };
  const findings = [...programFindings(probed), ...routeFindings(probed)];
  const url = /https?:\/\/([^/\s"':]+)/.exec(probed.words.join(" "));
  if (url?.[1] === "localhost" && findings.length === 0) {
    findings.push({
      rule: "healthcheck-localhost",
      severity: "warning",
      ...where,
      message: "the healthcheck uses localhost, which may resolve to ::1 first while LibreChat listens on IPv4 0.0.0.0",
      fix: probed.fixLine,
    });
  }
  return findings;
}

/** curl in an image without curl. */
function programFindings({ where, fixLine, words, image, hasCurl }: Probed): Finding[] {
  const program = (words[0] ?? "").split("/").pop() ?? "";
  if (program !== "curl" || hasCurl === true) return [];
  const shown = image ? imageBaseName(image) : "(no image in these files)";
  return [{
    rule: "healthcheck-binary",
    severity: hasCurl === false ? "error" : "warning",
    ...where,
    message: hasCurl === false
      ? `the healthcheck runs curl, but the ${shown} image has no curl (only the -api images from Dockerfile.multi do): the shell says "curl: not found" (exit 127) and the container never becomes healthy`
      : `the healthcheck runs curl; image ${shown} is not one whose tools are known, and the librechat/librechat-dev images have no curl (BusyBox wget, node and python3 exist)`,
    fix: fixLine,
  }];
}

/** A route that is not one of LibreChat's health routes. */
function routeFindings({ where, fixLine, words }: Probed): Finding[] {
  const url = /https?:\/\/([^/\s"':]+)(?::\d+)?(\/[^\s"']*)?/.exec(words.join(" "));
  if (!url) return [];
  const route = (url[2] ?? "/").split("?")[0] as string;
  if (route === "/api/health") {
    return [{
      rule: "healthcheck-route",
      severity: "error",
      ...where,
      message: `the healthcheck probes /api/health, a route LibreChat does not serve: since v0.8.3 it answers 404 {"message":"Endpoint not found"}, and up to v0.8.2 it answered 200 only because the SPA fallback returned index.html; the health routes are /health (and /livez, /readyz from v0.8.6)`,
      fix: fixLine,
    }];
  }
  if (HEALTH_ROUTES.has(route)) return [];
  return [{
    rule: "healthcheck-route",
    severity: "warning",
    ...where,
    message: `the healthcheck probes ${route}, which is not one of LibreChat's health routes (/health, /livez, /readyz); a non-/api path may get 200 from the SPA fallback whatever the server's state`,
    fix: fixLine,
  }];
}
