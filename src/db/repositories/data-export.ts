// Reads for the committee's full export: every subject table, in id order, a batch at a time (keyset
// pages, never OFFSET), so a commune of tens of thousands of members streams through in constant memory.
// Rows are flat, with the names a reader needs (branch, member) resolved here. Files are described,
// never read: name, type, size and checksum only.
import { hasTypedText } from "../../domain/paper-self-review.js";
import type { Tx } from "../client.js";
import { memberRepository } from "./members.js";

/** Rows per query: large enough that the round trips do not dominate, small enough to stay flat. */
export const EXPORT_BATCH = 1000;

export interface BranchExportRow {
  id: number;
  name: string;
  foundedOn: string | null;
  meetingDay: number | null;
  meetingTime: string | null;
  meetingPlace: string | null;
  createdAt: Date;
  archivedAt: Date | null;
}

export interface MemberExportRow {
  id: number;
  branchId: number;
  branchName: string;
  fullName: string;
  birthDate: string | null;
  joinDate: string | null;
  officialDate: string | null;
  kind: string;
  state: string;
  stateSince: string | null;
  phone: string | null;
  residence: string | null;
  workplace: string | null;
  isAway: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AccessExportRow {
  id: number;
  telegramId: string;
  displayName: string;
  username: string | null;
  memberName: string | null;
  role: string;
  branchName: string | null;
  grantedAt: Date;
  grantedBy: string | null;
  revokedAt: Date | null;
}

export interface AwayProfileExportRow {
  memberId: number;
  memberName: string;
  branchName: string;
  place: string;
  work: string | null;
  contact: string | null;
  since: string | null;
  updatedAt: Date;
  updatedByTelegramId: string;
}

export interface MeetingExportRow {
  id: number;
  branchName: string;
  kind: string;
  date: string;
  topic: string | null;
  resolution: string | null;
  recordedByTelegramId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface AttendanceExportRow {
  id: number;
  meetingId: number;
  meetingDate: string;
  meetingKind: string;
  branchName: string;
  memberId: number;
  memberName: string;
  status: string;
  reason: string | null;
}

export interface ExplanationExportRow {
  id: number;
  attendanceId: number;
  meetingDate: string;
  branchName: string;
  memberName: string;
  text: string;
  submittedAt: Date;
  decision: string;
  decidedAt: Date | null;
  decidedByTelegramId: string | null;
  note: string | null;
}

export interface TaskExportRow {
  id: number;
  meetingId: number;
  meetingDate: string;
  branchName: string;
  memberName: string;
  description: string;
  dueDate: string;
  doneAt: Date | null;
  createdAt: Date;
}

export interface DuesRateExportRow {
  id: number;
  memberId: number;
  memberName: string;
  branchName: string;
  effectiveMonth: string;
  amount: number;
  basis: string;
  basisAmount: number | null;
  createdAt: Date;
  createdByTelegramId: string;
}

export interface DuesReliefExportRow {
  id: number;
  memberId: number;
  memberName: string;
  branchName: string;
  kind: string;
  percent: number | null;
  reason: string;
  note: string | null;
  fromMonth: string;
  toMonth: string | null;
  createdAt: Date;
  createdByTelegramId: string;
  revokedAt: Date | null;
}

export interface DuesEntryExportRow {
  id: number;
  memberId: number;
  memberName: string;
  branchName: string;
  kind: string;
  amount: number;
  reversesEntryId: number | null;
  collectedBy: string | null;
  note: string | null;
  recordedAt: Date;
  recordedByTelegramId: string;
}

export interface DuesEntryMonthExportRow {
  id: number;
  entryId: number;
  memberId: number;
  memberName: string;
  branchName: string;
  month: string;
  amount: number;
}

export interface RemittanceExportRow {
  id: number;
  branchName: string;
  period: string;
  amount: number;
  note: string | null;
  recordedAt: Date;
  recordedByTelegramId: string;
}

export interface ExemptionExportRow {
  id: number;
  memberId: number;
  memberName: string;
  branchName: string;
  kind: string;
  reason: string;
  fromDate: string;
  toDate: string;
  place: string | null;
  paperNumber: string | null;
  paperDate: string | null;
  state: string;
  createdAt: Date;
  createdByTelegramId: string;
  decidedAt: Date | null;
  decidedByTelegramId: string | null;
  decisionNote: string | null;
}

export interface TransferExportRow {
  id: number;
  memberId: number;
  memberName: string;
  branchName: string;
  direction: string;
  kind: string;
  organisation: string;
  letterNumber: string | null;
  letterDate: string;
  state: string;
  deadline: string | null;
  arrivedOn: string | null;
  returnedOn: string | null;
  createdAt: Date;
  createdByTelegramId: string;
}

/** A stored file described, not read. */
export interface FileMetadata {
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export interface SelfReviewExportRow {
  id: number;
  memberId: number;
  memberName: string;
  branchName: string;
  year: number;
  version: number;
  /** Whether the member typed the review in the chat (its text is not exported). */
  hasText: boolean;
  file: FileMetadata | null;
  submittedAt: Date;
  reviewedAt: Date | null;
  reviewedByTelegramId: string | null;
  reviewComment: string | null;
}

export interface CheckInExportRow {
  id: number;
  memberId: number;
  memberName: string;
  branchName: string;
  place: string;
  work: string | null;
  phone: string | null;
  file: FileMetadata | null;
  createdAt: Date;
}

export interface ResidenceExportRow {
  /** The contact's id; a contact with several yearly comments has several rows. */
  contactId: number;
  branchName: string;
  fullName: string;
  workplaceOrg: string;
  address: string | null;
  phone: string | null;
  createdAt: Date;
  removedAt: Date | null;
  year: number | null;
  comment: string | null;
  recordedAt: Date | null;
  recordedByTelegramId: string | null;
}

export interface FindingExportRow {
  id: number;
  rule: string;
  subjectKind: string;
  subjectId: number;
  /** The member's or branch's name when the subject is one; null otherwise. */
  subjectName: string | null;
  branchName: string;
  period: string;
  severity: string;
  facts: string;
  status: string;
  openedAt: Date;
  escalatedAt: Date | null;
  resolvedAt: Date | null;
  handledAt: Date | null;
  decision: string | null;
  note: string | null;
  handledByTelegramId: string | null;
}

export interface EvaluationExportRow {
  id: number;
  memberId: number;
  memberName: string;
  branchName: string;
  year: number;
  grade: string;
  note: string | null;
  recordedAt: Date;
  recordedByTelegramId: string;
}

export interface AuditExportRow {
  id: number;
  at: Date;
  actorTelegramId: string | null;
  actorMemberId: number | null;
  /** The actor's roster name, else their Telegram display name, when known. */
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: string | null;
  after: string | null;
}

const SELF_REVIEW_SUBMIT = "selfReview.submit";

/**
 * A self-review submission's audit entry without the typed text. Entries written before the text was left
 * out of the log carried it; the export withholds the text of self-reviews (SelfReviewExportRow.hasText),
 * and the log must not give it away. Replaced by the shape entries have now: whether there was text and its
 * length. Anything unreadable is withheld whole.
 */
function withoutSelfReviewText(after: string | null): string | null {
  if (after === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(after);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  if (!("text" in value)) return after;
  const { text, ...rest } = value as Record<string, unknown>;
  const textLength = typeof text === "string" ? [...text].length : 0;
  return JSON.stringify({ ...rest, hasText: textLength > 0, textLength });
}

/** Reads `read(after)` page after page (keyset on an increasing key) and yields each page, the empty last one included. */
async function* pages<R>(read: (after: number) => Promise<R[]>, keyOf: (row: R) => number): AsyncGenerator<R[]> {
  let after = 0;
  for (;;) {
    const rows = await read(after);
    yield rows;
    const last = rows[rows.length - 1];
    if (rows.length < EXPORT_BATCH || last === undefined) return;
    after = keyOf(last);
  }
}

/** The same, row by row. */
async function* keyset<R>(read: (after: number) => Promise<R[]>, keyOf: (row: R) => number): AsyncGenerator<R> {
  for await (const rows of pages(read, keyOf)) {
    for (const row of rows) yield row;
  }
}

const byId = (row: { id: number }) => row.id;
const page = (after: number) => ({ where: { id: { gt: after } }, orderBy: { id: "asc" as const }, take: EXPORT_BATCH });
const memberRef = { select: { fullName: true, branchId: true } } as const;
const nameRef = { select: { fullName: true } } as const;
const fileRef = { select: { fileName: true, mimeType: true, size: true, sha256: true } } as const;

function fileOf(file: { fileName: string; mimeType: string; size: number; sha256: string } | null): FileMetadata | null {
  return file ? { fileName: file.fileName, mimeType: file.mimeType, size: file.size, sha256: file.sha256 } : null;
}

export function dataExportRepository(db: Tx) {
  // Branches are few (a commune has tens): one map per read, so rows carry the name without a join.
  const branchNames = async (): Promise<(id: number | null) => string> => {
    const map = new Map((await db.branch.findMany({ select: { id: true, name: true } })).map((b) => [b.id, b.name]));
    return (id) => (id === null ? "" : (map.get(id) ?? `#${id}`));
  };
  const memberRepo = memberRepository(db);

  return {
    async *branches(): AsyncGenerator<BranchExportRow> {
      yield* keyset(
        (after) =>
          db.branch.findMany({
            ...page(after),
            select: { id: true, name: true, foundedOn: true, meetingDay: true, meetingTime: true, meetingPlace: true, createdAt: true, archivedAt: true },
          }),
        byId,
      );
    },

    async *members(): AsyncGenerator<MemberExportRow> {
      const branch = await branchNames();
      for await (const row of keyset((after) => db.member.findMany(page(after)), byId)) {
        const { sortKey: _sortKey, ...rest } = row;
        yield { ...rest, branchName: branch(row.branchId) };
      }
    },

    /** Who holds which role, revoked grants included: the audit of access. */
    async *access(): AsyncGenerator<AccessExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) =>
          db.roleAssignment.findMany({
            ...page(after),
            include: { user: { select: { telegramId: true, displayName: true, username: true, member: nameRef } } },
          }),
        byId,
      );
      for await (const row of rows) {
        yield {
          id: row.id,
          telegramId: row.user.telegramId,
          displayName: row.user.displayName,
          username: row.user.username,
          memberName: row.user.member?.fullName ?? null,
          role: row.role,
          branchName: row.branchId === null ? null : branch(row.branchId),
          grantedAt: row.grantedAt,
          grantedBy: row.grantedBy,
          revokedAt: row.revokedAt,
        };
      }
    },

