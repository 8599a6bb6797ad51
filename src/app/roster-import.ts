// Bulk import of a branch roster: preview first (every row checked), then one transaction that writes
// all rows or none. The table is checked again at commit time: the roster may have changed meanwhile.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { isoDateIn } from "../domain/dates.js";
import { vietnameseSortKey } from "../domain/names.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import { previewRosterImport, rosterKey, type ImportPreview } from "../domain/roster-import.js";
import type { Repositories } from "../db/store.js";

async function existingKeys(repos: Repositories, branchId: number): Promise<Set<string>> {
  const roster = await repos.members.rosterIdentities(branchId);
  return new Set(roster.map((m) => rosterKey(m.fullName, m.birthDate)));
}

export async function previewImport(deps: AppDeps, { actor, now }: Request, branchId: number, table: string[][]): Promise<Outcome<ImportPreview & { ok: true }>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const preview = previewRosterImport(table, isoDateIn(now, deps.timeZone), await existingKeys(deps.store.repos, branchId));
  if (!preview.ok) return fail(preview.problem);
  return ok(preview);
}

export async function commitImport(deps: AppDeps, request: Request, branchId: number, table: string[][]): Promise<Outcome<{ created: number }>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const today = isoDateIn(now, deps.timeZone);
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const branch = await repos.branches.get(branchId);
    if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
    const preview = previewRosterImport(table, today, await existingKeys(repos, branchId));
    if (!preview.ok) return fail(preview.problem);
    if (preview.invalidCount > 0) return fail("IMPORT.HAS_ERRORS", { count: preview.invalidCount });
    const entries = preview.rows.flatMap((row) => (row.facts ? [{ facts: row.facts, sortKey: vietnameseSortKey(row.facts.fullName) }] : []));
    const created = await repos.members.createMany(branchId, entries, today);
    await repos.audit.record({
      ...auditActor(actor),
      action: "member.import",
      entity: "Branch",
      entityId: branchId,
      after: { created, members: entries.map((e) => e.facts) },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ created });
  });
}
