// The contract between bench cases and the runner. A case measures something and returns figures;
// the runner prints them in one table with each figure's target and verdict.

/**
 * A ceiling a figure must stay under (`value < max` passes, anything else is OVER), or a floor it must
 * reach (`value >= min` passes, anything else is UNDER: throughputs).
 */
export type Target = { max: number } | { min: number };

export interface Figure {
  /** What was measured, e.g. "/start p99". */
  label: string;
  value: number;
  /** "s" and "/s" (a rate) print with 2 and 1 decimals; "ratio" is a bare number with 2 decimals. */
  unit: "ms" | "s" | "MB" | "count" | "/s" | "ratio";
  /** Absent for figures shown for context only (p50, max, ...). */
  target?: Target;
}

export interface CaseResult {
  figures: Figure[];
  /** Free-form lines shown under the case (data set, sample counts, ...). */
  notes: string[];
  /**
   * Problems that make the figures untrustworthy (handler errors, unexpected replies). A case with
   * problems fails the run whatever its figures.
   */
  problems: string[];
}

export interface BenchCase {
  /** Short id, also used to select cases on the command line. */
  name: string;
  /** One line: what the case measures, quoting the requirement it checks. */
  title: string;
  run(): Promise<CaseResult>;
}

export type Verdict = "PASS" | "OVER" | "UNDER" | "n/a" | "";

/** "n/a" when a figure with a target could not be measured (NaN): the case reports why as a problem. */
export function verdictOf(figure: Figure): Verdict {
  if (!figure.target) return "";
  if (!Number.isFinite(figure.value)) return "n/a";
  if ("min" in figure.target) return figure.value >= figure.target.min ? "PASS" : "UNDER";
  return figure.value < figure.target.max ? "PASS" : "OVER";
}

/** Messages a case child process sends to the runner over IPC. */
export type ChildMessage = { kind: "result"; result: CaseResult } | { kind: "error"; error: string };
