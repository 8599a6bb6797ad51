// Who is talking: a Telegram account resolved to its roster entry and roles. Read-only: strangers
// leave no trace in the database.
import type { AppDeps } from "./deps.js";
import {
  isBranchRole,
  isCommitteeRole,
  isProvinceRole,
  type Actor,
  type BranchRole,
  type CommitteeRole,
  type ProvinceRole,
} from "../domain/roles.js";
import { isOnRoster } from "../domain/members.js";

export interface TelegramSender {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

export function displayNameOf(sender: TelegramSender): string {
  return [sender.first_name, sender.last_name].filter(Boolean).join(" ").slice(0, 120);
}

export async function identifyActor(deps: AppDeps, sender: TelegramSender): Promise<Actor> {
  const telegramId = String(sender.id);
  const user = await deps.store.repos.users.findByTelegramId(telegramId);
  const committeeRoles = new Set<CommitteeRole>();
  const provinceRoles = new Set<ProvinceRole>();
  // Committee roles are held in one commune: ADMIN_TELEGRAM_IDS are the first commune's admins, and a person's
  // assignments name theirs (the first one found, should someone sit on two communes' committees).
  let committeeId: number | null = null;
  if (deps.adminTelegramIds.includes(telegramId)) {
    committeeRoles.add("COMMITTEE_ADMIN");
    committeeId = (await deps.store.repos.committee.get())?.id ?? null;
  }
  if ((deps.provinceAdminTelegramIds ?? []).includes(telegramId)) provinceRoles.add("PROVINCE_ADMIN");
  const branchRoles: { branchId: number; role: BranchRole }[] = [];
  const member = user?.member && isOnRoster(user.member.state) ? user.member : null;
  for (const assignment of user?.roles ?? []) {
    if (isProvinceRole(assignment.role)) provinceRoles.add(assignment.role);
    else if (isCommitteeRole(assignment.role) && assignment.committeeId !== null) {
      committeeId ??= assignment.committeeId;
      if (assignment.committeeId === committeeId) committeeRoles.add(assignment.role);
    }
    // A branch role only counts while its holder is still on the roster.
    else if (isBranchRole(assignment.role) && assignment.branchId !== null && member)
      branchRoles.push({ branchId: assignment.branchId, role: assignment.role });
  }
  const communeBranchIds = committeeId === null ? [] : await deps.store.repos.branches.idsOfCommittee(committeeId);
  const locale = user?.locale === "vi" || user?.locale === "en" ? user.locale : null;
  return {
    telegramId,
    userId: user?.id ?? null,
    // The name on the roster (or on a committee invitation), not the one chosen on Telegram.
    displayName: member?.fullName ?? user?.fullName ?? user?.displayName ?? displayNameOf(sender),
    locale,
    member: member ? { id: member.id, branchId: member.branchId, fullName: member.fullName } : null,
    committeeRoles: committeeId === null ? [] : [...committeeRoles],
    committeeId,
    communeBranchIds,
    branchRoles,
    provinceRoles: [...provinceRoles],
  };
}
