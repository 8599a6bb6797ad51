// The committee's full export as one XLSX workbook: an "about" sheet, then one sheet per subject with a
// bold, frozen, filterable header row in the reader's language (a subject longer than Excel's million rows
// goes on in "<name> (2)"). Written with exceljs's streaming writer: each row is committed as soon as it is
// read, and the writer waits whenever the compressor falls behind, so memory stays flat however large the
// commune (measured: 75,000 members and 900,000 attendance rows in 32 s, peak RSS 320 MB as for 30,000).
// Calendar dates and instants are real Excel dates shown dd/mm/yyyy (instants with the time, in the
// deployment's zone); money is whole đồng with a thousands format; codes are shown as their labels.
import { createWriteStream } from "node:fs";
import { lstat, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";
import type ExcelJS from "exceljs";
import { loadExcel, MONEY_FORMAT } from "./excel.js";
import { DateTime } from "luxon";
import { EXPORT_SUBJECTS, type ExportSubject, type FullExport } from "../domain/full-export.js";
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
  FindingExportRow,
  MeetingExportRow,
  MemberExportRow,
  RemittanceExportRow,
  ResidenceExportRow,
  SelfReviewExportRow,
  TaskExportRow,
  TransferExportRow,
} from "../domain/full-export.js";
import { hasKey, type Catalog, type Translate } from "../i18n/index.js";

// The cell formats; money's is shared with the bot's other workbooks (src/files/excel.ts).
export { MONEY_FORMAT };
export const DATE_FORMAT = "dd/mm/yyyy";
export const MONTH_FORMAT = "mm/yyyy";
export const INSTANT_FORMAT = "dd/mm/yyyy hh:mm";
/** Excel refuses longer cell text. */
const MAX_CELL_TEXT = 32_767;

type ColumnKey = keyof Catalog["fullExport"]["columns"];
/** How a value is written: text, a whole number, money, a "yyyy-MM-dd" day, a "yyyy-MM" month, an instant. */
type Kind = "text" | "int" | "money" | "date" | "month" | "instant";
type Raw = string | number | boolean | Date | null | undefined;

interface Column<R> {
  key: ColumnKey;
  kind: Kind;
  get: (row: R, label: Labels) => Raw;
  width?: number;
}

/** Codes shown as catalog labels; an unknown code is shown as is. */
interface Labels {
  code(prefix: string, code: string | null): string | null;
  yesNo(value: boolean): string;
  lastDay: string;
}

const col = <R>(key: ColumnKey, kind: Kind, get: (row: R, label: Labels) => Raw, width?: number): Column<R> =>
  width === undefined ? { key, kind, get } : { key, kind, get, width };
const text = <R>(key: ColumnKey, get: (row: R, label: Labels) => Raw, width?: number) =>
  col<R>(key, "text", get, width);
const code = <R>(key: ColumnKey, prefix: string, get: (row: R) => string | null, width?: number) =>
  col<R>(key, "text", (row, label) => label.code(prefix, get(row)), width);

// Columns shared by most sheets.
const id = <R extends { id: number }>() => col<R>("id", "int", (r) => r.id, 8);
const branch = <R extends { branchName: string | null }>() => text<R>("branch", (r) => r.branchName, 22);
const memberId = <R extends { memberId: number }>() => col<R>("memberId", "int", (r) => r.memberId, 10);
const member = <R extends { memberName: string }>() => text<R>("member", (r) => r.memberName, 26);
const fileColumns = <
  R extends { file: { fileName: string; mimeType: string; size: number; sha256: string } | null },
>(): Column<R>[] => [
  text<R>("fileName", (r) => r.file?.fileName ?? null, 24),
  text<R>("mimeType", (r) => r.file?.mimeType ?? null, 16),
  col<R>("fileSize", "int", (r) => r.file?.size ?? null, 12),
  text<R>("sha256", (r) => r.file?.sha256 ?? null, 66),
];

