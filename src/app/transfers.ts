// Transfers of party activity. Outgoing: introduced with a letter, due to be presented within 30
// working days, then arrived (confirmed by the receiving side) or returned. An official transfer takes
// the member off the roster on arrival; a temporary one keeps them on the headcount, not expected at
// meetings until they return. Incoming: the member is added with their origin and date.
import { atomically, auditActor, RollBack, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { AWAY_PARAMS } from "./exemptions.js";
import { enterMember, mayManageMember, takeOffRoster } from "./members.js";
import { transferDeadline } from "../domain/away.js";
import { checkPastDate, isoDateIn, type IsoDate } from "../domain/dates.js";
import type { MemberFacts } from "../domain/members.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import { holidayCalendar } from "./holidays.js";
import type { TransferRecord } from "../db/repositories/away.js";
import type { Repositories } from "../db/store.js";

export type { TransferRecord };

/**
 * When a letter dated so must be presented: 30 working days by the commune's holiday calendar (weekends and
 * public holidays, Tết included, do not count).
 */
export async function letterDeadline(
  deps: Pick<AppDeps, "store">,
  letterDate: IsoDate,
  memberId: number,
): Promise<IsoDate> {
  const member = await deps.store.repos.members.get(memberId);
  return deadlineOf(deps.store.repos, letterDate, member?.branchId ?? null);
}

async function deadlineOf(repos: Repositories, letterDate: IsoDate, branchId: number | null): Promise<IsoDate> {
  const committeeId = branchId === null ? null : await repos.branches.committeeOf(branchId);
  return transferDeadline(letterDate, await holidayCalendar(repos, committeeId), AWAY_PARAMS);
}

export async function introduceTransfer(
  deps: AppDeps,
  request: Request,
  input: {
    memberId: number;
    kind: "OFFICIAL" | "TEMPORARY";
    organisation: string;
    letterNumber: string | null;
    letterDate: IsoDate;
  },
): Promise<Outcome<TransferRecord>> {
  const { actor, now } = request;
  const dated = checkPastDate(input.letterDate, isoDateIn(now, deps.timeZone));
  if (!dated.ok) return fail(dated.problem);
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const member = await repos.members.get(input.memberId);
    // A transfer takes the member off the roster in the end: the ranking applies (not the deputy on the secretary).
    if (!member || !(await mayManageMember(repos, deps, actor, member, "offRoster", now)))
      return fail("AUTH.FORBIDDEN");
    if (
      (await repos.away.transfersOfBranch(member.branchId)).some(
        (t) => t.memberId === member.id && t.direction === "OUT" && t.state === "INTRODUCED",
      )
    )
      return fail("TRANSFER.OPEN");
    const transfer = await repos.away.createTransfer({
      memberId: member.id,
      branchId: member.branchId,
      direction: "OUT",
      kind: input.kind,
      organisation: input.organisation,
      letterNumber: input.letterNumber,
      letterDate: input.letterDate,
      state: "INTRODUCED",
      deadline: await deadlineOf(repos, input.letterDate, member.branchId),
      arrivedOn: null,
      createdAt: now,
      createdByTelegramId: actor.telegramId,
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "transfer.introduce",
      entity: "Transfer",
      entityId: transfer.id,
      after: transfer,
      at: now,
    });
    await recordSave(repos, request);
    return ok(transfer);
  });
}

/** The receiving side confirmed the member arrived (or, `returned`, the member came back with the letter). */
export async function closeTransfer(
  deps: AppDeps,
  request: Request,
  transferId: number,
  outcome: "ARRIVED" | "RETURNED",
): Promise<Outcome<TransferRecord>> {
  const { actor, now } = request;
  const today = isoDateIn(now, deps.timeZone);
  return atomically(deps, async (repos) => {
    const transfer = await repos.away.transfer(transferId);
    if (!transfer || !canManageBranch(actor, transfer.branchId)) return fail("AUTH.FORBIDDEN");
    // A temporary transfer that arrived can still end with the member's return.
    const from =
      transfer.kind === "TEMPORARY" && outcome === "RETURNED" && transfer.state === "ARRIVED"
        ? "ARRIVED"
        : "INTRODUCED";
    if (!(await repos.away.moveTransfer(transferId, from, outcome, today))) return fail("TRANSFER.NOT_OPEN");
    await repos.audit.record({
      ...auditActor(actor),
      action: `transfer.${outcome.toLowerCase()}`,
      entity: "Transfer",
      entityId: transferId,
      before: { state: transfer.state },
      after: { state: outcome, on: today },
      at: now,
    });
    // An official transfer that arrived takes the member off this branch's roster (history stays), in the
    // same transaction: a crash cannot leave the transfer closed and the member still on the roster.
    if (outcome === "ARRIVED" && transfer.kind === "OFFICIAL") {
      const off = await takeOffRoster(repos, deps, request, transfer.memberId, "TRANSFERRED_OUT");
      if (!off.ok && off.code !== "MEMBER.NOT_ON_ROSTER") throw new RollBack(off);
    }
    return ok((await repos.away.transfer(transferId))!);
  });
}

export async function branchTransfers(
  deps: AppDeps,
  { actor }: Request,
  branchId: number,
): Promise<Outcome<TransferRecord[]>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  return ok(await deps.store.repos.away.transfersOfBranch(branchId));
}

/** A member arriving from elsewhere joins the roster, with the origin and the date recorded. */
export async function receiveTransfer(
  deps: AppDeps,
  request: Request,
  branchId: number,
  facts: MemberFacts,
  origin: string,
  arrivedOn: IsoDate,
): Promise<Outcome<TransferRecord>> {
  const { actor, now } = request;
  const dated = checkPastDate(arrivedOn, isoDateIn(now, deps.timeZone));
  if (!dated.ok) return fail(dated.problem);
  // The member (with the day they arrived) and the transfer in one transaction: a crash cannot leave a member without their transfer.
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const added = await enterMember(repos, deps, request, branchId, facts, arrivedOn);
    if (!added.ok) return added;
    const transfer = await repos.away.createTransfer({
      memberId: added.value.id,
      branchId,
      direction: "IN",
      kind: "OFFICIAL",
      organisation: origin,
      letterNumber: null,
      letterDate: arrivedOn,
      state: "ARRIVED",
      deadline: null,
      arrivedOn,
      createdAt: now,
      createdByTelegramId: actor.telegramId,
    });
    await repos.audit.record({
      ...auditActor(actor),
      action: "transfer.receive",
      entity: "Transfer",
      entityId: transfer.id,
      after: transfer,
      at: now,
    });
    await recordSave(repos, request);
    return ok(transfer);
  });
}
