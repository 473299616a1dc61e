// Summaries of repeated measurements: min, median and max, and ratios of medians.

export interface Summary {
  n: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: number[]): Summary {
  return { n: values.length, minMs: Math.min(...values), medianMs: median(values), maxMs: Math.max(...values) };
}

/** A ratio rounded to 2 decimals (NaN when the denominator is 0 or missing). */
export function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? Math.round((numerator / denominator) * 100) / 100 : Number.NaN;
}

/** Seconds with one decimal, for tables and progress lines. */
export function s(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(1) : "n/a";
}
