// Members away from home: profiles, exemption requests, stored files, check-ins, self-reviews,
// transfers and residence contacts.
import type { Prisma } from "../../generated/prisma/client.js";
import {
  parseExemptionKind,
  parseExemptionState,
  parseTransferDirection,
  parseTransferKind,
  parseTransferState,
  type ExemptionKind,
  type ExemptionState,
  type TransferDirection,
  type TransferKind,
  type TransferState,
} from "../../domain/away.js";
import type { Tx } from "../client.js";

export interface ExemptionRecord {
  id: number;
  memberId: number;
  memberName: string;
  branchId: number;
  kind: ExemptionKind;
  reason: string;
  fromDate: string;
  toDate: string;
  place: string | null;
  paperNumber: string | null;
  paperDate: string | null;
  state: ExemptionState;
  decisionNote: string | null;
}

const exemptionSelect = {
  id: true,
  memberId: true,
  branchId: true,
  kind: true,
  reason: true,
  fromDate: true,
  toDate: true,
  place: true,
  paperNumber: true,
  paperDate: true,
  state: true,
  decisionNote: true,
  member: { select: { fullName: true } },
} as const;
type ExemptionRow = Omit<ExemptionRecord, "memberName" | "kind" | "state"> & {
  kind: string;
  state: string;
  member: { fullName: string };
};
const toExemption = ({ member, ...row }: ExemptionRow): ExemptionRecord => ({
  ...row,
  kind: parseExemptionKind(row.kind),
  state: parseExemptionState(row.state),
  memberName: member.fullName,
});

export interface TransferRecord {
  id: number;
  memberId: number;
  memberName: string;
  branchId: number;
  direction: TransferDirection;
  kind: TransferKind;
  organisation: string;
  letterNumber: string | null;
  letterDate: string;
  state: TransferState;
  deadline: string | null;
  arrivedOn: string | null;
  returnedOn: string | null;
}

const transferSelect = {
  id: true,
  memberId: true,
  branchId: true,
  direction: true,
  kind: true,
  organisation: true,
  letterNumber: true,
  letterDate: true,
  state: true,
  deadline: true,
  arrivedOn: true,
  returnedOn: true,
  member: { select: { fullName: true } },
} as const;
type TransferRow = Omit<TransferRecord, "memberName" | "direction" | "kind" | "state"> & {
  direction: string;
  kind: string;
  state: string;
  member: { fullName: string };
};
const toTransfer = ({ member, ...row }: TransferRow): TransferRecord => ({
  ...row,
  direction: parseTransferDirection(row.direction),
  kind: parseTransferKind(row.kind),
  state: parseTransferState(row.state),
  memberName: member.fullName,
});

export interface SelfReviewRecord {
  id: number;
  memberId: number;
  memberName: string;
  branchId: number;
  year: number;
  version: number;
  text: string | null;
  file: { id: number; fileName: string; mimeType: string; size: number; sha256: string; path: string } | null;
  submittedAt: Date;
  reviewedAt: Date | null;
  reviewComment: string | null;
}

const reviewSelect = {
  id: true,
  memberId: true,
  year: true,
  version: true,
  text: true,
  submittedAt: true,
  reviewedAt: true,
  reviewComment: true,
  member: { select: { fullName: true, branchId: true } },
  file: { select: { id: true, fileName: true, mimeType: true, size: true, sha256: true, path: true } },
} as const;
type ReviewRow = Omit<SelfReviewRecord, "memberName" | "branchId"> & { member: { fullName: string; branchId: number } };
const toReview = ({ member, ...row }: ReviewRow): SelfReviewRecord => ({
  ...row,
  memberName: member.fullName,
  branchId: member.branchId,
});

export interface AwayMemberRow {
  memberId: number;
  fullName: string;
  branchId: number;
  branchName: string;
  place: string | null;
  since: string | null;
  lastCheckin: {
    id: number;
    place: string;
    work: string | null;
    phone: string | null;
    createdAt: Date;
    fileName: string | null;
  } | null;
}

/**
 * Who is away from home on `today`, the one answer the committee's list, R9, the reminders and the reports
 * read: a member on the roster (or exempted on it) recorded as working away (a profile, a check-in) and not
 * recorded back since, or on an approved work-away exemption running that day.
 */
