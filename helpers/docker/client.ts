import Docker from "dockerode";

let shared: Docker | undefined;

/** One Engine API client per process; docker-modem honours DOCKER_HOST like the CLI. */
export function docker(): Docker {
  shared ??= new Docker();
  return shared;
}

export class DockerUnavailableError extends Error {
  override name = "DockerUnavailableError";
}

/** Fails with one sentence that says what to do when no engine answers. */
export async function assertDockerReachable(): Promise<void> {
  const where = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  try {
    await docker().ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DockerUnavailableError(
      `No Docker engine answers at ${where} (${reason}); start Docker (on a bare Debian host: bash .ci/run does it) or set DOCKER_HOST.`,
    );
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
