// What dues rest on: each member's monthly amount (with the calculator's help), exemptions and
// reductions, and the money a branch hands to the committee.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { DUES_PARAMS } from "./dues-payments.js";
import { currentMonthOf } from "./dues-data.js";
import { addMonths, checkAmount, checkExemption, checkReduction, compareMonths, computeMonthlyDues, isMonthKey, type DuesCategory, type MonthKey } from "../domain/dues.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";

export type RateBasis = DuesCategory["kind"] | "MANUAL";

/** The calculator: the figure the rules give for a category; the secretary confirms or types another. */
export function suggestRate(category: DuesCategory): number {
  return computeMonthlyDues(category, DUES_PARAMS);
}

async function memberInScope(deps: AppDeps, { actor }: Request, memberId: number): Promise<{ id: number; fullName: string; branchId: number } | null> {
  const member = await deps.store.repos.members.get(memberId);
  return member && canManageBranch(actor, member.branchId) ? member : null;
}

export async function setDuesRate(
  deps: AppDeps,
  request: Request,
  input: { memberId: number; amount: number; effectiveMonth: MonthKey; basis: RateBasis; basisAmount: number | null },
): Promise<Outcome<{ name: string; amount: number; effectiveMonth: MonthKey }>> {
  const { actor, now } = request;
  const member = await memberInScope(deps, request, input.memberId);
  if (!member) return fail("AUTH.FORBIDDEN");
  const amount = checkAmount(input.amount, DUES_PARAMS.monthlyCap);
  if (!amount.ok) return amount;
  const current = currentMonthOf(now, deps.timeZone);
  if (!isMonthKey(input.effectiveMonth) || compareMonths(input.effectiveMonth, addMonths(current, DUES_PARAMS.maxMonthsAhead)) > 0) return fail("DUES.MONTH_TOO_FAR_AHEAD");
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = (await repos.dues.ratesOf([input.memberId])).find((r) => r.effectiveMonth === input.effectiveMonth) ?? null;
    const saved = await repos.dues.setRate({ ...input, amount: amount.value, createdByTelegramId: actor.telegramId });
    await repos.audit.record({ ...auditActor(actor), action: "dues.rate", entity: "Member", entityId: input.memberId, before, after: saved, at: now });
    await recordSave(repos, request);
    return ok({ name: member.fullName, amount: saved.amount, effectiveMonth: saved.effectiveMonth });
  });
}

export type ReliefChoice = "LONG_MEMBERSHIP" | "SOCIAL_PENSION" | "POOR_HOUSEHOLD" | "REDUCED_30" | "REDUCED_50" | "REDUCED_70";

export async function addDuesRelief(
  deps: AppDeps,
  request: Request,
  input: { memberId: number; choice: ReliefChoice; from: MonthKey; to: MonthKey | null; note: string | null },
): Promise<Outcome<{ name: string }>> {
  const { actor, now } = request;
  const member = await memberInScope(deps, request, input.memberId);
  if (!member) return fail("AUTH.FORBIDDEN");
  const reduced = input.choice.startsWith("REDUCED_");
  const checked = reduced
    ? input.to === null
      ? fail("DUES.REDUCTION_TOO_LONG")
      : checkReduction({ percent: Number(input.choice.slice(8)), from: input.from, to: input.to }, DUES_PARAMS)
    : checkExemption({ reason: input.choice, from: input.from, to: input.to });
  if (!checked.ok) return fail("DUES.RELIEF_INVALID");
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const relief = await repos.dues.addRelief({
      memberId: input.memberId,
      kind: reduced ? "REDUCED" : "EXEMPT",
      percent: reduced ? Number(input.choice.slice(8)) : null,
      reason: reduced ? "REDUCTION" : input.choice,
      note: input.note,
      fromMonth: input.from,
      toMonth: input.to,
      createdByTelegramId: actor.telegramId,
    });
    await repos.audit.record({ ...auditActor(actor), action: "dues.relief", entity: "Member", entityId: input.memberId, after: relief, at: now });
    await recordSave(repos, request);
    return ok({ name: member.fullName });
  });
}

/** "2026-03" (a month) or "2026-Q1" (a quarter). */
export function isRemittancePeriod(period: string): boolean {
  return isMonthKey(period) || /^\d{4}-Q[1-4]$/.test(period);
}

export async function recordRemittance(deps: AppDeps, request: Request, branchId: number, period: string, amount: number): Promise<Outcome<{ branchName: string; amount: number; period: string }>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  if (!isRemittancePeriod(period)) return fail("DUES.MONTH_FORMAT");
  // A quarter's remittance can reach the cap for a whole branch: check only that it is a positive sum.
  const checked = checkAmount(amount, Number.MAX_SAFE_INTEGER);
  if (!checked.ok) return checked;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const branch = await repos.branches.get(branchId);
    if (!branch) return fail("BRANCH.NOT_FOUND");
    const saved = await repos.dues.addRemittance({ branchId, period, amount, note: null, recordedAt: now, recordedByTelegramId: actor.telegramId });
    await repos.audit.record({ ...auditActor(actor), action: "dues.remit", entity: "DuesRemittance", entityId: saved.id, after: { branchId, period, amount }, at: now });
    await recordSave(repos, request);
    return ok({ branchName: branch.name, amount, period });
  });
}
