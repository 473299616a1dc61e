import { httpReadiness } from "./http-readiness.ts";
import { ProbeWaitStrategy } from "./readiness.ts";
import type { RunContext } from "./run-context.ts";
import { ServiceContainer } from "./service-container.ts";

/** What both stubs are told about the run: where LibreChat is, and the run's shared secrets. */
export interface StubWiring {
  librechatApiUrl: string;
  internalToken: string;
  fernetKey: string;
}

/** A copy of a stub beside the run's own, under another name and alias (the fault matrix's switches). */
export interface StubVariant {
  name: string;
  alias: string;
  env: Record<string, string>;
}

/** A stub on the backend network only, its port published on loopback, ready when its /health answers. */
export class StubContainer extends ServiceContainer {
  constructor(image: string, role: "django" | "sveltekit", run: RunContext, stub: { port: number; alias: string; name: string }, environment: Record<string, string>) {
    super(image, role, run, [{ key: "backend", aliases: [stub.alias] }], stub.name);
    // Its port is published on loopback, so the host asks first (http-readiness.ts).
    const probe = httpReadiness({
      port: stub.port,
      path: "/health",
      timeoutMs: 4000 * run.timeScale,
      judge: async (seen, _again, where) => ({ ready: seen.ok && seen.status === 200, detail: `GET /health ${where} → ${seen.status ?? seen.error}` }),
    });
    this.withEnvironment(environment).withLoopbackPorts(stub.port).withWaitStrategy(new ProbeWaitStrategy(stub.name, probe, run.startupTimeoutMs));
  }
}
