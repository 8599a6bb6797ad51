// The province's report (Ban Tổ chức, Ủy ban Kiểm tra of the Tỉnh ủy): for a report period, one line per
// commune with the totals of that commune's own report, the province's totals, and a drill-down into one
// commune (its branches: the commune's report). Read-only: nothing is numbered, written or audited here.
//
// The province's lines come from the branches' counts compiled once for every branch of the deployment
// (compileReport over all of them: the same dozen grouped queries whatever the number of communes), summed
// per commune in the domain, so a commune's line is by construction what its own report totals. A commune's
// drill-down compiles that commune's branches only. No permission check: the caller (the province's /baocao)
// checks that the asker holds a province role.
import type { AppDeps } from "./deps.js";
import { compileReport } from "./reports.js";
import { ruleParameters } from "./settings.js";
import type { Repositories } from "../db/store.js";
import { isoDateIn, type IsoDate } from "../domain/dates.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { communeFigures, provinceFigures, type ProvinceFigures } from "../domain/province-report.js";
import type { ReportFigures } from "../domain/report.js";
import { hasStarted, parseReportPeriod, type ReportPeriod } from "../domain/report-periods.js";
import type { RuleParameters } from "../domain/rules/index.js";

export interface ProvinceReport {
  period: ReportPeriod;
  /** The last day the figures cover: the period's end, or today while it runs. */
  asOf: IsoDate;
  partial: boolean;
  figures: ProvinceFigures;
}

export interface CommuneReport {
  period: ReportPeriod;
  asOf: IsoDate;
  partial: boolean;
  committeeId: number;
  committeeName: string;
  committeePlace: string;
  /** The commune's branches and their totals, as the commune's own report has them. */
  figures: ReportFigures;
}

export interface ProvinceReportInput {
  period: ReportPeriod;
  today: IsoDate;
  timeZone: string;
  params: RuleParameters;
}

/** Every branch's counts for the period, and the commune each belongs to. */
async function branchCounts(repos: Repositories, input: ProvinceReportInput) {
  const [communes, compiled] = await Promise.all([
    repos.reports.communes(),
    compileReport(repos, { scope: 0, ...input }),
  ]);
  const communeOf = new Map<number, number>();
  for (const commune of communes) for (const branchId of commune.branchIds) communeOf.set(branchId, commune.id);
  return { communes, compiled, communeOf };
}

/** One line per commune and the province's totals (`totalLabel` names the totals line). */
export async function compileProvinceReport(
  repos: Repositories,
  input: ProvinceReportInput & { totalLabel?: string },
): Promise<ProvinceReport> {
  const { communes, compiled, communeOf } = await branchCounts(repos, input);
  return {
    period: compiled.period,
    asOf: compiled.asOf,
    partial: compiled.partial,
    figures: provinceFigures(communes, compiled.figures.lines, communeOf, input.totalLabel ?? ""),
  };
}

/** One commune's branches and totals (the drill-down from its line), or null for no such commune. */
export async function compileCommuneReport(
  repos: Repositories,
  input: ProvinceReportInput & { committeeId: number; totalLabel?: string },
): Promise<CommuneReport | null> {
  const commune = (await repos.reports.communes()).find((c) => c.id === input.committeeId);
  if (!commune) return null;
  const { committeeId, totalLabel, ...rest } = input;
  const compiled = await compileReport(repos, { scope: 0, branchIds: commune.branchIds, ...rest });
  const communeOf = new Map(commune.branchIds.map((branchId) => [branchId, committeeId]));
  return {
    period: compiled.period,
    asOf: compiled.asOf,
    partial: compiled.partial,
    committeeId: commune.id,
    committeeName: commune.name,
    committeePlace: commune.placeName,
    figures: communeFigures(commune.id, compiled.figures.lines, communeOf, totalLabel ?? ""),
  };
}

/**
 * What the compile functions need for a period key (from a button, so checked: a known period that has
 * begun), with the parameters in force; the caller reads the report outside any transaction.
 */
export async function provinceReportInput(
  deps: AppDeps,
  now: Date,
  periodKey: string,
): Promise<Outcome<ProvinceReportInput>> {
  const today = isoDateIn(now, deps.timeZone);
  const period = parseReportPeriod(periodKey);
  if (!period || !hasStarted(period, today)) return fail("REPORT.PERIOD_INVALID");
  return ok({ period, today, timeZone: deps.timeZone, params: await ruleParameters(deps.store.repos) });
}
