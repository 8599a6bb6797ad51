// The bench cases, in the order `npm run bench` runs them. Add a case: write bench/cases/<name>.ts
// with a default export satisfying BenchCase, and list it here. Each case runs in its own child
// process, so memory figures of one case are not inflated by the cases before it.
import type { BenchCase } from "../support/types.js";

export interface CaseEntry {
  name: string;
  load: () => Promise<{ default: BenchCase }>;
  /** How long the case may run before the runner gives up on it (default 5 minutes). */
  timeoutMs?: number;
}

export const CASES: readonly CaseEntry[] = [
  { name: "foundation", load: () => import("./foundation.js") },
  { name: "attendance", load: () => import("./attendance.js") },
  { name: "dues", load: () => import("./dues.js") },
  { name: "rules", load: () => import("./rules.js") },
  { name: "reports", load: () => import("./reports.js") },
  { name: "province", load: () => import("./province.js"), timeoutMs: 40 * 60_000 },
  { name: "files", load: () => import("./files.js") },
  // Four runs (one process and two, on SQLite and on PostgreSQL), each at four loads.
  { name: "webhook", load: () => import("./webhook.js"), timeoutMs: 15 * 60_000 },
];