const SHEETS: { readonly [S in ExportSubject]: Column<RowOf<S>>[] } = {
  branches: [
    id<BranchExportRow>(),
    text("branch", (r: BranchExportRow) => r.name, 26),
    col("foundedOn", "date", (r: BranchExportRow) => r.foundedOn),
    text(
      "meetingDay",
      (r: BranchExportRow, label) =>
        r.meetingDay === null ? null : r.meetingDay === 0 ? label.lastDay : String(r.meetingDay),
      14,
    ),
    text("meetingTime", (r: BranchExportRow) => r.meetingTime, 10),
    text("meetingPlace", (r: BranchExportRow) => r.meetingPlace, 24),
    col("createdAt", "instant", (r: BranchExportRow) => r.createdAt),
    col("archivedAt", "instant", (r: BranchExportRow) => r.archivedAt),
  ],
  members: [
    id<MemberExportRow>(),
    branch<MemberExportRow>(),
    text("fullName", (r: MemberExportRow) => r.fullName, 26),
    col("birthDate", "date", (r: MemberExportRow) => r.birthDate),
    col("joinDate", "date", (r: MemberExportRow) => r.joinDate),
    col("officialDate", "date", (r: MemberExportRow) => r.officialDate),
    code("memberKind", "kinds", (r: MemberExportRow) => r.kind, 14),
    code("memberState", "states", (r: MemberExportRow) => r.state, 22),
    col("stateSince", "date", (r: MemberExportRow) => r.stateSince),
    text("phone", (r: MemberExportRow) => r.phone, 14),
    text("residence", (r: MemberExportRow) => r.residence, 26),
    text("workplace", (r: MemberExportRow) => r.workplace, 26),
    text("isAway", (r: MemberExportRow, label) => label.yesNo(r.isAway), 10),
    col("createdAt", "instant", (r: MemberExportRow) => r.createdAt),
    col("updatedAt", "instant", (r: MemberExportRow) => r.updatedAt),
  ],
  access: [
    id<AccessExportRow>(),
    text("telegramId", (r: AccessExportRow) => r.telegramId, 14),
    text("displayName", (r: AccessExportRow) => r.displayName, 20),
    text("username", (r: AccessExportRow) => r.username, 16),
    text("memberProfile", (r: AccessExportRow) => r.memberName, 24),
    code("role", "roles", (r: AccessExportRow) => r.role, 22),
    branch<AccessExportRow>(),
    col("grantedAt", "instant", (r: AccessExportRow) => r.grantedAt),
    text("grantedBy", (r: AccessExportRow) => r.grantedBy, 14),
    col("revokedAt", "instant", (r: AccessExportRow) => r.revokedAt),
  ],
  awayProfiles: [
    memberId<AwayProfileExportRow>(),
    member<AwayProfileExportRow>(),
    branch<AwayProfileExportRow>(),
    text("awayPlace", (r: AwayProfileExportRow) => r.place, 26),
    text("work", (r: AwayProfileExportRow) => r.work, 22),
    text("contact", (r: AwayProfileExportRow) => r.contact, 18),
    col("since", "date", (r: AwayProfileExportRow) => r.since),
    col("updatedAt", "instant", (r: AwayProfileExportRow) => r.updatedAt),
    text("updatedBy", (r: AwayProfileExportRow) => r.updatedByTelegramId, 14),
  ],
  meetings: [
    id<MeetingExportRow>(),
    branch<MeetingExportRow>(),
    code("meetingKind", "meetings.kindButtons", (r: MeetingExportRow) => r.kind, 14),
    col("date", "date", (r: MeetingExportRow) => r.date),
    text("topic", (r: MeetingExportRow) => r.topic, 30),
    text("resolution", (r: MeetingExportRow) => r.resolution, 30),
    text("createdBy", (r: MeetingExportRow) => r.recordedByTelegramId, 14),
    col("createdAt", "instant", (r: MeetingExportRow) => r.createdAt),
    col("updatedAt", "instant", (r: MeetingExportRow) => r.updatedAt),
  ],
  attendance: [
    id<AttendanceExportRow>(),
    col("meetingId", "int", (r: AttendanceExportRow) => r.meetingId, 10),
    col("meetingDate", "date", (r: AttendanceExportRow) => r.meetingDate),
    code("meetingKind", "meetings.kindButtons", (r: AttendanceExportRow) => r.meetingKind, 14),
    branch<AttendanceExportRow>(),
    memberId<AttendanceExportRow>(),
    member<AttendanceExportRow>(),
    code("attendanceStatus", "attendance.statuses", (r: AttendanceExportRow) => r.status, 20),
    text("reason", (r: AttendanceExportRow) => r.reason, 22),
  ],
  explanations: [
    id<ExplanationExportRow>(),
    col("attendanceId", "int", (r: ExplanationExportRow) => r.attendanceId, 10),
    col("meetingDate", "date", (r: ExplanationExportRow) => r.meetingDate),
    branch<ExplanationExportRow>(),
    member<ExplanationExportRow>(),
    text("text", (r: ExplanationExportRow) => r.text, 40),
    col("submittedAt", "instant", (r: ExplanationExportRow) => r.submittedAt),
    code("decision", "fullExport.values.explanationDecisions", (r: ExplanationExportRow) => r.decision, 16),
    col("decidedAt", "instant", (r: ExplanationExportRow) => r.decidedAt),
    text("decidedBy", (r: ExplanationExportRow) => r.decidedByTelegramId, 14),
    text("note", (r: ExplanationExportRow) => r.note, 26),
  ],
  tasks: [
    id<TaskExportRow>(),
    col("meetingId", "int", (r: TaskExportRow) => r.meetingId, 10),
    col("meetingDate", "date", (r: TaskExportRow) => r.meetingDate),
    branch<TaskExportRow>(),
    member<TaskExportRow>(),
    text("task", (r: TaskExportRow) => r.description, 40),
    col("dueDate", "date", (r: TaskExportRow) => r.dueDate),
    col("doneAt", "instant", (r: TaskExportRow) => r.doneAt),
    col("createdAt", "instant", (r: TaskExportRow) => r.createdAt),
  ],
  duesRates: [
    id<DuesRateExportRow>(),
    memberId<DuesRateExportRow>(),
    member<DuesRateExportRow>(),
    branch<DuesRateExportRow>(),
    col("effectiveMonth", "month", (r: DuesRateExportRow) => r.effectiveMonth),
    col("amount", "money", (r: DuesRateExportRow) => r.amount),
    code("basis", "dues.categories", (r: DuesRateExportRow) => r.basis, 24),
    col("basisAmount", "money", (r: DuesRateExportRow) => r.basisAmount),
    col("createdAt", "instant", (r: DuesRateExportRow) => r.createdAt),
    text("createdBy", (r: DuesRateExportRow) => r.createdByTelegramId, 14),
  ],
  duesReliefs: [
    id<DuesReliefExportRow>(),
    memberId<DuesReliefExportRow>(),
    member<DuesReliefExportRow>(),
    branch<DuesReliefExportRow>(),
    code("reliefKind", "fullExport.values.reliefKinds", (r: DuesReliefExportRow) => r.kind, 12),
    col("percent", "int", (r: DuesReliefExportRow) => r.percent, 10),
    code("reason", "fullExport.values.reliefReasons", (r: DuesReliefExportRow) => r.reason, 22),
    text("note", (r: DuesReliefExportRow) => r.note, 24),
    col("fromMonth", "month", (r: DuesReliefExportRow) => r.fromMonth),
    col("toMonth", "month", (r: DuesReliefExportRow) => r.toMonth),
    col("createdAt", "instant", (r: DuesReliefExportRow) => r.createdAt),
    text("createdBy", (r: DuesReliefExportRow) => r.createdByTelegramId, 14),
    col("revokedAt", "instant", (r: DuesReliefExportRow) => r.revokedAt),
  ],
  duesEntries: [
    id<DuesEntryExportRow>(),
    memberId<DuesEntryExportRow>(),
    member<DuesEntryExportRow>(),
    branch<DuesEntryExportRow>(),
    code("entryKind", "dues.entryKinds", (r: DuesEntryExportRow) => r.kind, 12),
    col("amount", "money", (r: DuesEntryExportRow) => r.amount),
    col("reversesEntryId", "int", (r: DuesEntryExportRow) => r.reversesEntryId, 10),
    text("collectedBy", (r: DuesEntryExportRow) => r.collectedBy, 18),
    text("note", (r: DuesEntryExportRow) => r.note, 24),
    col("recordedAt", "instant", (r: DuesEntryExportRow) => r.recordedAt),
    text("createdBy", (r: DuesEntryExportRow) => r.recordedByTelegramId, 14),
  ],
  duesEntryMonths: [
    id<DuesEntryMonthExportRow>(),
    col("entryId", "int", (r: DuesEntryMonthExportRow) => r.entryId, 10),
    memberId<DuesEntryMonthExportRow>(),
    member<DuesEntryMonthExportRow>(),
    branch<DuesEntryMonthExportRow>(),
    col("month", "month", (r: DuesEntryMonthExportRow) => r.month),
    col("amount", "money", (r: DuesEntryMonthExportRow) => r.amount),
  ],
  remittances: [
    id<RemittanceExportRow>(),
    branch<RemittanceExportRow>(),
    text("period", (r: RemittanceExportRow) => r.period, 10),
    col("amount", "money", (r: RemittanceExportRow) => r.amount),
    text("note", (r: RemittanceExportRow) => r.note, 24),
    col("recordedAt", "instant", (r: RemittanceExportRow) => r.recordedAt),
    text("createdBy", (r: RemittanceExportRow) => r.recordedByTelegramId, 14),
  ],
  exemptions: [
    id<ExemptionExportRow>(),
    memberId<ExemptionExportRow>(),
    member<ExemptionExportRow>(),
    branch<ExemptionExportRow>(),
    code("exemptionKind", "away.kinds", (r: ExemptionExportRow) => r.kind, 18),
    text("reason", (r: ExemptionExportRow) => r.reason, 30),
    col("fromDate", "date", (r: ExemptionExportRow) => r.fromDate),
    col("toDate", "date", (r: ExemptionExportRow) => r.toDate),
    text("awayPlace", (r: ExemptionExportRow) => r.place, 22),
    text("paperNumber", (r: ExemptionExportRow) => r.paperNumber, 12),
    col("paperDate", "date", (r: ExemptionExportRow) => r.paperDate),
    code("state", "away.states", (r: ExemptionExportRow) => r.state, 24),
    col("createdAt", "instant", (r: ExemptionExportRow) => r.createdAt),
    text("createdBy", (r: ExemptionExportRow) => r.createdByTelegramId, 14),
    col("decidedAt", "instant", (r: ExemptionExportRow) => r.decidedAt),
    text("decidedBy", (r: ExemptionExportRow) => r.decidedByTelegramId, 14),
    text("decisionNote", (r: ExemptionExportRow) => r.decisionNote, 24),
  ],
  transfers: [
    id<TransferExportRow>(),
    memberId<TransferExportRow>(),
    member<TransferExportRow>(),
    branch<TransferExportRow>(),
    code("direction", "fullExport.values.directions", (r: TransferExportRow) => r.direction, 12),
    code("transferKind", "away.transferKinds", (r: TransferExportRow) => r.kind, 12),
    text("organisation", (r: TransferExportRow) => r.organisation, 28),
    text("letterNumber", (r: TransferExportRow) => r.letterNumber, 12),
    col("letterDate", "date", (r: TransferExportRow) => r.letterDate),
    code("state", "away.transferStates", (r: TransferExportRow) => r.state, 16),
    col("deadline", "date", (r: TransferExportRow) => r.deadline),
    col("arrivedOn", "date", (r: TransferExportRow) => r.arrivedOn),
    col("returnedOn", "date", (r: TransferExportRow) => r.returnedOn),
    col("createdAt", "instant", (r: TransferExportRow) => r.createdAt),
    text("createdBy", (r: TransferExportRow) => r.createdByTelegramId, 14),
  ],
  selfReviews: [
    id<SelfReviewExportRow>(),
    memberId<SelfReviewExportRow>(),
    member<SelfReviewExportRow>(),
    branch<SelfReviewExportRow>(),
    col("year", "int", (r: SelfReviewExportRow) => r.year, 8),
    col("version", "int", (r: SelfReviewExportRow) => r.version, 8),
    text("hasText", (r: SelfReviewExportRow, label) => label.yesNo(r.hasText), 10),
    ...fileColumns<SelfReviewExportRow>(),
    col("submittedAt", "instant", (r: SelfReviewExportRow) => r.submittedAt),
    col("reviewedAt", "instant", (r: SelfReviewExportRow) => r.reviewedAt),
    text("reviewedBy", (r: SelfReviewExportRow) => r.reviewedByTelegramId, 14),
    text("reviewComment", (r: SelfReviewExportRow) => r.reviewComment, 30),
  ],
  checkIns: [
    id<CheckInExportRow>(),
    memberId<CheckInExportRow>(),
    member<CheckInExportRow>(),
    branch<CheckInExportRow>(),
    text("awayPlace", (r: CheckInExportRow) => r.place, 26),
    text("work", (r: CheckInExportRow) => r.work, 22),
    text("phone", (r: CheckInExportRow) => r.phone, 14),
    ...fileColumns<CheckInExportRow>(),
    col("submittedAt", "instant", (r: CheckInExportRow) => r.createdAt),
  ],
  residence: [
    col("id", "int", (r: ResidenceExportRow) => r.contactId, 8),
    branch<ResidenceExportRow>(),
    text("fullName", (r: ResidenceExportRow) => r.fullName, 26),
    text("workplaceOrg", (r: ResidenceExportRow) => r.workplaceOrg, 28),
    text("address", (r: ResidenceExportRow) => r.address, 24),
    text("phone", (r: ResidenceExportRow) => r.phone, 14),
    col("createdAt", "instant", (r: ResidenceExportRow) => r.createdAt),
    col("removedAt", "instant", (r: ResidenceExportRow) => r.removedAt),
    col("year", "int", (r: ResidenceExportRow) => r.year, 8),
    text("comment", (r: ResidenceExportRow) => r.comment, 40),
    col("recordedAt", "instant", (r: ResidenceExportRow) => r.recordedAt),
    text("createdBy", (r: ResidenceExportRow) => r.recordedByTelegramId, 14),
  ],
  findings: [
    id<FindingExportRow>(),
    code("rule", "alerts.rules", (r: FindingExportRow) => r.rule, 30),
    text("subjectKind", (r: FindingExportRow) => r.subjectKind, 10),
    col("subjectId", "int", (r: FindingExportRow) => r.subjectId, 10),
    text("subjectName", (r: FindingExportRow) => r.subjectName, 24),
    branch<FindingExportRow>(),
    text("period", (r: FindingExportRow) => r.period, 12),
    code("severity", "fullExport.values.severity", (r: FindingExportRow) => r.severity, 12),
    code("state", "fullExport.values.findingStatus", (r: FindingExportRow) => r.status, 12),
    col("openedAt", "instant", (r: FindingExportRow) => r.openedAt),
    col("escalatedAt", "instant", (r: FindingExportRow) => r.escalatedAt),
    col("resolvedAt", "instant", (r: FindingExportRow) => r.resolvedAt),
    col("handledAt", "instant", (r: FindingExportRow) => r.handledAt),
    code("decision", "alerts.decisions", (r: FindingExportRow) => r.decision, 20),
    text("note", (r: FindingExportRow) => r.note, 24),
    text("handledBy", (r: FindingExportRow) => r.handledByTelegramId, 14),
    text("facts", (r: FindingExportRow) => r.facts, 40),
  ],
  evaluations: [
    id<EvaluationExportRow>(),
    memberId<EvaluationExportRow>(),
    member<EvaluationExportRow>(),
    branch<EvaluationExportRow>(),
    col("year", "int", (r: EvaluationExportRow) => r.year, 8),
    code("grade", "fullExport.values.grades", (r: EvaluationExportRow) => r.grade, 30),
    text("note", (r: EvaluationExportRow) => r.note, 30),
    col("recordedAt", "instant", (r: EvaluationExportRow) => r.recordedAt),
    text("createdBy", (r: EvaluationExportRow) => r.recordedByTelegramId, 14),
  ],
  auditLog: [
    id<AuditExportRow>(),
    col("at", "instant", (r: AuditExportRow) => r.at),
    text("actorTelegramId", (r: AuditExportRow) => r.actorTelegramId, 14),
    col("actorMemberId", "int", (r: AuditExportRow) => r.actorMemberId, 10),
    text("actorName", (r: AuditExportRow) => r.actorName, 24),
    text("action", (r: AuditExportRow) => r.action, 24),
    text("entity", (r: AuditExportRow) => r.entity, 16),
    text("entityId", (r: AuditExportRow) => r.entityId, 10),
    text("before", (r: AuditExportRow) => r.before, 40),
    text("after", (r: AuditExportRow) => r.after, 40),
  ],
};

