import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { detectComposeCli } from "../compose/compose-cli.ts";
import { CORRECTED_OVERLAY, readConfig, type HarnessConfig } from "../config.ts";
import { resolveImages, type ImageCatalog } from "../images/catalog.ts";
import { loadLibreChatInput, type LibreChatInput } from "../run/compose-input.ts";
import type { NetworkKey, ServiceRole } from "../stack/descriptor.ts";
import { DjangoContainer } from "../stack/django.ts";
import { librechatRuntime } from "../stack/librechat-env.ts";
import { LibreChatContainer, librechatAttachments } from "../stack/librechat.ts";
import { CHAT_ENDPOINT } from "../stack/librechat-yaml.ts";
import { MeiliSearchContainer } from "../stack/meilisearch.ts";
import { MockLlmContainer } from "../stack/mock-llm.ts";
import { MongoDbContainer } from "../stack/mongodb.ts";
import { ProbeContainer } from "../stack/probe.ts";
import type { RunContext } from "../stack/run-context.ts";
import { generateSecrets, type StackSecrets } from "../stack/secrets.ts";
import type { Attachment, ServiceContainer, StartedService } from "../stack/service-container.ts";
import { librechatApiUrl } from "../stack/stack-descriptor.ts";
import { SvelteKitContainer } from "../stack/sveltekit.ts";
import { hasUpstream, librechatCheckout } from "../testing/compose-files.ts";
import { BENCH_ROLE_LABEL, composeEquivalent, composeYaml, type ComposeEquivalent } from "./compose-equivalent.ts";

/** What a role container holds before start (GenericContainer's protected state, read for the comparison only). */
interface Declared {
  imageName: { string: string };
  environment: Record<string, string>;
  serviceAttachments: Attachment[];
  createOpts: { Cmd?: string[]; User?: string };
  hostConfig: { PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>; Mounts?: { Type: string; Source: string; Target: string }[]; ExtraHosts?: string[]; RestartPolicy?: { Name: string } };
  contentsToCopy: { target: string }[];
}

const LIBRECHAT_YAML = "/tmp/bench/librechat.yaml";

const RUN: RunContext = {
  owner: { runId: "lch-test", pid: 1 },
  networks: {
    backend: { key: "backend", name: "lch-test-backend", id: "b", internal: false },
    "librechat-internal": { key: "librechat-internal", name: "lch-test-librechat-internal", id: "i", internal: false },
  },
  extraLabels: {},
  startupTimeoutMs: 180_000,
  timeScale: 1,
};

/** The containers a stack start of this configuration creates, by role, as the role modules declare them. */
function declaredContainers(config: HarnessConfig, input: LibreChatInput, images: ImageCatalog, secrets: StackSecrets): Record<ServiceRole, Declared> {
  const probe = new Promise<StartedService>(() => undefined);
  const { runtime } = librechatRuntime(input.definition, secrets);
  const wiring = { librechatApiUrl: librechatApiUrl(runtime), internalToken: secrets.internalToken, fernetKey: secrets.fernetKey };
  const containers: Record<ServiceRole, ServiceContainer> = {
    probe: new ProbeContainer(RUN),
    mongodb: new MongoDbContainer(images.mongodb.ref, RUN, input.services.mongodb, input.dataNetworks.mongodb, probe),
    meilisearch: new MeiliSearchContainer(images.meilisearch.ref, RUN, input.services.meilisearch, input.dataNetworks.meilisearch, secrets.meiliKey, probe),
    llm: new MockLlmContainer(images.llm.ref, RUN, [CHAT_ENDPOINT.model], config.llmEnvironment, probe),
    librechat: new LibreChatContainer(images.librechat.ref, RUN, runtime, librechatAttachments(input.definition), { hostPorts: config.hostPorts }),
    django: new DjangoContainer(images.django.ref, RUN, wiring, config.stubEnvironment),
    sveltekit: new SvelteKitContainer(images.sveltekit.ref, RUN, wiring, config.stubEnvironment),
  };
  return Object.fromEntries(Object.entries(containers).map(([role, c]) => [role, c as unknown as Declared])) as Record<ServiceRole, Declared>;
}

async function equivalentOf(env: Record<string, string>) {
  const config = readConfig({ LIBRECHAT_OVERLAY: CORRECTED_OVERLAY, ...env });
  const input = await loadLibreChatInput(config);
  const images = resolveImages(config, input.composeImages);
  const secrets = generateSecrets();
  const model = composeEquivalent({ config, input, images, secrets, librechatYamlFile: LIBRECHAT_YAML });
  return { config, input, images, secrets, model };
}

function byRole(model: ComposeEquivalent): Record<string, ComposeEquivalent["services"][string]> {
  return Object.fromEntries(Object.values(model.services).map((s) => [s.labels[BENCH_ROLE_LABEL] ?? "?", s]));
}

const networksOf = (d: Declared): Partial<Record<NetworkKey, string[]>> => Object.fromEntries(d.serviceAttachments.map((a) => [a.key, a.aliases]));

