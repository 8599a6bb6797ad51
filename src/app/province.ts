// The province's use cases (Ban Tổ chức Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy, the deployment's admins): the report
// over every commune and its drill-down into one commune (read-only: nothing numbered, written or audited), and
// the admins' communes: the list, adding one with an invitation for its first admin, inviting it again.
import { atomically, auditActor, RollBack, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { issueInvitation, type CreatedInvitation } from "./invitations.js";
import type { CommitteeInfo, CommuneOverview } from "../db/repositories/committee.js";
import { parseCommuneName, parseCommunePlace, sameCommuneName } from "../domain/communes.js";
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
import { canAdministerProvince, isProvince } from "../domain/roles.js";

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

export interface CommuneListItem extends CommuneOverview {
  /** Someone holds its admin role (for the first commune, ADMIN_TELEGRAM_IDS count too). */
  hasAdmin: boolean;
}

/** /xa: every commune of the deployment, first one first, with its counts and whether it has an admin. */
export async function listCommunes(deps: AppDeps, { actor }: Request): Promise<Outcome<CommuneListItem[]>> {
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  const all = await deps.store.repos.committee.overview();
  const firstId = all[0]?.id;
  return ok(
    all.map((c) => ({ ...c, hasAdmin: c.admins > 0 || (c.id === firstId && deps.adminTelegramIds.length > 0) })),
  );
}

/** The typed name of a new commune, checked (form, and no commune of that name yet) before the next step. */
export async function checkNewCommuneName(deps: AppDeps, { actor }: Request, raw: string): Promise<Outcome<string>> {
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  const name = parseCommuneName(raw);
  if (!name.ok) return name;
  const all = await deps.store.repos.committee.list();
  if (all.some((c) => sameCommuneName(c.name, name.value))) return fail("COMMUNE.NAME_TAKEN", { name: name.value });
  return ok(name.value);
}

export function checkCommunePlace({ actor }: Request, raw: string): Outcome<string> {
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  return parseCommunePlace(raw);
}

/**
 * A new commune and the invitation for its first admin, in one transaction (never a commune whose first link
 * was lost to a failure), audited. Every input is checked again here: the flow's earlier steps prove nothing.
 */
export async function createCommune(
  deps: AppDeps,
  request: Request,
  input: { name: string; place: string; adminName: string },
): Promise<Outcome<{ commune: CommitteeInfo; invitation: CreatedInvitation }>> {
  const { actor, now } = request;
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  const name = parseCommuneName(input.name);
  if (!name.ok) return name;
  const place = parseCommunePlace(input.place);
  if (!place.ok) return place;
  return atomically(deps, async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    if ((await repos.committee.list()).some((c) => sameCommuneName(c.name, name.value)))
      return fail("COMMUNE.NAME_TAKEN", { name: name.value });
    const commune = await repos.committee.create(name.value, place.value);
    await repos.audit.record({
      ...auditActor(actor),
      action: "committee.create",
      entity: "Committee",
      entityId: commune.id,
      after: commune,
      at: now,
    });
    const invitation = await issueInvitation(repos, deps, request, {
      role: "COMMITTEE_ADMIN",
      memberId: null,
      label: input.adminName,
      committeeId: commune.id,
    });
    if (!invitation.ok) throw new RollBack(invitation);
    await recordSave(repos, request);
    return ok({ commune, invitation: invitation.value });
  });
}

/**
 * A new link for the first admin of a commune that has none yet (the first was lost, expired, or went to the
 * wrong person): it replaces the pending ones. Once the commune has an admin, its own admin invites.
 */
export async function inviteCommuneAdmin(
  deps: AppDeps,
  request: Request,
  committeeId: number,
  adminName: string,
): Promise<Outcome<{ commune: CommitteeInfo; invitation: CreatedInvitation }>> {
  const { actor, now } = request;
  if (!canAdministerProvince(actor)) return fail("AUTH.FORBIDDEN");
  return atomically(deps, async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const commune = (await repos.committee.overview()).find((c) => c.id === committeeId);
    if (!commune) return fail("COMMUNE.NOT_FOUND");
    const first = (await repos.committee.get())?.id;
    if (commune.admins > 0 || (commune.id === first && deps.adminTelegramIds.length > 0))
      return fail("COMMUNE.HAS_ADMIN", { name: commune.name });
    await repos.invitations.revokePendingCommuneAdmin(committeeId, now);
    const invitation = await issueInvitation(repos, deps, request, {
      role: "COMMITTEE_ADMIN",
      memberId: null,
      label: adminName,
      committeeId,
    });
    if (!invitation.ok) throw new RollBack(invitation);
    await recordSave(repos, request);
    return ok({
      commune: { id: commune.id, name: commune.name, placeName: commune.placeName },
      invitation: invitation.value,
    });
  });
}

/** Whether a commune may get a first-admin link from the province (it exists and has no admin yet). */
export async function communeWithoutAdmin(
  deps: AppDeps,
  request: Request,
  committeeId: number,
): Promise<Outcome<CommitteeInfo>> {
  const list = await listCommunes(deps, request);
  if (!list.ok) return list;
  const commune = list.value.find((c) => c.id === committeeId);
  if (!commune) return fail("COMMUNE.NOT_FOUND");
  if (commune.hasAdmin) return fail("COMMUNE.HAS_ADMIN", { name: commune.name });
  return ok({ id: commune.id, name: commune.name, placeName: commune.placeName });
}
