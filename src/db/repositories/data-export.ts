// Reads for the committee's full export: every subject table, in id order, a batch at a time (keyset
// pages, never OFFSET), so a commune of tens of thousands of members streams through in constant memory.
// Rows are flat, with the names a reader needs (branch, member) resolved here. Files are described,
// never read: name, type, size and checksum only.
import type {
  AccessExportRow,
  AttendanceExportRow,
  AuditExportRow,
  AwayProfileExportRow,
  BranchExportRow,
  CheckInExportRow,
  DuesEntryExportRow,
  DuesEntryMonthExportRow,
  DuesRateExportRow,
  DuesReliefExportRow,
  EvaluationExportRow,
  ExemptionExportRow,
  ExplanationExportRow,
  FileMetadata,
  FindingExportRow,
  MeetingExportRow,
  MemberExportRow,
  RemittanceExportRow,
  ResidenceExportRow,
  SelfReviewExportRow,
  TaskExportRow,
  TransferExportRow,
} from "../../domain/full-export.js";
import type { Tx } from "../client.js";
import { memberRepository } from "./members.js";

/** Rows per query: large enough that the round trips do not dominate, small enough to stay flat. */
/** A self-review version as stored, text included: the export use case withholds the text (app/full-export.ts). */
export type StoredSelfReviewRow = Omit<SelfReviewExportRow, "hasText"> & { text: string | null };

export const EXPORT_BATCH = 1000;

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

