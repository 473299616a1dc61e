import { docker } from "../docker/client.ts";

/** Where a LibreChat image came from, for the report: its version, how it came to be, and its source commit. */
export interface ImageProvenance {
  version: string;
  /** built-airgapped | built-dockerfile (the harness built it from a checkout) | harness-fixture | registry-image */
  origin: string;
  commit: string | undefined;
}

const ORIGIN_LABEL = "io.librechat-harness.origin";
const FIXTURE_LABEL = "io.librechat-harness.fixture";

/** An image's version: its OCI version label, else its tag, else "unknown". */
export async function imageVersion(ref: string): Promise<string> {
  return (await imageProvenance(ref)).version;
}

export async function imageProvenance(ref: string): Promise<ImageProvenance> {
  const tag = /:([^/:@]+)$/.exec(ref)?.[1] ?? "unknown";
  try {
    const labels = (await docker().getImage(ref).inspect()).Config?.Labels ?? {};
    const origin = labels[ORIGIN_LABEL] ?? (labels[FIXTURE_LABEL] ? "harness-fixture" : "registry-image");
    return { version: labels["org.opencontainers.image.version"] ?? tag, origin, commit: labels["org.opencontainers.image.revision"] };
  } catch {
    return { version: tag, origin: "registry-image", commit: undefined };
  }
}