    async *awayProfiles(): AsyncGenerator<AwayProfileExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) => db.awayProfile.findMany({ where: { memberId: { gt: after } }, orderBy: { memberId: "asc" }, take: EXPORT_BATCH, include: { member: memberRef } }),
        (row) => row.memberId,
      );
      for await (const { member, ...row } of rows) yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
    },

    async *meetings(): AsyncGenerator<MeetingExportRow> {
      const branch = await branchNames();
      for await (const { branchId, regularKey: _key, ...row } of keyset((after) => db.meeting.findMany(page(after)), byId)) {
        yield { ...row, branchName: branch(branchId) };
      }
    },

    async *attendance(): AsyncGenerator<AttendanceExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) =>
          db.attendance.findMany({
            ...page(after),
            include: { meeting: { select: { date: true, kind: true, branchId: true } }, member: nameRef },
          }),
        byId,
      );
      for await (const { meeting, member, ...row } of rows) {
        yield { ...row, meetingDate: meeting.date, meetingKind: meeting.kind, branchName: branch(meeting.branchId), memberName: member.fullName };
      }
    },

    async *explanations(): AsyncGenerator<ExplanationExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) =>
          db.absenceExplanation.findMany({
            ...page(after),
            include: { attendance: { select: { meeting: { select: { date: true, branchId: true } } } }, member: nameRef },
          }),
        byId,
      );
      for await (const { attendance, member, memberId: _memberId, ...row } of rows) {
        yield { ...row, meetingDate: attendance.meeting.date, branchName: branch(attendance.meeting.branchId), memberName: member.fullName };
      }
    },

    async *tasks(): AsyncGenerator<TaskExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) => db.meetingTask.findMany({ ...page(after), include: { meeting: { select: { date: true, branchId: true } }, member: nameRef } }),
        byId,
      );
      for await (const { meeting, member, memberId: _memberId, ...row } of rows) {
        yield { ...row, meetingDate: meeting.date, branchName: branch(meeting.branchId), memberName: member.fullName };
      }
    },

    async *duesRates(): AsyncGenerator<DuesRateExportRow> {
      const branch = await branchNames();
      for await (const { member, ...row } of keyset((after) => db.duesRate.findMany({ ...page(after), include: { member: memberRef } }), byId)) {
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
      }
    },

    async *duesReliefs(): AsyncGenerator<DuesReliefExportRow> {
      const branch = await branchNames();
      for await (const { member, ...row } of keyset((after) => db.duesRelief.findMany({ ...page(after), include: { member: memberRef } }), byId)) {
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
      }
    },

    /** Ledger entries with the branch they were recorded for (not the member's branch today). */
    async *duesEntries(): AsyncGenerator<DuesEntryExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.duesEntry.findMany({ ...page(after), include: { member: nameRef } }), byId);
      for await (const { member, branchId, ...row } of rows) yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    async *duesEntryMonths(): AsyncGenerator<DuesEntryMonthExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.duesEntryMonth.findMany({ ...page(after), include: { entry: { select: { member: nameRef } } } }), byId);
      for await (const { entry, branchId, ...row } of rows) yield { ...row, memberName: entry.member.fullName, branchName: branch(branchId) };
    },

    async *remittances(): AsyncGenerator<RemittanceExportRow> {
      const branch = await branchNames();
      for await (const { branchId, ...row } of keyset((after) => db.duesRemittance.findMany(page(after)), byId)) yield { ...row, branchName: branch(branchId) };
    },

    async *exemptions(): AsyncGenerator<ExemptionExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.exemptionRequest.findMany({ ...page(after), include: { member: nameRef } }), byId);
      for await (const { member, branchId, updatedAt: _updatedAt, ...row } of rows) yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    async *transfers(): AsyncGenerator<TransferExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.transfer.findMany({ ...page(after), include: { member: nameRef } }), byId);
      for await (const { member, branchId, ...row } of rows) yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    /** Self-review versions: who, when, which file (name, size, checksum), reviewed when; no contents. */
    async *selfReviews(): AsyncGenerator<SelfReviewExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) =>
          db.selfReview.findMany({
            ...page(after),
            select: {
              id: true,
              memberId: true,
              year: true,
              version: true,
              text: true,
              submittedAt: true,
              reviewedAt: true,
              reviewedByTelegramId: true,
              reviewComment: true,
              member: memberRef,
              file: fileRef,
            },
          }),
        byId,
      );
      for await (const { member, file, text, ...row } of rows) {
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId), hasText: hasTypedText(text), file: fileOf(file) };
      }
    },

    async *checkIns(): AsyncGenerator<CheckInExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) => db.checkIn.findMany({ ...page(after), include: { member: memberRef, file: fileRef } }),
        byId,
      );
      for await (const { member, file, fileId: _fileId, ...row } of rows) yield { ...row, memberName: member.fullName, branchName: branch(member.branchId), file: fileOf(file) };
    },

    /** Residence contacts (QĐ 213), one row per yearly comment, or one row for a contact without any. */
    async *residence(): AsyncGenerator<ResidenceExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.residenceContact.findMany({ ...page(after), include: { comments: { orderBy: { year: "asc" } } } }), byId);
      for await (const { comments, branchId, id, ...contact } of rows) {
        const base = { contactId: id, branchName: branch(branchId), ...contact };
        if (comments.length === 0) yield { ...base, year: null, comment: null, recordedAt: null, recordedByTelegramId: null };
        for (const c of comments) yield { ...base, year: c.year, comment: c.text, recordedAt: c.recordedAt, recordedByTelegramId: c.recordedByTelegramId };
      }
    },

    async *findings(): AsyncGenerator<FindingExportRow> {
      const branch = await branchNames();
      for await (const rows of pages((after) => db.finding.findMany(page(after)), byId)) {
        // Subjects are members or branches; the batch's member names in one query.
        const names = await memberRepo.namesOf([...new Set(rows.filter((r) => r.subjectKind === "member").map((r) => r.subjectId))]);
        for (const { key: _key, branchId, ...row } of rows) {
          const subjectName = row.subjectKind === "member" ? (names.get(row.subjectId) ?? null) : row.subjectKind === "branch" ? branch(row.subjectId) : null;
          yield { ...row, subjectName, branchName: branch(branchId) };
        }
      }
    },

    async *evaluations(): AsyncGenerator<EvaluationExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.evaluation.findMany({ ...page(after), include: { member: nameRef } }), byId);
      for await (const { member, branchId, ...row } of rows) yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    async *auditLog(): AsyncGenerator<AuditExportRow> {
      for await (const rows of pages((after) => db.auditLog.findMany(page(after)), byId)) {
        // Actor names for the batch: the roster name if linked, else the Telegram display name.
        const memberIds = [...new Set(rows.flatMap((r) => (r.actorMemberId === null ? [] : [r.actorMemberId])))];
        const telegramIds = [...new Set(rows.flatMap((r) => (r.actorMemberId === null && r.actorTelegramId !== null ? [r.actorTelegramId] : [])))];
        const memberNames = await memberRepo.namesOf(memberIds);
        const users = new Map((await db.user.findMany({ where: { telegramId: { in: telegramIds } }, select: { telegramId: true, displayName: true } })).map((u) => [u.telegramId, u.displayName]));
        for (const row of rows) {
          const actorName = row.actorMemberId !== null ? (memberNames.get(row.actorMemberId) ?? null) : row.actorTelegramId !== null ? (users.get(row.actorTelegramId) ?? null) : null;
          yield { ...row, after: row.action === SELF_REVIEW_SUBMIT ? withoutSelfReviewText(row.after) : row.after, actorName };
        }
      }
    },
  };
}

export type DataExportRepository = ReturnType<typeof dataExportRepository>;