function fileOf(
  file: { fileName: string; mimeType: string; size: number; sha256: string } | null,
): FileMetadata | null {
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
            select: {
              id: true,
              name: true,
              foundedOn: true,
              meetingDay: true,
              meetingTime: true,
              meetingPlace: true,
              createdAt: true,
              archivedAt: true,
            },
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
        (after) =>
          db.awayProfile.findMany({
            where: { memberId: { gt: after } },
            orderBy: { memberId: "asc" },
            take: EXPORT_BATCH,
            include: { member: memberRef },
          }),
        (row) => row.memberId,
      );
      for await (const { member, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
    },

    async *meetings(): AsyncGenerator<MeetingExportRow> {
      const branch = await branchNames();
      for await (const { branchId, regularKey: _key, ...row } of keyset(
        (after) => db.meeting.findMany(page(after)),
        byId,
      )) {
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
        yield {
          ...row,
          meetingDate: meeting.date,
          meetingKind: meeting.kind,
          branchName: branch(meeting.branchId),
          memberName: member.fullName,
        };
      }
    },

    async *explanations(): AsyncGenerator<ExplanationExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) =>
          db.absenceExplanation.findMany({
            ...page(after),
            include: {
              attendance: { select: { meeting: { select: { date: true, branchId: true } } } },
              member: nameRef,
            },
          }),
        byId,
      );
      for await (const { attendance, member, memberId: _memberId, ...row } of rows) {
        yield {
          ...row,
          meetingDate: attendance.meeting.date,
          branchName: branch(attendance.meeting.branchId),
          memberName: member.fullName,
        };
      }
    },

    async *tasks(): AsyncGenerator<TaskExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) =>
          db.meetingTask.findMany({
            ...page(after),
            include: { meeting: { select: { date: true, branchId: true } }, member: nameRef },
          }),
        byId,
      );
      for await (const { meeting, member, memberId: _memberId, ...row } of rows) {
        yield { ...row, meetingDate: meeting.date, branchName: branch(meeting.branchId), memberName: member.fullName };
      }
    },

    async *duesRates(): AsyncGenerator<DuesRateExportRow> {
      const branch = await branchNames();
      for await (const { member, ...row } of keyset(
        (after) => db.duesRate.findMany({ ...page(after), include: { member: memberRef } }),
        byId,
      )) {
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
      }
    },

    async *duesReliefs(): AsyncGenerator<DuesReliefExportRow> {
      const branch = await branchNames();
      for await (const { member, ...row } of keyset(
        (after) => db.duesRelief.findMany({ ...page(after), include: { member: memberRef } }),
        byId,
      )) {
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
      }
    },

    /** Ledger entries with the branch they were recorded for (not the member's branch today). */
    async *duesEntries(): AsyncGenerator<DuesEntryExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.duesEntry.findMany({ ...page(after), include: { member: nameRef } }), byId);
      for await (const { member, branchId, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    async *duesEntryMonths(): AsyncGenerator<DuesEntryMonthExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) => db.duesEntryMonth.findMany({ ...page(after), include: { entry: { select: { member: nameRef } } } }),
        byId,
      );
      for await (const { entry, branchId, ...row } of rows)
        yield { ...row, memberName: entry.member.fullName, branchName: branch(branchId) };
    },

    async *remittances(): AsyncGenerator<RemittanceExportRow> {
      const branch = await branchNames();
      for await (const { branchId, ...row } of keyset((after) => db.duesRemittance.findMany(page(after)), byId))
        yield { ...row, branchName: branch(branchId) };
    },

    async *exemptions(): AsyncGenerator<ExemptionExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) => db.exemptionRequest.findMany({ ...page(after), include: { member: nameRef } }),
        byId,
      );
      for await (const { member, branchId, updatedAt: _updatedAt, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    async *transfers(): AsyncGenerator<TransferExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.transfer.findMany({ ...page(after), include: { member: nameRef } }), byId);
      for await (const { member, branchId, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    /** Self-review versions: who, when, which file (name, size, checksum), reviewed when; the app withholds the text. */
    async *selfReviews(): AsyncGenerator<StoredSelfReviewRow> {
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
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId), text, file: fileOf(file) };
      }
    },

    async *checkIns(): AsyncGenerator<CheckInExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) => db.checkIn.findMany({ ...page(after), include: { member: memberRef, file: fileRef } }),
        byId,
      );
      for await (const { member, file, fileId: _fileId, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId), file: fileOf(file) };
    },

    /** Residence contacts (QĐ 213), one row per yearly comment, or one row for a contact without any. */
    async *residence(): AsyncGenerator<ResidenceExportRow> {
      const branch = await branchNames();
      const rows = keyset(
        (after) =>
          db.residenceContact.findMany({ ...page(after), include: { comments: { orderBy: { year: "asc" } } } }),
        byId,
      );
      for await (const { comments, branchId, id, ...contact } of rows) {
        const base = { contactId: id, branchName: branch(branchId), ...contact };
        if (comments.length === 0)
          yield { ...base, year: null, comment: null, recordedAt: null, recordedByTelegramId: null };
        for (const c of comments)
          yield {
            ...base,
            year: c.year,
            comment: c.text,
            recordedAt: c.recordedAt,
            recordedByTelegramId: c.recordedByTelegramId,
          };
      }
    },

    async *findings(): AsyncGenerator<FindingExportRow> {
      const branch = await branchNames();
      for await (const rows of pages((after) => db.finding.findMany(page(after)), byId)) {
        // Subjects are members or branches; the batch's member names in one query.
        const names = await memberRepo.namesOf([
          ...new Set(rows.filter((r) => r.subjectKind === "member").map((r) => r.subjectId)),
        ]);
        for (const { key: _key, branchId, ...row } of rows) {
          const subjectName =
            row.subjectKind === "member"
              ? (names.get(row.subjectId) ?? null)
              : row.subjectKind === "branch"
                ? branch(row.subjectId)
                : null;
          yield { ...row, subjectName, branchName: branch(branchId) };
        }
      }
    },

    async *evaluations(): AsyncGenerator<EvaluationExportRow> {
      const branch = await branchNames();
      const rows = keyset((after) => db.evaluation.findMany({ ...page(after), include: { member: nameRef } }), byId);
      for await (const { member, branchId, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    async *auditLog(): AsyncGenerator<AuditExportRow> {
      for await (const rows of pages((after) => db.auditLog.findMany(page(after)), byId)) {
        // Actor names for the batch: the roster name if linked, else the Telegram display name.
        const memberIds = [...new Set(rows.flatMap((r) => (r.actorMemberId === null ? [] : [r.actorMemberId])))];
        const telegramIds = [
          ...new Set(
            rows.flatMap((r) => (r.actorMemberId === null && r.actorTelegramId !== null ? [r.actorTelegramId] : [])),
          ),
        ];
        const memberNames = await memberRepo.namesOf(memberIds);
        const users = new Map(
          (
            await db.user.findMany({
              where: { telegramId: { in: telegramIds } },
              select: { telegramId: true, displayName: true },
            })
          ).map((u) => [u.telegramId, u.displayName]),
        );
        for (const row of rows) {
          const actorName =
            row.actorMemberId !== null
              ? (memberNames.get(row.actorMemberId) ?? null)
              : row.actorTelegramId !== null
                ? (users.get(row.actorTelegramId) ?? null)
                : null;
          yield { ...row, actorName };
        }
      }
    },
  };
}

export type DataExportRepository = ReturnType<typeof dataExportRepository>;
