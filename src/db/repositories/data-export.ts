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
  ExportScope,
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
const page = <W extends object>(after: number, where?: W) => ({
  where: { id: { gt: after }, ...where },
  orderBy: { id: "asc" as const },
  take: EXPORT_BATCH,
});
const memberRef = { select: { fullName: true, branchId: true } } as const;
const nameRef = { select: { fullName: true } } as const;
const fileRef = { select: { fileName: true, mimeType: true, size: true, sha256: true } } as const;

function fileOf(
  file: { fileName: string; mimeType: string; size: number; sha256: string } | null,
): FileMetadata | null {
  return file ? { fileName: file.fileName, mimeType: file.mimeType, size: file.size, sha256: file.sha256 } : null;
}

/**
 * The filters of a commune's export (ExportScope): rows of its branches (archived ones too), by the row's own
 * branch, its member's, its meeting's. No scope (a one-commune deployment): every row, as before communes.
 */
function scopeFilters(scope: ExportScope | null) {
  const ids = scope ? [...scope.branchIds] : null;
  const ofBranch = ids ? { branchId: { in: ids } } : {};
  return {
    branch: ids ? { id: { in: ids } } : {},
    ofBranch,
    ofMember: ids ? { member: ofBranch } : {},
    ofMeeting: ids ? { meeting: ofBranch } : {},
    // The commune's committee roles and its branches' roles: never the province's officers', nor another commune's.
    role: scope ? { OR: [{ branchId: { in: [...scope.branchIds] } }, { committeeId: scope.committeeId }] } : {},
  };
}

