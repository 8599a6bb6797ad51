// The committee's full export (/xuatdulieu): every subject the bot records, for the committee to keep
// and check outside the bot. Committee only: anyone else learns nothing, not even that data exists.
// The request is audited before anything is read, so the log shows each export even if sending fails.
// Rows are not loaded here: each subject is a lazy reader that the workbook writer streams.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import type { DataExportRepository } from "../db/repositories/data-export.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { isCommittee } from "../domain/roles.js";

export type {
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
} from "../db/repositories/data-export.js";

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
] as const satisfies readonly (keyof DataExportRepository)[];
export type ExportSubject = (typeof EXPORT_SUBJECTS)[number];

/** Each subject's rows, read lazily (a fresh pass per call) in id order. */
export type ExportReaders = { readonly [S in ExportSubject]: DataExportRepository[S] };

export interface FullExport {
  readonly committeeName: string;
  readonly generatedAt: Date;
  readonly timeZone: string;
  readonly exportedBy: { readonly telegramId: string; readonly name: string };
  readonly rows: ExportReaders;
}

export async function fullExport(deps: AppDeps, { actor, now }: Request): Promise<Outcome<FullExport>> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  const committee = await deps.store.repos.committee.get();
  await deps.store.transaction((repos) =>
    repos.audit.record({ ...auditActor(actor), action: "data.export", entity: "Committee", entityId: committee?.id ?? 0, after: { subjects: EXPORT_SUBJECTS }, at: now }),
  );
  const source = deps.store.repos.dataExport;
  const rows = Object.fromEntries(EXPORT_SUBJECTS.map((subject) => [subject, source[subject]])) as unknown as ExportReaders;
  return ok({
    committeeName: committee?.name ?? deps.committeeName,
    generatedAt: now,
    timeZone: deps.timeZone,
    exportedBy: { telegramId: actor.telegramId, name: actor.member?.fullName ?? actor.displayName },
    rows,
  });
}
