import type { ServiceDescriptor } from "./descriptor.ts";
import type { RunContext } from "./run-context.ts";
import { StubContainer, type StubVariant, type StubWiring } from "./stub-container.ts";

/** The Django stub: the guide's `django-dev` on the backend network, port 8050. */
export const DJANGO = { port: 8050, alias: "django-dev" } as const;

export function djangoUrlOn(alias: string): string {
  return `http://${alias}:${DJANGO.port}`;
}

export class DjangoContainer extends StubContainer {
  constructor(image: string, run: RunContext, wiring: StubWiring, extraEnv: Record<string, string>, variant?: StubVariant) {
    const env = { LIBRECHAT_API_URL: wiring.librechatApiUrl, INTERNAL_API_TOKEN: wiring.internalToken, LIBRECHAT_ENCRYPTION_KEY: wiring.fernetKey, ...extraEnv, ...variant?.env };
    super(image, "django", run, { port: DJANGO.port, alias: variant?.alias ?? DJANGO.alias, name: variant ? `django-${variant.name}` : "django" }, env);
  }
}

/** The host URL of a stub's published port. */
export function publishedUrl(service: ServiceDescriptor | undefined, port: number): string | undefined {
  const binding = service?.ports[String(port)];
  return binding ? `http://127.0.0.1:${binding.hostPort}` : undefined;
}