export function dataExportRepository(db: Tx) {
  // Branches are few (a commune has tens): one map per read, so rows carry the name without a join. A commune's
  // export knows its own branches' names only.
  const branchNames = async (scope: ExportScope | null): Promise<(id: number | null) => string> => {
    const map = new Map(
      (await db.branch.findMany({ where: scopeFilters(scope).branch, select: { id: true, name: true } })).map((b) => [
        b.id,
        b.name,
      ]),
    );
    return (id) => (id === null ? "" : (map.get(id) ?? `#${id}`));
  };
  const memberRepo = memberRepository(db);

  return {
    async *branches(scope: ExportScope | null = null): AsyncGenerator<BranchExportRow> {
      yield* keyset(
        (after) =>
          db.branch.findMany({
            ...page(after, scopeFilters(scope).branch),
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

    async *members(scope: ExportScope | null = null): AsyncGenerator<MemberExportRow> {
      const branch = await branchNames(scope);
      for await (const row of keyset((after) => db.member.findMany(page(after, scopeFilters(scope).ofBranch)), byId)) {
        const { sortKey: _sortKey, ...rest } = row;
        yield { ...rest, branchName: branch(row.branchId) };
      }
    },

    /** Who holds which role, revoked grants included: the audit of access. */
    async *access(scope: ExportScope | null = null): AsyncGenerator<AccessExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.roleAssignment.findMany({
            ...page(after, scopeFilters(scope).role),
            include: { user: { select: { telegramId: true, displayName: true, username: true, member: memberRef } } },
          }),
        byId,
      );
      // The roster entry an account is linked to is named only when it is the commune's own: someone holding a
      // role here may be a member of another commune's branch.
      const inScope = (branchId: number) => scope === null || scope.branchIds.includes(branchId);
      for await (const row of rows) {
        const member = row.user.member && inScope(row.user.member.branchId) ? row.user.member : null;
        yield {
          id: row.id,
          telegramId: row.user.telegramId,
          displayName: row.user.displayName,
          username: row.user.username,
          memberName: member?.fullName ?? null,
          role: row.role,
          branchName: row.branchId === null ? null : branch(row.branchId),
          grantedAt: row.grantedAt,
          grantedBy: row.grantedBy,
          revokedAt: row.revokedAt,
        };
      }
    },

    async *awayProfiles(scope: ExportScope | null = null): AsyncGenerator<AwayProfileExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.awayProfile.findMany({
            where: { memberId: { gt: after }, ...scopeFilters(scope).ofMember },
            orderBy: { memberId: "asc" },
            take: EXPORT_BATCH,
            include: { member: memberRef },
          }),
        (row) => row.memberId,
      );
      for await (const { member, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
    },

    async *meetings(scope: ExportScope | null = null): AsyncGenerator<MeetingExportRow> {
      const branch = await branchNames(scope);
      for await (const { branchId, regularKey: _key, ...row } of keyset(
        (after) => db.meeting.findMany(page(after, scopeFilters(scope).ofBranch)),
        byId,
      )) {
        yield { ...row, branchName: branch(branchId) };
      }
    },

    async *attendance(scope: ExportScope | null = null): AsyncGenerator<AttendanceExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.attendance.findMany({
            ...page(after, scopeFilters(scope).ofMeeting),
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

    async *explanations(scope: ExportScope | null = null): AsyncGenerator<ExplanationExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.absenceExplanation.findMany({
            ...page(after, scope ? { attendance: scopeFilters(scope).ofMeeting } : {}),
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

    async *tasks(scope: ExportScope | null = null): AsyncGenerator<TaskExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.meetingTask.findMany({
            ...page(after, scopeFilters(scope).ofMeeting),
            include: { meeting: { select: { date: true, branchId: true } }, member: nameRef },
          }),
        byId,
      );
      for await (const { meeting, member, memberId: _memberId, ...row } of rows) {
        yield { ...row, meetingDate: meeting.date, branchName: branch(meeting.branchId), memberName: member.fullName };
      }
    },

    async *duesRates(scope: ExportScope | null = null): AsyncGenerator<DuesRateExportRow> {
      const branch = await branchNames(scope);
      for await (const { member, ...row } of keyset(
        (after) =>
          db.duesRate.findMany({ ...page(after, scopeFilters(scope).ofMember), include: { member: memberRef } }),
        byId,
      )) {
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
      }
    },

    async *duesReliefs(scope: ExportScope | null = null): AsyncGenerator<DuesReliefExportRow> {
      const branch = await branchNames(scope);
      for await (const { member, ...row } of keyset(
        (after) =>
          db.duesRelief.findMany({ ...page(after, scopeFilters(scope).ofMember), include: { member: memberRef } }),
        byId,
      )) {
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId) };
      }
    },

    /** Ledger entries with the branch they were recorded for (not the member's branch today). */
    async *duesEntries(scope: ExportScope | null = null): AsyncGenerator<DuesEntryExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.duesEntry.findMany({ ...page(after, scopeFilters(scope).ofBranch), include: { member: nameRef } }),
        byId,
      );
      for await (const { member, branchId, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    async *duesEntryMonths(scope: ExportScope | null = null): AsyncGenerator<DuesEntryMonthExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.duesEntryMonth.findMany({
            ...page(after, scopeFilters(scope).ofBranch),
            include: { entry: { select: { member: nameRef } } },
          }),
        byId,
      );
      for await (const { entry, branchId, ...row } of rows)
        yield { ...row, memberName: entry.member.fullName, branchName: branch(branchId) };
    },

    async *remittances(scope: ExportScope | null = null): AsyncGenerator<RemittanceExportRow> {
      const branch = await branchNames(scope);
      for await (const { branchId, ...row } of keyset(
        (after) => db.duesRemittance.findMany(page(after, scopeFilters(scope).ofBranch)),
        byId,
      ))
        yield { ...row, branchName: branch(branchId) };
    },

    async *exemptions(scope: ExportScope | null = null): AsyncGenerator<ExemptionExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.exemptionRequest.findMany({ ...page(after, scopeFilters(scope).ofBranch), include: { member: nameRef } }),
        byId,
      );
      for await (const { member, branchId, updatedAt: _updatedAt, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    async *transfers(scope: ExportScope | null = null): AsyncGenerator<TransferExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) => db.transfer.findMany({ ...page(after, scopeFilters(scope).ofBranch), include: { member: nameRef } }),
        byId,
      );
      for await (const { member, branchId, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    /** Self-review versions: who, when, which file (name, size, checksum), reviewed when; the app withholds the text. */
    async *selfReviews(scope: ExportScope | null = null): AsyncGenerator<StoredSelfReviewRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.selfReview.findMany({
            ...page(after, scopeFilters(scope).ofMember),
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

    async *checkIns(scope: ExportScope | null = null): AsyncGenerator<CheckInExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.checkIn.findMany({
            ...page(after, scopeFilters(scope).ofMember),
            include: { member: memberRef, file: fileRef },
          }),
        byId,
      );
      for await (const { member, file, fileId: _fileId, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(member.branchId), file: fileOf(file) };
    },

    /** Residence contacts (QĐ 213), one row per yearly comment, or one row for a contact without any. */
    async *residence(scope: ExportScope | null = null): AsyncGenerator<ResidenceExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.residenceContact.findMany({
            ...page(after, scopeFilters(scope).ofBranch),
            include: { comments: { orderBy: { year: "asc" } } },
          }),
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

    async *findings(scope: ExportScope | null = null): AsyncGenerator<FindingExportRow> {
      const branch = await branchNames(scope);
      for await (const rows of pages((after) => db.finding.findMany(page(after, scopeFilters(scope).ofBranch)), byId)) {
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

    async *evaluations(scope: ExportScope | null = null): AsyncGenerator<EvaluationExportRow> {
      const branch = await branchNames(scope);
      const rows = keyset(
        (after) =>
          db.evaluation.findMany({ ...page(after, scopeFilters(scope).ofBranch), include: { member: nameRef } }),
        byId,
      );
      for await (const { member, branchId, ...row } of rows)
        yield { ...row, memberName: member.fullName, branchName: branch(branchId) };
    },

    /** The whole log: it names no commune, so a commune's export withholds it (app/full-export.ts). */
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
