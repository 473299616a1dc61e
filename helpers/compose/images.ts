/**
 * What the harness knows about LibreChat's published images (contract.md §2). Anything else is
 * "unknown": the lint then says what to check instead of guessing.
 */
export interface ImageFacts {
  family: "librechat" | "librechat-api" | "unknown";
  /** undefined: not known for this image. */
  hasCurl: boolean | undefined;
  hasWget: boolean | undefined;
  /** ENV the image itself sets (the compose `environment` overrides it). */
  env: Record<string, string>;
}

/** The repository's last path segment without tag or digest: `registry/x/librechat-dev:latest` → `librechat-dev`. */
export function imageBaseName(image: string): string {
  const noDigest = image.split("@")[0] as string;
  const last = noDigest.split("/").pop() as string;
  return last.split(":")[0] as string;
}

export function imageFacts(image: string | undefined): ImageFacts {
  const name = image ? imageBaseName(image) : "";
  // Root Dockerfile: node alpine without curl, BusyBox wget, ENV HOST=0.0.0.0.
  if (name === "librechat" || name === "librechat-dev") return { family: "librechat", hasCurl: false, hasWget: true, env: { HOST: "0.0.0.0" } };
  // Dockerfile.multi: adds curl; its HOST default is not recorded in the contract.
  if (name === "librechat-api" || name === "librechat-dev-api") return { family: "librechat-api", hasCurl: true, hasWget: undefined, env: {} };
  return { family: "unknown", hasCurl: undefined, hasWget: undefined, env: {} };
}