export function awayWhere(today: string) {
  return {
    state: { in: ["ACTIVE", "EXEMPT"] },
    OR: [{ isAway: true }, { exemptionRequests: { some: runningWorkAway(today) } }],
  } satisfies Prisma.MemberWhereInput;
}

const runningWorkAway = (today: string) =>
  ({
    kind: "WORK_AWAY",
    state: "APPROVED",
    fromDate: { lte: today },
    toDate: { gte: today },
  }) satisfies Prisma.ExemptionRequestWhereInput;

export function awayRepository(db: Tx) {
  return {
    async profile(
      memberId: number,
    ): Promise<{ place: string; work: string | null; contact: string | null; since: string | null } | null> {
      return db.awayProfile.findUnique({
        where: { memberId },
        select: { place: true, work: true, contact: true, since: true },
      });
    },
    async setProfile(
      memberId: number,
      profile: { place: string; work: string | null; contact: string | null; since: string | null },
      by: string,
    ): Promise<void> {
      await db.awayProfile.upsert({
        where: { memberId },
        create: { memberId, ...profile, updatedByTelegramId: by },
        update: { ...profile, updatedByTelegramId: by },
      });
      await db.member.update({ where: { id: memberId }, data: { isAway: true } });
    },
    /** The member is back home: no longer recorded as working away (the profile stays as history). */
    async setBack(memberId: number): Promise<void> {
      await db.member.update({ where: { id: memberId }, data: { isAway: false } });
    },
    /** The member's approved work-away exemptions running on `today`. */
    async runningWorkAway(memberId: number, today: string): Promise<{ id: number; state: string }[]> {
      return db.exemptionRequest.findMany({
        where: { memberId, ...runningWorkAway(today) },
        select: { id: true, state: true },
      });
    },
    /**
     * Members away on `today` (awayWhere) of a branch (or of every branch: null) with their latest check-in: two
     * queries. Where and since when come from the profile, else from the running work-away exemption.
     */
    async awayMembers(branchId: number | null, today: string): Promise<AwayMemberRow[]> {
      const members = await db.member.findMany({
        where: { ...(branchId === null ? {} : { branchId }), ...awayWhere(today) },
        orderBy: [{ sortKey: "asc" }, { id: "asc" }],
        select: {
          id: true,
          fullName: true,
          branchId: true,
          branch: { select: { name: true } },
          awayProfile: { select: { place: true, since: true } },
          exemptionRequests: {
            where: runningWorkAway(today),
            select: { place: true, fromDate: true },
            orderBy: { fromDate: "asc" },
            take: 1,
          },
        },
      });
      const checkins = await db.checkIn.findMany({
        where: { memberId: { in: members.map((m) => m.id) } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: {
          id: true,
          memberId: true,
          place: true,
          work: true,
          phone: true,
          createdAt: true,
          file: { select: { fileName: true } },
        },
      });
      const latest = new Map<number, (typeof checkins)[number]>();
      for (const c of checkins) if (!latest.has(c.memberId)) latest.set(c.memberId, c);
      return members.map((m) => {
        const last = latest.get(m.id);
        return {
          memberId: m.id,
          fullName: m.fullName,
          branchId: m.branchId,
          branchName: m.branch.name,
          place: m.awayProfile?.place ?? m.exemptionRequests[0]?.place ?? null,
          since: m.awayProfile?.since ?? m.exemptionRequests[0]?.fromDate ?? null,
          lastCheckin: last
            ? {
                id: last.id,
                place: last.place,
                work: last.work,
                phone: last.phone,
                createdAt: last.createdAt,
                fileName: last.file?.fileName ?? null,
              }
            : null,
        };
      });
    },
    /** A check-in with its member's branch and its attachment, for opening the file. */
    async checkinFile(id: number): Promise<{
      memberId: number;
      memberName: string;
      branchId: number;
      createdAt: Date;
      file: { fileName: string; path: string; sha256: string; mimeType: string } | null;
    } | null> {
      const row = await db.checkIn.findUnique({
        where: { id },
        select: {
          memberId: true,
          createdAt: true,
          member: { select: { fullName: true, branchId: true } },
          file: { select: { fileName: true, path: true, sha256: true, mimeType: true } },
        },
      });
      return row
        ? {
            memberId: row.memberId,
            memberName: row.member.fullName,
            branchId: row.member.branchId,
            createdAt: row.createdAt,
            file: row.file,
          }
        : null;
    },

    async createExemption(
      input: Omit<ExemptionRecord, "id" | "memberName" | "decisionNote"> & {
        createdAt: Date;
        createdByTelegramId: string;
      },
    ): Promise<ExemptionRecord> {
      return toExemption(await db.exemptionRequest.create({ data: input, select: exemptionSelect }));
    },
    async exemption(id: number): Promise<ExemptionRecord | null> {
      const row = await db.exemptionRequest.findUnique({ where: { id }, select: exemptionSelect });
      return row ? toExemption(row) : null;
    },
    async exemptionsOfMember(memberId: number): Promise<ExemptionRecord[]> {
      return (
        await db.exemptionRequest.findMany({ where: { memberId }, orderBy: { id: "desc" }, select: exemptionSelect })
      ).map(toExemption);
    },
    async exemptionsOfBranch(branchId: number, states: string[]): Promise<ExemptionRecord[]> {
      return (
        await db.exemptionRequest.findMany({
          where: { branchId, state: { in: states } },
          orderBy: { id: "desc" },
          take: 30,
          select: exemptionSelect,
        })
      ).map(toExemption);
    },
    async exemptionsInState(states: string[]): Promise<ExemptionRecord[]> {
      return (
        await db.exemptionRequest.findMany({
          where: { state: { in: states } },
          orderBy: { id: "asc" },
          take: 50,
          select: exemptionSelect,
        })
      ).map(toExemption);
    },
    /** Moves a request on only from the state the caller saw: a stale button changes nothing. */
    async moveExemption(
      id: number,
      from: string,
      to: string,
      by: string,
      at: Date,
      note: string | null,
    ): Promise<boolean> {
      const decided = to === "APPROVED" || to === "REJECTED" || to === "RETURNED";
      const result = await db.exemptionRequest.updateMany({
        where: { id, state: from },
        data: { state: to, ...(decided ? { decidedAt: at, decidedByTelegramId: by, decisionNote: note } : {}) },
      });
      return result.count === 1;
    },
    /** Approved exemption periods of these members: they are not expected at meetings then. */
    async approvedExemptions(memberIds: number[]): Promise<{ memberId: number; from: string; to: string }[]> {
      const rows = await db.exemptionRequest.findMany({
        where: { memberId: { in: memberIds }, state: "APPROVED" },
        select: { memberId: true, fromDate: true, toDate: true },
      });
      return rows.map((r) => ({ memberId: r.memberId, from: r.fromDate, to: r.toDate }));
    },

    async storeFile(input: {
      sha256: string;
      fileName: string;
      mimeType: string;
      size: number;
      path: string;
      createdAt: Date;
      uploadedByTelegramId: string;
    }): Promise<{ id: number }> {
      return db.storedFile.create({ data: input, select: { id: true } });
    },
    async addCheckin(input: {
      memberId: number;
      place: string;
      work: string | null;
      phone: string | null;
      fileId: number | null;
      createdAt: Date;
    }): Promise<{ id: number }> {
      return db.checkIn.create({ data: input, select: { id: true } });
    },

    async latestReviewVersion(memberId: number, year: number): Promise<number> {
      const row = await db.selfReview.findFirst({
        where: { memberId, year },
        orderBy: { version: "desc" },
        select: { version: true },
      });
      return row?.version ?? 0;
    },
    async addReview(input: {
      memberId: number;
      year: number;
      version: number;
      text: string | null;
      fileId: number | null;
      submittedAt: Date;
    }): Promise<SelfReviewRecord> {
      return toReview(await db.selfReview.create({ data: input, select: reviewSelect }));
    },
    async review(id: number): Promise<SelfReviewRecord | null> {
      const row = await db.selfReview.findUnique({ where: { id }, select: reviewSelect });
      return row ? toReview(row) : null;
    },
    async reviewsOfMember(memberId: number, year: number): Promise<SelfReviewRecord[]> {
      return (
        await db.selfReview.findMany({ where: { memberId, year }, orderBy: { version: "asc" }, select: reviewSelect })
      ).map(toReview);
    },
    /** The latest version per member of a branch for a year. */
    async latestReviewsOfBranch(branchId: number, year: number): Promise<SelfReviewRecord[]> {
      const rows = (
        await db.selfReview.findMany({
          where: { year, member: { branchId } },
          orderBy: [{ memberId: "asc" }, { version: "desc" }],
          select: reviewSelect,
        })
      ).map(toReview);
      const latest = new Map<number, SelfReviewRecord>();
      for (const row of rows) if (!latest.has(row.memberId)) latest.set(row.memberId, row);
      return [...latest.values()];
    },
    async markReviewed(id: number, by: string, at: Date, comment: string): Promise<boolean> {
      const result = await db.selfReview.updateMany({
        where: { id, reviewedAt: null },
        data: { reviewedAt: at, reviewedByTelegramId: by, reviewComment: comment },
      });
      return result.count === 1;
    },
    /** Members with a self-review for the year, per branch: one grouped query. */
    async reviewCountsByBranch(year: number): Promise<Map<number, number>> {
      const rows = await db.selfReview.findMany({
        where: { year, version: 1 },
        select: { member: { select: { branchId: true } } },
      });
      const counts = new Map<number, number>();
      for (const row of rows) counts.set(row.member.branchId, (counts.get(row.member.branchId) ?? 0) + 1);
      return counts;
    },

    async createTransfer(
      input: Omit<TransferRecord, "id" | "memberName" | "arrivedOn" | "returnedOn"> & {
        arrivedOn: string | null;
        createdAt: Date;
        createdByTelegramId: string;
      },
    ): Promise<TransferRecord> {
      return toTransfer(await db.transfer.create({ data: input, select: transferSelect }));
    },
    async transfer(id: number): Promise<TransferRecord | null> {
      const row = await db.transfer.findUnique({ where: { id }, select: transferSelect });
      return row ? toTransfer(row) : null;
    },
    async transfersOfBranch(branchId: number): Promise<TransferRecord[]> {
      return (
        await db.transfer.findMany({ where: { branchId }, orderBy: { id: "desc" }, take: 30, select: transferSelect })
      ).map(toTransfer);
    },
    async moveTransfer(id: number, from: string, to: string, day: string): Promise<boolean> {
      const result = await db.transfer.updateMany({
        where: { id, state: from },
        data: { state: to, ...(to === "ARRIVED" ? { arrivedOn: day } : { returnedOn: day }) },
      });
      return result.count === 1;
    },
    /** Temporary transfers out of these members that keep them away from the home branch's meetings. */
    async temporaryTransfers(memberIds: number[]): Promise<{ memberId: number; from: string; to: string | null }[]> {
      const rows = await db.transfer.findMany({
        where: {
          memberId: { in: memberIds },
          direction: "OUT",
          kind: "TEMPORARY",
          state: { in: ["INTRODUCED", "ARRIVED", "RETURNED"] },
        },
        select: { memberId: true, letterDate: true, returnedOn: true },
      });
      return rows.map((r) => ({ memberId: r.memberId, from: r.letterDate, to: r.returnedOn }));
    },

    async residenceContacts(
      branchId: number,
      year: number,
    ): Promise<{ id: number; fullName: string; workplaceOrg: string; comment: string | null }[]> {
      const rows = await db.residenceContact.findMany({
        where: { branchId, removedAt: null },
        orderBy: { fullName: "asc" },
        select: { id: true, fullName: true, workplaceOrg: true, comments: { where: { year }, select: { text: true } } },
      });
      return rows.map((r) => ({
        id: r.id,
        fullName: r.fullName,
        workplaceOrg: r.workplaceOrg,
        comment: r.comments[0]?.text ?? null,
      }));
    },
    async addResidenceContact(input: {
      branchId: number;
      fullName: string;
      workplaceOrg: string;
      address: string | null;
      phone: string | null;
      createdAt: Date;
    }): Promise<{ id: number }> {
      return db.residenceContact.create({ data: input, select: { id: true } });
    },
    async residenceContact(id: number): Promise<{ id: number; branchId: number; fullName: string } | null> {
      return db.residenceContact.findUnique({ where: { id }, select: { id: true, branchId: true, fullName: true } });
    },
    async setResidenceComment(
      contactId: number,
      year: number,
      text: string,
      by: string,
      at: Date,
    ): Promise<{ before: string | null }> {
      const existing = await db.residenceComment.findUnique({
        where: { contactId_year: { contactId, year } },
        select: { text: true },
      });
      await db.residenceComment.upsert({
        where: { contactId_year: { contactId, year } },
        create: { contactId, year, text, recordedAt: at, recordedByTelegramId: by },
        update: { text, recordedAt: at, recordedByTelegramId: by },
      });
      return { before: existing?.text ?? null };
    },
  };
}
