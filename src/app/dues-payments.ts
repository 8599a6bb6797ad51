// Recording dues: a month's checklist for the branch, one member's payment for several months, and
// reversing a wrong entry. Every write is one transaction with its audit entry; a month can be paid
// only once (a double tap or a second secretary gets "already paid", never a second entry).
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore, undoSaves } from "./flow-saves.js";
import { currentMonthOf, loadBranchDues, loadBranchMonth, toLedger, type MemberDuesFacts } from "./dues-data.js";
import {
  amountDueFor,
  checkAmount,
  checkPaymentMonths,
  checkNotYetPaid,
  DEFAULT_DUES_PARAMETERS,
  MonthAlreadyPaid,
  paymentCap,
  reversalFor,
  splitAmount,
  sortedMonths,
  type MonthKey,
  type MonthState,
} from "../domain/dues.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import type { Repositories } from "../db/store.js";

export const DUES_PARAMS = DEFAULT_DUES_PARAMETERS;

export interface MonthSheetRow {
  memberId: number;
  name: string;
  state: MonthState;
  /** What is due this month (0 when exempt or no amount set). */
  due: number;
  unset: boolean;
}

export interface MonthSheet {
  branchId: number;
  branchName: string;
  month: MonthKey;
  rows: MonthSheetRow[];
}

export async function openMonthSheet(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
  month: MonthKey,
): Promise<Outcome<MonthSheet>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const branch = await deps.store.repos.branches.get(branchId);
  if (!branch) return fail("BRANCH.NOT_FOUND");
  const current = currentMonthOf(now, deps.timeZone);
  const months = checkPaymentMonths([month], null, current, null, DUES_PARAMS);
  if (!months.ok) return months;
  const members = await loadBranchMonth(deps.store.repos, branchId, month, current, deps.timeZone);
  const rows = members
    .filter((m) => m.month.state !== "NOT_MEMBER")
    .map((m) => ({
      memberId: m.memberId,
      name: m.fullName,
      state: m.month.state,
      due: m.month.due,
      unset: m.month.unset,
    }));
  return ok({ branchId, branchName: branch.name, month, rows });
}

interface PaymentToWrite {
  member: MemberDuesFacts;
  months: MonthKey[];
  amount: number;
}

/** Checks one payment against the member's ledger and the limits; returns what to write. */
function checkPayment(
  member: MemberDuesFacts,
  months: readonly MonthKey[],
  amount: number,
  current: MonthKey,
): Outcome<PaymentToWrite> {
  const checkedMonths = checkPaymentMonths(months, member.joinMonth, current, member.leftMonth, DUES_PARAMS);
  if (!checkedMonths.ok) return checkedMonths;
  const checkedAmount = checkAmount(amount, paymentCap(checkedMonths.value.length, DUES_PARAMS));
  if (!checkedAmount.ok) return checkedAmount;
  const notPaid = checkNotYetPaid(member.ledger, checkedMonths.value);
  if (!notPaid.ok) return fail("DUES.MONTH_ALREADY_PAID", { name: member.fullName });
  return ok({ member, months: checkedMonths.value, amount: checkedAmount.value });
}

async function writePayments(
  repos: Repositories,
  branchId: number,
  payments: PaymentToWrite[],
  request: Request,
  collectedBy: string | null,
  note: string | null,
): Promise<number[]> {
  const ids: number[] = [];
  for (const payment of payments) {
    const parts = splitAmount(payment.amount, payment.months.length);
    const entry = await repos.dues.addEntry({
      memberId: payment.member.memberId,
      branchId,
      kind: "PAYMENT",
      amount: payment.amount,
      reversesEntryId: null,
      collectedBy,
      note,
      recordedAt: request.now,
      recordedByTelegramId: request.actor.telegramId,
      months: payment.months.map((month, i) => ({ month, amount: parts[i]! })),
    });
    ids.push(entry.id);
  }
  return ids;
}

export interface MonthSelection {
  memberId: number;
  amount: number;
}

/** The month's checklist saved at once: one payment entry per member ticked. */
export async function recordMonthPayments(
  deps: AppDeps,
  request: Request,
  branchId: number,
  month: MonthKey,
  selections: readonly MonthSelection[],
): Promise<Outcome<{ count: number; total: number }>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  if (selections.length === 0) return fail("DUES.NOTHING_TO_SAVE");
  const current = currentMonthOf(now, deps.timeZone);
  try {
    return await deps.store.transaction(async (repos) => {
      const earlier = await savedBefore(repos, request);
      if (earlier) return earlier;
      const members = new Map((await loadBranchDues(repos, branchId, deps.timeZone)).map((m) => [m.memberId, m]));
      const payments: PaymentToWrite[] = [];
      for (const selection of selections) {
        const member = members.get(selection.memberId);
        if (!member) return fail("AUTH.FORBIDDEN");
        const checked = checkPayment(member, [month], selection.amount, current);
        if (!checked.ok) return checked;
        payments.push(checked.value);
      }
      const ids = await writePayments(repos, branchId, payments, request, null, null);
      const total = payments.reduce((sum, p) => sum + p.amount, 0);
      await repos.audit.record({
        ...auditActor(actor),
        action: "dues.month",
        entity: "Branch",
        entityId: branchId,
        after: {
          month,
          entries: ids,
          payments: payments.map((p) => ({ memberId: p.member.memberId, amount: p.amount })),
          total,
        },
        at: now,
      });
      await recordSave(repos, request);
      return ok({ count: ids.length, total });
    });
  } catch (error) {
    if (error instanceof MonthAlreadyPaid) return fail("DUES.MONTH_ALREADY_PAID", { name: "" });
    throw error;
  }
}

