import { docker } from "../docker/client.ts";

/** An image's version: its OCI version label, else its tag, else "unknown". */
export async function imageVersion(ref: string): Promise<string> {
  try {
    const info = await docker().getImage(ref).inspect();
    const label = info.Config?.Labels?.["org.opencontainers.image.version"];
    if (label) return label;
  } catch {
    // fall back to the tag below
  }
  const tag = /:([^/:@]+)$/.exec(ref)?.[1];
  return tag ?? "unknown";
}
