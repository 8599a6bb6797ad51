// Who is talking: a Telegram account resolved to its roster entry and roles. Read-only: strangers
// leave no trace in the database.
import type { AppDeps } from "./deps.js";
import { isBranchRole, isCommitteeRole, type Actor, type BranchRole, type CommitteeRole } from "../domain/roles.js";
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
  if (deps.adminTelegramIds.includes(telegramId)) committeeRoles.add("COMMITTEE_ADMIN");
  const branchRoles: { branchId: number; role: BranchRole }[] = [];
  const member = user?.member && isOnRoster(user.member.state) ? user.member : null;
  for (const assignment of user?.roles ?? []) {
    if (isCommitteeRole(assignment.role)) committeeRoles.add(assignment.role);
    // A branch role only counts while its holder is still on the roster.
    else if (isBranchRole(assignment.role) && assignment.branchId !== null && member)
      branchRoles.push({ branchId: assignment.branchId, role: assignment.role });
  }
  const locale = user?.locale === "vi" || user?.locale === "en" ? user.locale : null;
  return {
    telegramId,
    userId: user?.id ?? null,
    // The name on the roster (or on a committee invitation), not the one chosen on Telegram.
    displayName: member?.fullName ?? user?.fullName ?? user?.displayName ?? displayNameOf(sender),
    locale,
    member: member ? { id: member.id, branchId: member.branchId, fullName: member.fullName } : null,
    committeeRoles: [...committeeRoles],
    branchRoles,
  };
}