async function memberFacts(
  repos: Repositories,
  memberId: number,
  timeZone: string,
): Promise<{ facts: MemberDuesFacts; branchId: number } | null> {
  const member = await repos.members.get(memberId);
  if (!member) return null;
  const facts = (await loadBranchDues(repos, member.branchId, timeZone)).find((m) => m.memberId === memberId);
  return facts ? { facts, branchId: member.branchId } : null;
}

/** What a payment for these months should come to: the figure the secretary confirms or changes. */
export async function suggestAmount(
  deps: AppDeps,
  { actor }: Request,
  memberId: number,
  months: readonly MonthKey[],
): Promise<Outcome<number>> {
  const found = await memberFacts(deps.store.repos, memberId, deps.timeZone);
  if (!found || !canManageBranch(actor, found.branchId)) return fail("AUTH.FORBIDDEN");
  return ok(amountDueFor(months, found.facts.history, found.facts.reliefs));
}

export async function recordMemberPayment(
  deps: AppDeps,
  request: Request,
  payment: {
    memberId: number;
    months: readonly MonthKey[];
    amount: number;
    collectedBy: string | null;
    note: string | null;
  },
): Promise<Outcome<{ entryId: number; name: string; months: MonthKey[]; amount: number }>> {
  const { actor, now } = request;
  const current = currentMonthOf(now, deps.timeZone);
  try {
    return await deps.store.transaction(async (repos) => {
      const earlier = await savedBefore(repos, request);
      if (earlier) return earlier;
      const found = await memberFacts(repos, payment.memberId, deps.timeZone);
      if (!found || !canManageBranch(actor, found.branchId)) return fail("AUTH.FORBIDDEN");
      const checked = checkPayment(found.facts, payment.months, payment.amount, current);
      if (!checked.ok) return checked;
      const [entryId] = await writePayments(
        repos,
        found.branchId,
        [checked.value],
        request,
        payment.collectedBy,
        payment.note,
      );
      await repos.audit.record({
        ...auditActor(actor),
        action: "dues.payment",
        entity: "DuesEntry",
        entityId: entryId!,
        after: {
          memberId: payment.memberId,
          months: checked.value.months,
          amount: checked.value.amount,
          collectedBy: payment.collectedBy,
          note: payment.note,
        },
        at: now,
      });
      await recordSave(repos, request, entrySubject(entryId!));
      return ok({
        entryId: entryId!,
        name: found.facts.fullName,
        months: checked.value.months,
        amount: checked.value.amount,
      });
    });
  } catch (error) {
    if (error instanceof MonthAlreadyPaid) return fail("DUES.MONTH_ALREADY_PAID", { name: "" });
    throw error;
  }
}

/** A member's entries, newest first, for the secretary to review and reverse. */
export async function memberEntries(
  deps: AppDeps,
  { actor }: Request,
  memberId: number,
): Promise<Outcome<{ name: string; entries: MemberDuesFacts["entries"] }>> {
  const found = await memberFacts(deps.store.repos, memberId, deps.timeZone);
  if (!found || !canManageBranch(actor, found.branchId)) return fail("AUTH.FORBIDDEN");
  return ok({ name: found.facts.fullName, entries: [...found.facts.entries].reverse() });
}

/** What a one-member payment's save wrote, for its reversal to mark. */
const entrySubject = (entryId: number) => `DuesEntry:${entryId}`;

/** Undoes a wrong entry by a reversal entry; the months it paid become unpaid again. */
export async function reverseEntry(
  deps: AppDeps,
  request: Request,
  entryId: number,
): Promise<Outcome<{ months: MonthKey[]; amount: number; name: string }>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const entry = await repos.dues.entry(entryId);
    if (!entry || !canManageBranch(actor, entry.branchId)) return fail("AUTH.FORBIDDEN");
    const entries = await repos.dues.entriesOf([entry.memberId]);
    const reversal = reversalFor(toLedger(entries, deps.timeZone), entryId);
    if (!reversal.ok) return fail("DUES.ENTRY_NOT_REVERSIBLE");
    const months = entry.months.map((m) => m.month);
    const parts = splitAmount(reversal.value.amount, Math.max(1, months.length));
    const created = await repos.dues.addEntry({
      memberId: entry.memberId,
      branchId: entry.branchId,
      kind: "REVERSAL",
      amount: reversal.value.amount,
      reversesEntryId: entryId,
      collectedBy: null,
      note: null,
      recordedAt: now,
      recordedByTelegramId: actor.telegramId,
      months: sortedMonths(months).map((month, i) => ({ month, amount: parts[i]! })),
    });
    await repos.dues.releaseClaims(entryId);
    await undoSaves(repos, entrySubject(entryId), now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "dues.reverse",
      entity: "DuesEntry",
      entityId: entryId,
      before: { amount: entry.amount, months },
      after: { reversedBy: created.id, amount: reversal.value.amount },
      at: now,
    });
    const member = await repos.members.get(entry.memberId);
    return ok({ months, amount: entry.amount, name: member?.fullName ?? "" });
  });
}

/** One entry, for the confirm screen of a reversal. */
export async function viewEntry(
  deps: AppDeps,
  { actor }: Request,
  entryId: number,
): Promise<Outcome<{ amount: number; months: MonthKey[] }>> {
  const entry = await deps.store.repos.dues.entry(entryId);
  if (!entry || !canManageBranch(actor, entry.branchId)) return fail("AUTH.FORBIDDEN");
  if (entry.kind !== "PAYMENT" || entry.reversedByEntryId !== null) return fail("DUES.ENTRY_NOT_REVERSIBLE");
  return ok({ amount: entry.amount, months: entry.months.map((m) => m.month) });
}
