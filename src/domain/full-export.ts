// The committee's full export as plain data: one row type per subject, the subjects in the workbook's
// sheet order, and what the renderer (src/files/full-export-xlsx.ts) receives. Rows are flat, with the names
// a reader needs resolved; files are described (name, type, size, checksum), never included.

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

/** The subjects, in the workbook's sheet order. */
export const EXPORT_SUBJECTS = [
  "branches",
  "members",
  "access",
  "awayProfiles",
  "meetings",
  "attendance",
  "explanations",
  "tasks",
  "duesRates",
  "duesReliefs",
  "duesEntries",
  "duesEntryMonths",
  "remittances",
  "exemptions",
  "transfers",
  "selfReviews",
  "checkIns",
  "residence",
  "findings",
  "evaluations",
  "auditLog",
] as const;
export type ExportSubject = (typeof EXPORT_SUBJECTS)[number];

/** Each subject's row type. */
export interface ExportRowOf {
  branches: BranchExportRow;
  members: MemberExportRow;
  access: AccessExportRow;
  awayProfiles: AwayProfileExportRow;
  meetings: MeetingExportRow;
  attendance: AttendanceExportRow;
  explanations: ExplanationExportRow;
  tasks: TaskExportRow;
  duesRates: DuesRateExportRow;
  duesReliefs: DuesReliefExportRow;
  duesEntries: DuesEntryExportRow;
  duesEntryMonths: DuesEntryMonthExportRow;
  remittances: RemittanceExportRow;
  exemptions: ExemptionExportRow;
  transfers: TransferExportRow;
  selfReviews: SelfReviewExportRow;
  checkIns: CheckInExportRow;
  residence: ResidenceExportRow;
  findings: FindingExportRow;
  evaluations: EvaluationExportRow;
  auditLog: AuditExportRow;
}

/**
 * One commune's part of a deployment holding several: its committee and its branches, archived ones too. Every
 * row of the export belongs to one of these branches (by its own branch, its member's or its meeting's), or is
 * a role held in the commune.
 */
export interface ExportScope {
  readonly committeeId: number;
  readonly branchIds: readonly number[];
}

/** Each subject's rows, read lazily (a fresh pass per call) in id order. */
export type ExportReaders = { readonly [S in ExportSubject]: () => AsyncIterable<ExportRowOf[S]> };

export interface FullExport {
  readonly committeeName: string;
  readonly generatedAt: Date;
  readonly timeZone: string;
  readonly exportedBy: { readonly telegramId: string; readonly name: string };
  readonly rows: ExportReaders;
  /**
   * Subjects left out of the workbook, said so on its first sheet. A commune's export in a deployment of several
   * leaves out the audit log: its entries name no commune, and none of another commune's may be handed over.
   */
  readonly withheld?: readonly ExportSubject[];
}
