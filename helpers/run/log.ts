// The harness's own log lines, in a module of their own: vitest's process imports it without
// the preflight's modules.
export type Log = (line: string) => void;

export const harnessLog: Log = (line) => process.stdout.write(`[harness] ${line}\n`);
