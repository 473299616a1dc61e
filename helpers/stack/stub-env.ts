/**
 * HARNESS_STUB_ENV: extra environment for both stubs, as `KEY=value` pairs separated by commas
 * or new lines (e.g. `FORWARD_CLIENT_HEADERS=false`, the fault matrix's switch).
 */
export function parseStubEnvironment(raw: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (raw ?? "").split(/[,\n]/)) {
    const trimmed = pair.trim();
    if (!trimmed) continue;
    const index = trimmed.indexOf("=");
    if (index <= 0) throw new Error(`HARNESS_STUB_ENV entry "${trimmed}" is not KEY=value; write e.g. FORWARD_CLIENT_HEADERS=false.`);
    env[trimmed.slice(0, index).trim()] = trimmed.slice(index + 1).trim();
  }
  return env;
}
