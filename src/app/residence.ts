// Residence contact (QĐ 213): members whose party organisation is at their workplace but who live in
// the branch's area; the residence branch writes a yearly comment on each.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { isoDateIn } from "../domain/dates.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";

export async function residenceContacts(deps: AppDeps, { actor, now }: Request, branchId: number) {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const year = Number(isoDateIn(now, deps.timeZone).slice(0, 4));
  return ok({ year, contacts: await deps.store.repos.away.residenceContacts(branchId, year) });
}

export async function addResidenceContact(
  deps: AppDeps,
  request: Request,
  branchId: number,
  fullName: string,
  workplaceOrg: string,
): Promise<Outcome<{ id: number }>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const created = await repos.away.addResidenceContact({
      branchId,
      fullName,
      workplaceOrg,
      address: null,
      phone: null,
      createdAt: now,
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "residence.add",
      entity: "ResidenceContact",
      entityId: created.id,
      after: { branchId, fullName, workplaceOrg },
      at: now,
    });
    await recordSave(repos, request);
    return ok(created);
  });
}

export async function recordResidenceComment(
  deps: AppDeps,
  request: Request,
  contactId: number,
  text: string,
): Promise<Outcome<{ fullName: string; year: number }>> {
  const { actor, now } = request;
  const year = Number(isoDateIn(now, deps.timeZone).slice(0, 4));
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const contact = await repos.away.residenceContact(contactId);
    if (!contact || !canManageBranch(actor, contact.branchId)) return fail("AUTH.FORBIDDEN");
    const { before } = await repos.away.setResidenceComment(contactId, year, text, actor.telegramId, now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "residence.comment",
      entity: "ResidenceContact",
      entityId: contactId,
      before: { year, text: before },
      after: { year, text },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ fullName: contact.fullName, year });
  });
}

/** A contact of the officer's branch, before writing this year's comment on it. */
export async function viewResidenceContact(
  deps: AppDeps,
  { actor, now }: Request,
  contactId: number,
): Promise<Outcome<{ fullName: string; year: number }>> {
  const contact = await deps.store.repos.away.residenceContact(contactId);
  if (!contact || !canManageBranch(actor, contact.branchId)) return fail("AUTH.FORBIDDEN");
  return ok({ fullName: contact.fullName, year: Number(isoDateIn(now, deps.timeZone).slice(0, 4)) });
}
