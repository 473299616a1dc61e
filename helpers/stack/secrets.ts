import { randomBytes } from "node:crypto";

/** Every secret of one run, generated per run and never printed. */
export interface StackSecrets {
  jwt: string;
  jwtRefresh: string;
  credsKey: string;
  credsIv: string;
  meiliKey: string;
  /** The stubs' shared token for Django's tests-only internal route. */
  internalToken: string;
  /** Django's LIBRECHAT_ENCRYPTION_KEY: a Fernet key (32 random bytes, URL-safe base64). */
  fernetKey: string;
}

export function generateSecrets(): StackSecrets {
  return {
    jwt: randomBytes(32).toString("hex"),
    jwtRefresh: randomBytes(32).toString("hex"),
    credsKey: randomBytes(32).toString("hex"),
    credsIv: randomBytes(16).toString("hex"),
    meiliKey: randomBytes(24).toString("base64url"),
    internalToken: randomBytes(24).toString("hex"),
    fernetKey: `${randomBytes(32).toString("base64url")}=`,
  };
}
