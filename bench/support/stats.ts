// Small statistics and memory helpers shared by bench cases.

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const n = samples.length;
  return {
    n,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: n === 0 ? Number.NaN : Math.max(...samples),
    mean: n === 0 ? Number.NaN : samples.reduce((sum, x) => sum + x, 0) / n,
  };
}

export const MB = 1024 * 1024;

/** Current resident set size in MB. */
export function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

/** The process's peak resident set size so far in MB (getrusage ru_maxrss, which Node reports in KB). */
export function peakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

/** Deterministic PRNG (mulberry32) so runs draw the same sequence of users and pages. */
export { seededRandom } from "../../test/support/random.js";

export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick from an empty list");
  return items[Math.floor(random() * items.length)]!;
}
