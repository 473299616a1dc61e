import { existsSync, readFileSync, statSync } from "node:fs";
import { parseDotenv, readAsLibreChat } from "./dotenv.ts";
import { imageFacts } from "./images.ts";
import { locateEnvironment, type SourcePos } from "./locate.ts";
import type { ComposeModel } from "./model.ts";

export interface RuntimeValue {
  value: string | undefined;
  from: "environment" | "image" | "mounted .env" | "unset";
  /** Where the value was written, when it came from a file. */
  pos: SourcePos | undefined;
}

/**
 * The value LibreChat's process will see for `key`: the compose `environment` (Docker sets it),
 * else the image's own ENV, else the `.env` bind-mounted at `/app/.env` (LibreChat's dotenv only
 * fills variables the process does not already have).
 */
export function runtimeValue(model: ComposeModel, service: string, key: string): RuntimeValue {
  const svc = model.services[service];
  if (!svc) return { value: undefined, from: "unset", pos: undefined };
  if (key in svc.environment) return { value: svc.environment[key], from: "environment", pos: locateEnvironment(model.sources, service, key) };
  const fromImage = imageFacts(svc.image).env[key];
  if (fromImage !== undefined) return { value: fromImage, from: "image", pos: undefined };
  const mount = svc.volumes.find((v) => v.target === "/app/.env" && v.type === "bind" && v.source);
  if (mount?.source && existsSync(mount.source) && statSync(mount.source).isFile()) {
    const text = readFileSync(mount.source, "utf8");
    const values = readAsLibreChat(text);
    if (key in values) return { value: values[key], from: "mounted .env", pos: { file: mount.source, line: parseDotenv(text, mount.source).lines[key] ?? 1 } };
  }
  return { value: undefined, from: "unset", pos: undefined };
}
