import net from "node:net";
import { docker } from "../docker/client.ts";
import type { ServiceDefinition } from "../compose/service-definition.ts";

export class PortInUseError extends Error {
  override name = "PortInUseError";
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Who holds a host port, where Docker can tell (another container publishing it). */
async function holderOf(port: number): Promise<string> {
  const containers = await docker().listContainers();
  for (const container of containers) {
    if (container.Ports.some((p) => p.PublicPort === port)) {
      return `container ${container.Names[0]?.replace(/^\//, "") ?? container.Id.slice(0, 12)} (${container.Image}) publishes it`;
    }
  }
  return "a process on this host holds it (find it with `ss -ltnp 'sport = :" + port + "'`)";
}

/** Checks before start that the compose file's host ports are free, naming the holder when not. */
export async function checkHostPorts(definition: ServiceDefinition): Promise<void> {
  for (const mapping of definition.ports) {
    if (mapping.host === undefined) continue;
    const free = (await portFree(mapping.host, "127.0.0.1")) && (await portFree(mapping.host, "0.0.0.0"));
    if (!free) {
      throw new PortInUseError(
        `LibreChat's host port ${mapping.host} (${definition.sourceFiles.join(" + ")}: "${mapping.host}:${mapping.container}") is already in use: ${await holderOf(mapping.host)}. ` +
          "Stop that service, or change PORT in LibreChat's .env (the guide's Port Conflict fix).",
      );
    }
  }
}
