import fernet from "fernet";

/** Why a key is not a usable Fernet key: the Fernet library refuses it, or a round trip fails. */
export function fernetProblem(key: string | undefined): string | undefined {
  if (!key) return "it is not set";
  try {
    const secret = new fernet.Secret(key);
    const token = new fernet.Token({ secret }).encode("librechat-harness");
    return new fernet.Token({ secret, token, ttl: 0 }).decode() === "librechat-harness" ? undefined : "a token it encrypts does not decrypt";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
