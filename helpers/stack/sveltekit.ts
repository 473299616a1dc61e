import { djangoUrlOn, DJANGO } from "./django.ts";
import type { RunContext } from "./run-context.ts";
import { StubContainer, type StubVariant, type StubWiring } from "./stub-container.ts";

/** The SvelteKit stub: the guide's `frontend-dev` on the backend network, port 3000. */
export const SVELTEKIT = { port: 3000, alias: "frontend-dev" } as const;

export class SvelteKitContainer extends StubContainer {
  constructor(image: string, run: RunContext, wiring: StubWiring, extraEnv: Record<string, string>, variant?: StubVariant) {
    const env = { LIBRECHAT_API_URL: wiring.librechatApiUrl, INTERNAL_API_TOKEN: wiring.internalToken, DJANGO_API_URL: djangoUrlOn(DJANGO.alias), ...extraEnv, ...variant?.env };
    super(image, "sveltekit", run, { port: SVELTEKIT.port, alias: variant?.alias ?? SVELTEKIT.alias, name: variant ? `sveltekit-${variant.name}` : "sveltekit" }, env);
  }
}
