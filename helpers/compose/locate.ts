import type { ComposeSource, Segment } from "./source.ts";
import { pathKey } from "./source.ts";

export interface SourcePos {
  file: string;
  line: number;
}

/**
 * Where the merged value at `segments` was last written: the last file that has the exact path,
 * else the last file that has its nearest ancestor (the key a finding should point at).
 */
export function locate(sources: readonly ComposeSource[], segments: readonly Segment[]): SourcePos {
  for (let n = segments.length; n > 0; n--) {
    const key = pathKey(segments.slice(0, n));
    for (let i = sources.length - 1; i >= 0; i--) {
      const line = (sources[i] as ComposeSource).lines.get(key);
      if (line !== undefined) return { file: (sources[i] as ComposeSource).file, line };
    }
  }
  const first = sources[0];
  return { file: first?.file ?? "", line: 1 };
}

/** The last file and line that set `key` in a service's `environment` (list or map form). */
export function locateEnvironment(sources: readonly ComposeSource[], service: string, key: string): SourcePos | undefined {
  for (let i = sources.length - 1; i >= 0; i--) {
    const src = sources[i] as ComposeSource;
    const services = src.raw.services as Record<string, unknown> | undefined;
    const svc = services?.[service] as Record<string, unknown> | undefined;
    const env = svc?.environment;
    if (Array.isArray(env)) {
      const at = env.findIndex((e) => String(e) === key || String(e).startsWith(`${key}=`));
      const line = at >= 0 ? src.lines.get(pathKey(["services", service, "environment", at])) : undefined;
      if (line !== undefined) return { file: src.file, line };
    } else if (env && typeof env === "object" && key in env) {
      const line = src.lines.get(pathKey(["services", service, "environment", key]));
      if (line !== undefined) return { file: src.file, line };
    }
  }
  return undefined;
}

/** The line that attaches `service` to `network` (list item or map key), last file first. */
export function locateServiceNetwork(sources: readonly ComposeSource[], service: string, network: string): SourcePos | undefined {
  for (let i = sources.length - 1; i >= 0; i--) {
    const src = sources[i] as ComposeSource;
    const nets = ((src.raw.services as Record<string, Record<string, unknown>> | undefined)?.[service])?.networks;
    const seg = Array.isArray(nets) ? nets.findIndex((n) => String(n) === network) : nets && typeof nets === "object" && network in nets ? network : -1;
    const line = seg === -1 ? undefined : src.lines.get(pathKey(["services", service, "networks", seg]));
    if (line !== undefined) return { file: src.file, line };
  }
  return undefined;
}