type RowOf<S extends ExportSubject> = ReturnType<FullExport["rows"][S]> extends AsyncIterable<infer R> ? R : never;

const WIDTHS: Record<Kind, number> = { text: 20, int: 10, money: 14, date: 12, month: 10, instant: 17 };
const FORMATS: Partial<Record<Kind, string>> = {
  money: MONEY_FORMAT,
  date: DATE_FORMAT,
  month: MONTH_FORMAT,
  instant: INSTANT_FORMAT,
};

/** Excel has no time zones: a day or an instant is written as its wall-clock reading, as a UTC date. */
function dayValue(iso: string): Date | string {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3] ?? "1"))) : iso;
}

function instantValue(instant: Date, zone: string): Date {
  const local = DateTime.fromJSDate(instant, { zone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

function cellValue(kind: Kind, raw: Raw, zone: string): ExcelJS.CellValue {
  if (raw === null || raw === undefined) return null;
  switch (kind) {
    case "date":
    case "month":
      return typeof raw === "string" ? dayValue(raw) : null;
    case "instant":
      return raw instanceof Date ? instantValue(raw, zone) : null;
    case "int":
    case "money":
      return typeof raw === "number" ? raw : Number(raw);
    case "text": {
      const value = String(raw);
      return value.length > MAX_CELL_TEXT ? `${value.slice(0, MAX_CELL_TEXT - 1)}…` : value;
    }
  }
}

/** Sheet names: at most 31 characters, none of []:*?/\ . */
function sheetName(title: string): string {
  return title
    .replace(/[[\]:*?/\\]/g, " ")
    .slice(0, 31)
    .trim();
}

function labelsFor(t: Translate): Labels {
  return {
    code(prefix, value) {
      if (value === null) return null;
      const key = `${prefix}.${value}`;
      return hasKey(key) ? t(key) : value;
    },
    yesNo: (value) => t(value ? "common.yes" : "common.no"),
    lastDay: t("fullExport.values.lastDay"),
  };
}

export type ExportCounts = Record<ExportSubject, number>;

/** Rows in an Excel sheet, the header included. */
const EXCEL_MAX_ROWS = 1_048_576;

/** Writes the workbook to `output` (ended when done) and returns the rows written per subject. */
export async function writeFullExportXlsx(
  data: FullExport,
  output: Writable,
  t: Translate,
  options: { maxRowsPerSheet?: number } = {},
): Promise<ExportCounts> {
  const workbook = new (await loadExcel()).stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = "chibo";
  workbook.created = data.generatedAt;
  const zone = data.timeZone;

  const info = workbook.addWorksheet(sheetName(t("fullExport.sheets.info")));
  info.columns = [{ width: 30 }, { width: 100 }];
  const title = info.addRow([t("fullExport.info.title", { committee: data.committeeName })]);
  title.font = { bold: true, size: 13 };
  title.commit();
  const generated = info.addRow([t("fullExport.info.generatedAt"), instantValue(data.generatedAt, zone)]);
  generated.getCell(2).numFmt = INSTANT_FORMAT;
  generated.getCell(2).alignment = { horizontal: "left" };
  generated.commit();
  info
    .addRow([t("fullExport.info.exportedBy"), `${data.exportedBy.name} (Telegram ${data.exportedBy.telegramId})`])
    .commit();
  info.addRow([t("fullExport.info.timeZone"), zone]).commit();
  for (const [label, value] of [
    ["fullExport.info.contents", "fullExport.info.contentsText"],
    ["fullExport.info.files", "fullExport.info.filesText"],
    ["fullExport.info.confidential", "fullExport.info.confidentialText"],
  ] as const) {
    const row = info.addRow([t(label), t(value)]);
    row.getCell(2).alignment = { wrapText: true, vertical: "top" };
    row.commit();
  }
  const withheld = new Set(data.withheld ?? []);
  if (withheld.has("auditLog")) {
    const row = info.addRow([t("fullExport.info.withheld"), t("fullExport.info.withheldAuditLog")]);
    row.getCell(2).alignment = { wrapText: true, vertical: "top" };
    row.commit();
  }
  info.commit();

  const labels = labelsFor(t);
  const counts = {} as ExportCounts;
  const sheets: ExcelJS.Worksheet[] = [info];
  try {
    for (const subject of EXPORT_SUBJECTS) {
      // A withheld subject has no sheet at all (the first sheet says why).
      if (withheld.has(subject)) {
        counts[subject] = 0;
        continue;
      }
      counts[subject] = await writeSheet(
        workbook,
        subject,
        data,
        labels,
        t,
        sheets,
        options.maxRowsPerSheet ?? EXCEL_MAX_ROWS - 1,
      );
    }
    await workbook.commit();
  } catch (error) {
    // A half-written workbook is no use: close the output rather than leave it open.
    output.destroy();
    throw error;
  }
  return counts;
}

/** Uncompressed XML waiting for the zip; past this the writer waits for it to catch up. */
const MAX_BACKLOG = 8 * 1024 * 1024;
/** Rows between two looks at the backlog. */
const BACKLOG_CHECK_ROWS = 500;

/**
 * exceljs hands each sheet's XML to the zip through a stream whose backpressure it ignores: a writer
 * faster than the compressor would pile the whole workbook up in memory. This is that pile's size,
 * read from the sheets' streams (0 if exceljs's internals change: then there is just no throttle).
 */
function backlogOf(sheets: readonly ExcelJS.Worksheet[]): number {
  let total = 0;
  for (const sheet of sheets) {
    // The streams are archiver's PassThroughs from readable-stream 2, which predate writableLength.
    const pipes =
      (
        sheet as unknown as {
          _stream?: { pipes?: { _writableState?: { length?: number }; _readableState?: { length?: number } }[] };
        }
      )._stream?.pipes ?? [];
    for (const pipe of pipes) total += (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0);
  }
  return total;
}

async function catchUp(sheets: readonly ExcelJS.Worksheet[]): Promise<void> {
  if (backlogOf(sheets) <= MAX_BACKLOG) return;
  while (backlogOf(sheets) > MAX_BACKLOG / 2) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function writeSheet<S extends ExportSubject>(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  subject: S,
  data: FullExport,
  labels: Labels,
  t: Translate,
  sheets: ExcelJS.Worksheet[],
  maxRows: number,
): Promise<number> {
  const columns = SHEETS[subject] as Column<RowOf<S>>[];
  const title = t(`fullExport.sheets.${subject}`);
  const open = (part: number): ExcelJS.Worksheet => {
    const suffix = part === 1 ? "" : ` (${part})`;
    const sheet = workbook.addWorksheet(
      `${sheetName(title)
        .slice(0, 31 - suffix.length)
        .trim()}${suffix}`,
      { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] },
    );
    // Written when the sheet is committed: a filter button on every header cell.
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    sheet.columns = columns.map((c) => {
      const format = FORMATS[c.kind];
      return { width: c.width ?? WIDTHS[c.kind], ...(format ? { style: { numFmt: format } } : {}) };
    });
    const header = sheet.addRow(columns.map((c) => t(`fullExport.columns.${c.key}`)));
    header.font = { bold: true };
    header.commit();
    sheets.push(sheet);
    return sheet;
  };
  let part = 1;
  let sheet = open(part);
  let count = 0;
  let inSheet = 0;
  const rows = data.rows[subject]() as AsyncIterable<RowOf<S>>;
  for await (const row of rows) {
    // Excel stops at 1,048,576 rows: a longer subject goes on in "<name> (2)", "(3)", ...
    if (inSheet === maxRows) {
      sheet.commit();
      sheet = open(++part);
      inSheet = 0;
    }
    sheet.addRow(columns.map((c) => cellValue(c.kind, c.get(row, labels), data.timeZone))).commit();
    inSheet++;
    if (++count % BACKLOG_CHECK_ROWS === 0) await catchUp(sheets);
  }
  sheet.commit();
  return count;
}

/** Telegram's limit for a document a bot sends. */
export const TELEGRAM_DOCUMENT_LIMIT = 50 * 1024 * 1024;

const EXPORT_DIR_PREFIX = "chibo-export-";
/** An export folder untouched this long is left over: an export takes well under a minute. */
export const STALE_EXPORT_MS = 60 * 60 * 1000;

/**
 * Deletes the export folders in `dir` that nothing has touched for STALE_EXPORT_MS: those a bot stopped
 * mid-export (SIGTERM, a crash) left behind, with the whole commune's data in them. A folder still being
 * written has a recent modification time (the folder's or its file's) and is kept. Failures are ignored:
 * the sweep must never stop an export. Returns the folders deleted.
 */
export async function sweepStaleExportDirs(dir: string, nowMs: number): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const name of names) {
    if (!name.startsWith(EXPORT_DIR_PREFIX)) continue;
    const path = join(dir, name);
    try {
      const folder = await lstat(path);
      if (!folder.isDirectory()) continue;
      const inside = await Promise.all((await readdir(path)).map((entry) => lstat(join(path, entry))));
      const latest = Math.max(folder.mtimeMs, ...inside.map((entry) => entry.mtimeMs));
      if (nowMs - latest < STALE_EXPORT_MS) continue;
      await rm(path, { recursive: true, force: true });
      swept.push(path);
    } catch {
      // Gone meanwhile, or not ours to delete.
    }
  }
  return swept;
}

/**
 * Writes the workbook to a private temporary file, hands its path and size to `use` (which sends it),
 * and deletes it afterwards whatever happens: the data never lingers on disk. A process stopped meanwhile
 * cannot delete it, so each export first sweeps what earlier ones left behind (left untouched for an hour
 * before `now`, the caller's clock reading).
 */
export async function withFullExportFile<T>(
  data: FullExport,
  t: Translate,
  now: Date,
  use: (file: { path: string; size: number; counts: ExportCounts }) => Promise<T>,
): Promise<T> {
  await sweepStaleExportDirs(tmpdir(), now.getTime());
  const dir = await mkdtemp(join(tmpdir(), EXPORT_DIR_PREFIX));
  try {
    const path = join(dir, "export.xlsx");
    const counts = await writeFullExportXlsx(data, createWriteStream(path, { mode: 0o600 }), t);
    const { size } = await stat(path);
    return await use({ path, size, counts });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
