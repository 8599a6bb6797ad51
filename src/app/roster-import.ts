// Bulk import of a branch roster: preview first (every row checked and matched with the roster), then one
// transaction that writes every row or none — new entries created, matched ones filled and changed, the
// dues amounts of the file set. The table is checked again at commit time with the officer's choices for
// namesakes: the roster may have changed meanwhile.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { isoDateIn } from "../domain/dates.js";
import { vietnameseSortKey } from "../domain/names.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import { previewRosterImport, readyToWrite, type ImportChoices, type ImportPreview } from "../domain/roster-import.js";
import type { MemberFacts } from "../domain/members.js";

export type ReadyPreview = ImportPreview & { ok: true };

export async function previewImport(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
  table: string[][],
  choices: ImportChoices = {},
): Promise<Outcome<ReadyPreview>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const preview = previewRosterImport(
    table,
    isoDateIn(now, deps.timeZone),
    await deps.store.repos.members.rosterEntries(branchId),
    choices,
  );
  if (!preview.ok) return fail(preview.problem);
  return ok(preview);
}

export interface ImportResult {
  created: number;
  updated: number;
  rates: number;
}

export async function commitImport(
  deps: AppDeps,
  request: Request,
  branchId: number,
  table: string[][],
  choices: ImportChoices = {},
): Promise<Outcome<ImportResult>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const today = isoDateIn(now, deps.timeZone);
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const branch = await repos.branches.get(branchId);
    if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
    const roster = await repos.members.rosterEntries(branchId);
    const preview = previewRosterImport(table, today, roster, choices);
    if (!preview.ok) return fail(preview.problem);
    if (preview.counts.invalid > 0) return fail("IMPORT.HAS_ERRORS", { count: preview.counts.invalid });
    if (preview.counts.choose > 0) return fail("IMPORT.CHOICES_PENDING", { count: preview.counts.choose });
    if (!readyToWrite(preview)) return fail("IMPORT.NOTHING_TO_WRITE");

    const created: { id: number; facts: MemberFacts }[] = [];
    const updated: { id: number; before: Partial<MemberFacts>; after: Partial<MemberFacts> }[] = [];
    const rates: { memberId: number; amount: number; from: string }[] = [];
    for (const row of preview.rows) {
      const { plan, facts, rate } = row;
      if (!plan || !facts) continue;
      let memberId: number;
      if (plan.action === "create") {
        memberId = (await repos.members.create(branchId, facts, vietnameseSortKey(facts.fullName), today)).id;
        created.push({ id: memberId, facts });
        if (rate) rates.push({ memberId, amount: rate.amount, from: rate.from });
      } else if (plan.action === "update") {
        memberId = plan.memberId;
        const edits = [...plan.fills, ...plan.changes];
        if (edits.length > 0) {
          const after = plan.values;
          await repos.members.update(memberId, after);
          updated.push({
            id: memberId,
            before: Object.fromEntries(edits.map((edit) => [edit.field, edit.before])),
            after,
          });
        }
        if (rate && plan.rateChanged) rates.push({ memberId, amount: rate.amount, from: rate.from });
      }
    }
    for (const rate of rates) {
      await repos.dues.setRate({
        memberId: rate.memberId,
        effectiveMonth: rate.from,
        amount: rate.amount,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: actor.telegramId,
      });
    }
    await repos.audit.record({
      ...auditActor(actor),
      action: "member.import",
      entity: "Branch",
      entityId: branchId,
      after: { created, updated, rates },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ created: created.length, updated: updated.length, rates: rates.length });
  });
}
