// What dues rest on: each member's monthly amount (with the calculator's help), exemptions and
// reductions, and the money a branch hands to the committee.
import { atomically, auditActor, RollBack, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { DUES_PARAMS } from "./dues-payments.js";
import { currentMonthOf } from "./dues-data.js";
import {
  addMonths,
  checkAmount,
  checkExemption,
  checkReduction,
  compareMonths,
  computeMonthlyDues,
  isMonthKey,
  parseExemptionReason,
  REDUCTION_REASON,
  type DuesCategory,
  type MonthKey,
} from "../domain/dues.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import { isOnRoster } from "../domain/members.js";

export type RateBasis = DuesCategory["kind"] | "MANUAL";

/** The calculator: the figure the rules in force in `month` give for a category; the secretary confirms or types another. */
export function suggestRate(category: DuesCategory, month: MonthKey): number {
  return computeMonthlyDues(category, DUES_PARAMS, month);
}

async function memberInScope(
  deps: AppDeps,
  { actor }: Request,
  memberId: number,
): Promise<{ id: number; fullName: string; branchId: number } | null> {
  const member = await deps.store.repos.members.get(memberId);
  return member && canManageBranch(actor, member.branchId) ? member : null;
}

export async function setDuesRate(
  deps: AppDeps,
  request: Request,
  input: { memberId: number; amount: number; effectiveMonth: MonthKey; basis: RateBasis; basisAmount: number | null },
): Promise<Outcome<{ name: string; amount: number; effectiveMonth: MonthKey }>> {
  const { memberId, ...rate } = input;
  const saved = await setDuesRates(deps, request, { ...rate, memberIds: [memberId] });
  return saved.ok
    ? ok({ name: saved.value.names[0] ?? "", amount: saved.value.amount, effectiveMonth: saved.value.effectiveMonth })
    : saved;
}

/**
 * One monthly amount (or one basis) for several members of a branch from a month on, in one transaction:
 * every member is checked against the actor's scope; each change is audited with what it replaced.
 */
export async function setDuesRates(
  deps: AppDeps,
  request: Request,
  input: {
    memberIds: readonly number[];
    amount: number;
    effectiveMonth: MonthKey;
    basis: RateBasis;
    basisAmount: number | null;
  },
): Promise<Outcome<{ names: string[]; amount: number; effectiveMonth: MonthKey }>> {
  const { actor, now } = request;
  const ids = [...new Set(input.memberIds)];
  if (ids.length === 0) return fail("DUES.NOTHING_TO_SAVE");
  const amount = checkAmount(input.amount, DUES_PARAMS.monthlyCap);
  if (!amount.ok) return amount;
  const current = currentMonthOf(now, deps.timeZone);
  if (
    !isMonthKey(input.effectiveMonth) ||
    compareMonths(input.effectiveMonth, addMonths(current, DUES_PARAMS.maxMonthsAhead)) > 0
  )
    return fail("DUES.MONTH_TOO_FAR_AHEAD", { max: DUES_PARAMS.maxMonthsAhead });
  return atomically(deps, async (repos) => {
    const alreadySaved = await savedBefore(repos, request);
    if (alreadySaved) return alreadySaved;
    const names: string[] = [];
    const earlier = await repos.dues.ratesOf(ids);
    for (const memberId of ids) {
      const member = await repos.members.get(memberId);
      // A member out of scope or off the roster undoes the whole group: one amount for all or for none.
      if (!member || !canManageBranch(actor, member.branchId) || !isOnRoster(member.state))
        throw new RollBack(fail("AUTH.FORBIDDEN"));
      const before = earlier.find((r) => r.memberId === memberId && r.effectiveMonth === input.effectiveMonth) ?? null;
      const saved = await repos.dues.setRate({
        memberId,
        amount: amount.value,
        effectiveMonth: input.effectiveMonth,
        basis: input.basis,
        basisAmount: input.basisAmount,
        createdByTelegramId: actor.telegramId,
      });
      await repos.audit.record({
        ...auditActor(actor),
        action: "dues.rate",
        entity: "Member",
        entityId: memberId,
        before,
        after: saved,
        at: now,
      });
      names.push(member.fullName);
    }
    await recordSave(repos, request);
    return ok({ names, amount: amount.value, effectiveMonth: input.effectiveMonth });
  });
}

export interface RateRow {
  memberId: number;
  name: string;
  /** The latest amount set (in effect now or from a coming month), or null: none yet. */
  amount: number | null;
}

/** The branch's roster with each member's monthly amount, in name order: the screen where rates are set. */
export async function branchRates(
  deps: AppDeps,
  { actor }: Request,
  branchId: number,
): Promise<Outcome<{ branchName: string; rows: RateRow[] }>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const repos = deps.store.repos;
  const branch = await repos.branches.get(branchId);
  if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
  const members = await repos.members.page(branchId, 0, MAX_BRANCH_SIZE);
  const rates = await repos.dues.ratesOf(members.map((m) => m.id));
  const latest = new Map(rates.map((r) => [r.memberId, r.amount]));
  return ok({
    branchName: branch.name,
    rows: members.map((m) => ({ memberId: m.id, name: m.fullName, amount: latest.get(m.id) ?? null })),
  });
}

/** More than any branch has (3 to ~60 members): the rates screen lists the whole roster. */
const MAX_BRANCH_SIZE = 1000;

export type ReliefChoice =
  "LONG_MEMBERSHIP" | "SOCIAL_PENSION" | "POOR_HOUSEHOLD" | "REDUCED_30" | "REDUCED_50" | "REDUCED_70";

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
      ...(reduced
        ? { kind: "REDUCED", percent: Number(input.choice.slice(8)), reason: REDUCTION_REASON }
        : { kind: "EXEMPT", percent: null, reason: parseExemptionReason(input.choice) }),
      note: input.note,
      fromMonth: input.from,
      toMonth: input.to,
      createdByTelegramId: actor.telegramId,
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "dues.relief",
      entity: "Member",
      entityId: input.memberId,
      after: relief,
      at: now,
    });
    await recordSave(repos, request);
    return ok({ name: member.fullName });
  });
}

/** "2026-03" (a month) or "2026-Q1" (a quarter). */
export function isRemittancePeriod(period: string): boolean {
  return isMonthKey(period) || /^\d{4}-Q[1-4]$/.test(period);
}

export async function recordRemittance(
  deps: AppDeps,
  request: Request,
  branchId: number,
  period: string,
  amount: number,
): Promise<Outcome<{ branchName: string; amount: number; period: string }>> {
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
    const saved = await repos.dues.addRemittance({
      branchId,
      period,
      amount,
      note: null,
      recordedAt: now,
      recordedByTelegramId: actor.telegramId,
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "dues.remit",
      entity: "DuesRemittance",
      entityId: saved.id,
      after: { branchId, period, amount },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ branchName: branch.name, amount, period });
  });
}
