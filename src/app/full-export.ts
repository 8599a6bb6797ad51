// The committee's full export (/xuatdulieu): every subject the bot records, for the committee to keep
// and check outside the bot. Committee only: anyone else learns nothing, not even that data exists.
// The request is audited before anything is read, so the log shows each export even if sending fails.
// Rows are not loaded here: each subject is a lazy reader that the workbook writer streams.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import type { DataExportRepository } from "../db/repositories/data-export.js";
import {
  EXPORT_SUBJECTS,
  type AuditExportRow,
  type ExportReaders,
  type ExportScope,
  type ExportSubject,
  type FullExport,
  type SelfReviewExportRow,
} from "../domain/full-export.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { hasTypedText } from "../domain/paper-self-review.js";
import { isCommittee } from "../domain/roles.js";

export { EXPORT_SUBJECTS, type FullExport } from "../domain/full-export.js";

/** What a commune's export in a deployment of several leaves out: the audit log names no commune. */
const WITHHELD_FROM_COMMUNE: readonly ExportSubject[] = ["auditLog"];

/** The audit action of a self-review submission (app/self-reviews.ts). */
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

/**
 * The export's readers. The privacy rule lives here: a self-review's text is never exported (only whether
 * there was one), neither in its own sheet nor through the audit log.
 */
function exportReaders(source: DataExportRepository, scope: ExportScope | null): ExportReaders {
  return {
    branches: () => source.branches(scope),
    members: () => source.members(scope),
    access: () => source.access(scope),
    awayProfiles: () => source.awayProfiles(scope),
    meetings: () => source.meetings(scope),
    attendance: () => source.attendance(scope),
    explanations: () => source.explanations(scope),
    tasks: () => source.tasks(scope),
    duesRates: () => source.duesRates(scope),
    duesReliefs: () => source.duesReliefs(scope),
    duesEntries: () => source.duesEntries(scope),
    duesEntryMonths: () => source.duesEntryMonths(scope),
    remittances: () => source.remittances(scope),
    exemptions: () => source.exemptions(scope),
    transfers: () => source.transfers(scope),
    async *selfReviews(): AsyncGenerator<SelfReviewExportRow> {
      for await (const { text, ...row } of source.selfReviews(scope)) yield { ...row, hasText: hasTypedText(text) };
    },
    checkIns: () => source.checkIns(scope),
    residence: () => source.residence(scope),
    findings: () => source.findings(scope),
    evaluations: () => source.evaluations(scope),
    async *auditLog(): AsyncGenerator<AuditExportRow> {
      if (scope) return;
      for await (const row of source.auditLog()) {
        yield row.action === SELF_REVIEW_SUBMIT ? { ...row, after: withoutSelfReviewText(row.after) } : row;
      }
    },
  };
}

export async function fullExport(deps: AppDeps, { actor, now }: Request): Promise<Outcome<FullExport>> {
  if (!isCommittee(actor)) return fail("AUTH.FORBIDDEN");
  // A deployment of one commune exports the whole database, as before communes. One of several hands the asking
  // committee its own commune only: its branches (archived ones too) and what belongs to them, and its roles;
  // the audit log, which names no commune, is withheld (the workbook says so).
  const several = (await deps.store.repos.committee.list()).length > 1;
  const scope: ExportScope | null =
    several && actor.committeeId !== null
      ? { committeeId: actor.committeeId, branchIds: actor.communeBranchIds }
      : null;
  const committee = scope
    ? await deps.store.repos.committee.byId(scope.committeeId)
    : await deps.store.repos.committee.get();
  await deps.store.transaction((repos) =>
    repos.audit.record({
      ...auditActor(actor),
      action: "data.export",
      entity: "Committee",
      entityId: committee?.id ?? 0,
      after: {
        subjects: scope
          ? EXPORT_SUBJECTS.filter((subject) => !WITHHELD_FROM_COMMUNE.includes(subject))
          : EXPORT_SUBJECTS,
      },
      at: now,
    }),
  );
  const rows = exportReaders(deps.store.repos.dataExport, scope);
  return ok({
    ...(scope ? { withheld: WITHHELD_FROM_COMMUNE } : {}),
    committeeName: committee?.name ?? deps.committeeName,
    generatedAt: now,
    timeZone: deps.timeZone,
    exportedBy: { telegramId: actor.telegramId, name: actor.member?.fullName ?? actor.displayName },
    rows,
  });
}
