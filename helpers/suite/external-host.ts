import { spawn, spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";

/**
 * A stand-in for "the outside world": a network namespace on this host with one address and a
 * TCP listener, reached through a veth pair. A container whose network has a way out reaches it
 * through Docker's forwarding; one on an `internal: true` network must not. Nothing leaves the
 * machine: the route to the address is checked to go through the veth before any traffic.
 */
export interface ExternalHost {
  address: string;
  port: number;
  close: () => void;
}

function ip(...args: string[]): { ok: boolean; out: string } {
  const result = spawnSync("ip", args, { encoding: "utf8", timeout: 10_000 });
  return { ok: result.status === 0, out: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
}

export async function startExternalHost(): Promise<ExternalHost | { unavailable: string }> {
  if (process.getuid?.() !== 0) return { unavailable: "creating a test host needs root" };
  if (!ip("-V").ok) return { unavailable: "creating a test host needs iproute2 (ip)" };
  const tag = randomInt(0x1000, 0xffff).toString(16);
  const ns = `lch-ext-${tag}`;
  const [hostSide, nsSide] = [`lchx${tag}a`, `lchx${tag}b`];
  const octet = randomInt(1, 254);
  const [hostAddress, address] = [`198.18.${octet}.1`, `198.18.${octet}.2`];
  const close = (): void => {
    ip("netns", "del", ns);
    ip("link", "del", hostSide);
  };
  const steps: string[][] = [
    ["netns", "add", ns],
    ["link", "add", hostSide, "type", "veth", "peer", "name", nsSide],
    ["link", "set", nsSide, "netns", ns],
    ["addr", "add", `${hostAddress}/30`, "dev", hostSide],
    ["link", "set", hostSide, "up"],
    ["-n", ns, "addr", "add", `${address}/30`, "dev", nsSide],
    ["-n", ns, "link", "set", nsSide, "up"],
    ["-n", ns, "link", "set", "lo", "up"],
  ];
  for (const step of steps) {
    const result = ip(...step);
    if (!result.ok) {
      close();
      return { unavailable: `ip ${step.join(" ")} failed: ${result.out}` };
    }
  }
  const route = ip("route", "get", address);
  if (!route.ok || !route.out.includes(`dev ${hostSide}`)) {
    close();
    return { unavailable: `the route to ${address} does not go through ${hostSide}: ${route.out}` };
  }
  const port = randomInt(20_000, 60_000);
  const listener = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", `require("net").createServer((s)=>s.end("outside\\n")).listen(${port},"${address}",()=>console.log("ready"))`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    listener.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    listener.on("exit", () => resolve(false));
  });
  const closeAll = (): void => {
    listener.kill("SIGKILL");
    close();
  };
  if (!ready) {
    closeAll();
    return { unavailable: "the test host's listener did not start" };
  }
  return { address, port, close: closeAll };
}
