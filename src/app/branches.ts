// Branches: list, open, create. Every entry point checks the actor's scope first.
import { auditActor, pageWindow, PAGE_SIZE, type AppDeps, type Page, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { ensureCommittee } from "./committee.js";
import { parseBranchName } from "../domain/branches.js";
import { checkPastDate, isoDateIn } from "../domain/dates.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canCreateBranch, canManageBranch, canViewBranch, isStranger, scopeOf } from "../domain/roles.js";
import type { BranchInfo, BranchSummary } from "../db/repositories/branches.js";

export async function listBranches(
  deps: AppDeps,
  { actor }: Request,
  requestedPage: number,
): Promise<Outcome<Page<BranchSummary>>> {
  if (isStranger(actor)) return fail("AUTH.FORBIDDEN");
  // The committee's "all" is its own commune's branches, never another commune's.
  const scope = scopeOf(actor);
  const visible = actor.member ? [...new Set([...scope, actor.member.branchId])] : scope;
  const total = await deps.store.repos.branches.count(visible);
  const { page, pages, skip } = pageWindow(requestedPage, total);
  const items = await deps.store.repos.branches.page(visible, skip, PAGE_SIZE);
  return ok({ items, page, pages, total });
}

export interface BranchCard {
  branch: BranchInfo;
  activeMembers: number;
  unlinkedMembers: number;
  officers: { role: string; name: string }[];
  canManage: boolean;
}

export async function viewBranch(deps: AppDeps, { actor }: Request, branchId: number): Promise<Outcome<BranchCard>> {
  if (!canViewBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const manage = canManageBranch(actor, branchId);
  const [activeMembers, unlinkedMembers, officers] = await Promise.all([
    deps.store.repos.members.countOnRoster(branchId),
    manage ? deps.store.repos.members.countUnlinked(branchId) : Promise.resolve(0),
    deps.store.repos.branches.officers(branchId),
  ]);
  return ok({
    branch,
    activeMembers,
    unlinkedMembers,
    officers: officers.map((o) => ({ role: o.role, name: o.memberName ?? o.displayName })),
    canManage: manage,
  });
}

/** A branch's name and, if known, its founding day (no meeting can be recorded before it). */
export async function createBranch(
  deps: AppDeps,
  request: Request,
  rawName: string,
  foundedOn: string | null,
): Promise<Outcome<BranchInfo>> {
  const { actor, now } = request;
  if (!canCreateBranch(actor)) return fail("AUTH.FORBIDDEN");
  const parsed = parseBranchName(rawName);
  if (!parsed.ok) return parsed;
  if (foundedOn !== null) {
    const checked = checkPastDate(foundedOn, isoDateIn(now, deps.timeZone));
    if (!checked.ok) return fail(checked.problem);
  }
  // The branch is the actor's commune's (canCreateBranch: a committee member, who has one).
  const committee = actor.committeeId !== null ? { id: actor.committeeId } : await ensureCommittee(deps, now);
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    if (await repos.branches.findByName(committee.id, parsed.value))
      return fail("BRANCH.NAME_TAKEN", { name: parsed.value });
    // Its records in the bot start this month: the meeting rules do not ask for months before anyone used it
    // (the secretary sets an earlier month when back-filling past meetings, in /lichhop).
    const branch = await repos.branches.create({
      committeeId: committee.id,
      name: parsed.value,
      foundedOn,
      recordsFrom: isoDateIn(now, deps.timeZone).slice(0, 7),
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "branch.create",
      entity: "Branch",
      entityId: branch.id,
      after: branch,
      at: now,
    });
    await recordSave(repos, request);
    return ok(branch);
  });
}

/** Checks a new branch's name before asking the rest, so a typo is caught at once. */
export async function checkNewBranchName(
  deps: AppDeps,
  { actor, now }: Request,
  rawName: string,
): Promise<Outcome<string>> {
  if (!canCreateBranch(actor)) return fail("AUTH.FORBIDDEN");
  const parsed = parseBranchName(rawName);
  if (!parsed.ok) return parsed;
  // The actor's own commune, as createBranch checks it: names are unique per commune, and another commune's
  // branches are not the actor's to learn of.
  const committee = actor.committeeId !== null ? { id: actor.committeeId } : await ensureCommittee(deps, now);
  if (await deps.store.repos.branches.findByName(committee.id, parsed.value))
    return fail("BRANCH.NAME_TAKEN", { name: parsed.value });
  return ok(parsed.value);
}
