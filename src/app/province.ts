// The province's use cases (Ban Tổ chức Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy, the deployment's admins): the report
// over every commune and its drill-down into one commune (read-only: nothing numbered, written or audited).
import type { AppDeps, Request } from "./deps.js";
import {
  compileCommuneReport,
  compileProvinceReport,
  provinceReportInput,
  type CommuneReport,
  type ProvinceReport,
} from "./province-report.js";
import { isoDateIn } from "../domain/dates.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { recentReportPeriods, type ReportPeriod, type ReportPeriodKind } from "../domain/report-periods.js";
import { isProvince } from "../domain/roles.js";

/** The periods a province officer may pick for a kind (the same choices the committee has). */
export function provinceReportPeriods(
  deps: AppDeps,
  { actor, now }: Request,
  kind: ReportPeriodKind,
): Outcome<ReportPeriod[]> {
  if (!isProvince(actor)) return fail("AUTH.FORBIDDEN");
  return ok(recentReportPeriods(kind, isoDateIn(now, deps.timeZone)));
}

/** One line per commune and the province's totals, for a period key from a button (checked). */
export async function provinceReport(
  deps: AppDeps,
  { actor, now }: Request,
  periodKey: string,
  totalLabel: string,
): Promise<Outcome<ProvinceReport>> {
  if (!isProvince(actor)) return fail("AUTH.FORBIDDEN");
  const input = await provinceReportInput(deps, now, periodKey);
  if (!input.ok) return input;
  return ok(await compileProvinceReport(deps.store.repos, { ...input.value, totalLabel }));
}

/** One commune's branches and totals: the drill-down from its line (the commune from a button, so checked). */
export async function communeReport(
  deps: AppDeps,
  { actor, now }: Request,
  periodKey: string,
  committeeId: number,
  totalLabel: string,
): Promise<Outcome<CommuneReport>> {
  if (!isProvince(actor)) return fail("AUTH.FORBIDDEN");
  const input = await provinceReportInput(deps, now, periodKey);
  if (!input.ok) return input;
  const report = await compileCommuneReport(deps.store.repos, { ...input.value, committeeId, totalLabel });
  return report ? ok(report) : fail("COMMUNE.NOT_FOUND");
}