describe("the compose-equivalent file", () => {
  const cases: [string, Record<string, string>][] = [
    ["the built-in default input, with stub and LLM switches", { HARNESS_STUB_ENV: "FORWARD_CLIENT_HEADERS=false", HARNESS_LLM_ENV: "MOCK_DELAY_MS=5" }],
    ["the compose file's own host ports, prod profile", { HARNESS_HOST_PORTS: "compose", HARNESS_PROFILE: "prod" }],
  ];
  if (hasUpstream("v0.8.7")) cases.push(["LibreChat v0.8.7's own docker-compose.yml", { LIBRECHAT_DIR: librechatCheckout("v0.8.7") }]);
  it.each(cases)("has the services, images, environment, networks, aliases, ports and volumes a stack start declares: %s", async (_name, env) => {
    const { config, input, images, secrets, model } = await equivalentOf(env);
    const declared = declaredContainers(config, input, images, secrets);
    const services = byRole(model);
    expect(Object.keys(services).sort()).toEqual(Object.keys(declared).sort());
    for (const [role, d] of Object.entries(declared)) expectSame(role, services[role]!, d);
  });

  it("waits as the harness starts: a readiness healthcheck every second on each service but the probe, in the harness's order", async () => {
    const { model } = await equivalentOf({});
    const services = byRole(model);
    for (const [role, s] of Object.entries(services)) {
      if (role === "probe") expect(s.healthcheck).toBeUndefined();
      else expect(s.healthcheck?.interval, role).toBe("1s");
    }
    expect(services.librechat?.healthcheck?.test.join(" ")).toContain("/readyz");
    expect(services.mongodb?.healthcheck?.test.join(" ")).toContain("ping");
    expect(Object.values(services.librechat?.depends_on ?? {}).map((d) => d.condition)).toEqual(["service_started", "service_healthy", "service_healthy", "service_healthy"]);
    expect(Object.keys(services.django?.depends_on ?? {})).toEqual([input(model, "librechat")]);
    expect(model.networks["librechat-internal"].internal).toBeUndefined();
    expect((await equivalentOf({ HARNESS_PROFILE: "prod" })).model.networks["librechat-internal"].internal).toBe(true);
  });

  it("hands every value over literally (Compose interpolates `$`) and keeps the secrets out of the redacted copy", async () => {
    const { model, secrets } = await equivalentOf({});
    const text = composeYaml(model);
    expect(text).toContain("$$(wget");
    expect(text).not.toMatch(/[^$]\$\(wget/);
    const redacted = composeYaml(model, secrets);
    for (const secret of Object.values(secrets)) expect(redacted).not.toContain(secret);
  });

  it("is accepted by `docker compose config` when Compose v2 is installed", async (context) => {
    const cli = await detectComposeCli();
    if (cli?.kind !== "v2") return context.skip("Compose v2 is not installed");
    const { model } = await equivalentOf({});
    const dir = mkdtempSync(path.join(tmpdir(), "bench-compose-"));
    const file = path.join(dir, "compose.yaml");
    writeFileSync(file, composeYaml(model));
    const { stdout, stderr } = await promisify(execFile)(cli.argv[0]!, [...cli.argv.slice(1), "-p", "bench-check", "-f", file, "config", "--format", "json"]);
    expect(stderr).not.toMatch(/variable is not set/);
    const parsed = JSON.parse(stdout) as { services: Record<string, { image: string; networks: Record<string, { aliases?: string[] } | null> }> };
    expect(Object.keys(parsed.services).sort()).toEqual(Object.keys(model.services).sort());
    for (const [name, service] of Object.entries(model.services)) {
      expect(parsed.services[name]?.image).toBe(service.image);
      expect(Object.keys(parsed.services[name]?.networks ?? {}).sort()).toEqual(Object.keys(service.networks).sort());
    }
  });
});

/** One service of the file against the container the role module declares. */
function expectSame(role: string, s: ComposeEquivalent["services"][string], d: Declared): void {
  expect(s.image, role).toBe(d.imageName.string);
  expect(s.environment, role).toEqual(d.environment);
  expect(Object.fromEntries(Object.entries(s.networks).map(([k, v]) => [k, v?.aliases])), role).toEqual(networksOf(d));
  expect((s.ports ?? []).map((p) => `${p.host_ip}:${p.published ?? ""}:${p.target}`), role).toEqual(
    Object.entries(d.hostConfig.PortBindings ?? {}).map(([key, [b]]) => `${b?.HostIp}:${b?.HostPort}:${key.replace("/tcp", "")}`),
  );
  // Bound files by source and target, volumes by target; the harness copies librechat.yaml where the file binds it.
  const mounts = (d.hostConfig.Mounts ?? []).map((m) => `${m.Type}:${m.Type === "bind" ? m.Source : ""}:${m.Target}`).concat(d.contentsToCopy.map((c) => `bind:${LIBRECHAT_YAML}:${c.target}`));
  expect((s.volumes ?? []).map((v) => `${v.type}:${v.type === "bind" ? v.source : ""}:${v.target}`), role).toEqual(mounts);
  expect(s.command, role).toEqual(d.createOpts.Cmd);
  expect(s.user, role).toEqual(d.createOpts.User);
  expect(s.extra_hosts, role).toEqual(d.hostConfig.ExtraHosts);
  expect(s.restart ?? "", role).toBe(d.hostConfig.RestartPolicy?.Name ?? "");
}

/** The compose service name of a role. */
function input(model: ComposeEquivalent, role: string): string {
  return Object.entries(model.services).find(([, s]) => s.labels[BENCH_ROLE_LABEL] === role)?.[0] ?? "?";
}
