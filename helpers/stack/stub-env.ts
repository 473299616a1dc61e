/**
 * HARNESS_STUB_ENV (both stubs) and HARNESS_LLM_ENV (the mock LLM): extra environment as
 * `KEY=value` pairs separated by commas or new lines (e.g. `FORWARD_CLIENT_HEADERS=false`).
 */
export function parseStubEnvironment(raw: string | undefined, variable = "HARNESS_STUB_ENV"): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (raw ?? "").split(/[,\n]/)) {
    const trimmed = pair.trim();
    if (!trimmed) continue;
    const index = trimmed.indexOf("=");
    if (index <= 0) throw new Error(`${variable} entry "${trimmed}" is not KEY=value; write e.g. FORWARD_CLIENT_HEADERS=false.`);
    env[trimmed.slice(0, index).trim()] = trimmed.slice(index + 1).trim();
  }
  return env;
}
