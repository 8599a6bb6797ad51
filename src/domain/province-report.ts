// The province's report: one line per commune (Đảng bộ xã) with the totals its own committee report has,
// and a totals line for the province. A commune's line is the sum of its branches' counts exactly as the
// commune's report sums them (reportFigures), so the two never disagree; rates are computed again from the
// summed counts (a 300-member commune does not weigh like a 3,000-member one).
import { compareVietnamese } from "./names.js";
import { reportFigures, type BranchReportCounts, type ReportFigures, type ReportLine } from "./report.js";

export interface Commune {
  /** The commune's Committee row. */
  id: number;
  name: string;
}

export interface CommuneReportLine extends ReportLine {
  committeeId: number;
  /** Branches counted (the commune's branches that are not archived). */
  branches: number;
}

export interface ProvinceFigures {
  /** One line per commune, by name; a commune with no branch yet has a line of zeros. */
  lines: CommuneReportLine[];
  totals: ReportLine;
}

/**
 * The communes' lines from their branches' counts. `communeOf` maps each branch to its commune; a branch of
 * no listed commune counts nowhere. A commune line carries the commune's name where a branch line carries the
 * branch's (branchId 0), so the committee report's tables can print it as they are.
 */
export function provinceFigures(
  communes: readonly Commune[],
  branchLines: readonly BranchReportCounts[],
  communeOf: ReadonlyMap<number, number>,
  totalLabel: string,
): ProvinceFigures {
  const branchesOf = new Map<number, BranchReportCounts[]>(communes.map((c) => [c.id, []]));
  for (const line of branchLines) {
    const commune = communeOf.get(line.branchId);
    if (commune !== undefined) branchesOf.get(commune)?.push(line);
  }
  const lines = [...communes]
    .sort((a, b) => compareVietnamese(a.name, b.name) || a.id - b.id)
    .map((commune): CommuneReportLine => {
      const own = branchesOf.get(commune.id) ?? [];
      const { totals } = reportFigures(own, commune.name);
      return { ...totals, committeeId: commune.id, branches: own.length };
    });
  const { totals } = reportFigures(lines, totalLabel);
  return { lines, totals };
}

/** One commune's own report figures (its branches and their totals), from the province's branch lines. */
export function communeFigures(
  communeId: number,
  branchLines: readonly BranchReportCounts[],
  communeOf: ReadonlyMap<number, number>,
  totalLabel: string,
): ReportFigures {
  return reportFigures(
    branchLines.filter((line) => communeOf.get(line.branchId) === communeId),
    totalLabel,
  );
}
