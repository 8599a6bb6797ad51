// Scheduled reports: a few days before a quarterly, 6-month or yearly report falls due, the office and the
// Standing Committee (whoever receives "reports") are reminded; on the due date the bot issues the
// committee's report and delivers it to them through the outbox, with the XLSX and the chart attached.
//
// Once, even across restarts: the reminder and the report are outbox rows keyed by the period and the
// recipient (unique), and the report's files and number are made once per period — a Report row issued by
// "scheduler" with no outbox rows yet (a crash between the two steps) is reused, not numbered again.
// A job that was down on the day catches up within CATCH_UP_DAYS.
import type { AppDeps } from "./deps.js";
import { committeeRecipients } from "./preferences-notices.js";
import { communes, type Commune } from "./communes.js";
import { compileReport, documentHeader, type IssuedReport } from "./reports.js";
import { ruleParameters } from "./settings.js";
import { addDays, isoDateIn, startOfDayIn, type IsoDate } from "../domain/dates.js";
import {
  DEFAULT_TERM_START_YEAR,
  reportDueDate,
  scheduledPeriodsFalling,
  termOf,
  type ReportPeriod,
} from "../domain/report-periods.js";
import { reportDocuments } from "../files/report-documents.js";
import { periodLabel, reportNumber } from "../files/report-xlsx.js";
import { formatDate } from "../i18n/format.js";
import { translator, type Locale } from "../i18n/index.js";

export const REPORT_KIND = "report";
export const REPORT_REMINDER_KIND = "report_reminder";
/** How many days late a missed reminder or delivery is still made. */
const CATCH_UP_DAYS = 7;
export const SCHEDULER_ISSUER = "scheduler";

const localeOf = (value: string | null): Locale => (value === "en" ? "en" : "vi");

/** Reminders that a report falls due in `reportReminderDays` days (not sent once the due date has come). */
export async function queueReportReminders(deps: AppDeps, now: Date): Promise<number> {
  const today = isoDateIn(now, deps.timeZone);
  return deps.store.transaction(async (repos) => {
    const params = await ruleParameters(repos);
    const periods = scheduledPeriodsFalling(
      addDays(today, -CATCH_UP_DAYS),
      today,
      params.reportDueDays,
      params.reportReminderDays,
    ).filter((period) => reportDueDate(period, params.reportDueDays) > today);
    if (periods.length === 0) return 0;
    const rows = [];
    for (const commune of await communes(repos)) {
      const recipients = await committeeRecipients(repos, "REPORTS", deps.adminTelegramIds, commune.id);
      rows.push(...reminderRows(periods, recipients, commune.key, params));
    }
    return repos.outbox.enqueue(rows, now);
  });
}

function reminderRows(
  periods: ReportPeriod[],
  recipients: { telegramId: string; locale: string | null }[],
  subject: string,
  params: { reportDueDays: number },
) {
  return periods.flatMap((period) =>
    recipients.map((person) => {
      const t = translator(localeOf(person.locale));
      const text = t("reports.dueReminder", {
        period: periodLabel(t, { period, partial: false, asOf: period.to }),
        date: formatDate(reportDueDate(period, params.reportDueDays)),
      });
      return {
        kind: REPORT_REMINDER_KIND,
        subject,
        period: period.key,
        recipientTelegramId: person.telegramId,
        text,
      };
    }),
  );
}

/** Issues and queues the committee's report of every scheduled period due (within the catch-up window). */
export async function deliverDueReports(deps: AppDeps, now: Date): Promise<number> {
  const today = isoDateIn(now, deps.timeZone);
  const params = await ruleParameters(deps.store.repos);
  let queued = 0;
  // Each commune's committee gets its own commune's report, numbered in its own sequence.
  for (const commune of await communes(deps.store.repos))
    for (const period of scheduledPeriodsFalling(addDays(today, -CATCH_UP_DAYS), today, params.reportDueDays)) {
      queued += await deliverReport(deps, now, today, period, commune);
    }
  return queued;
}

async function deliverReport(
  deps: AppDeps,
  now: Date,
  today: IsoDate,
  period: ReportPeriod,
  commune: Commune,
): Promise<number> {
  if (await deps.store.repos.reports.scheduledDelivered(REPORT_KIND, period.key, commune.key)) return 0;
  // Nobody to send it to (yet): issue nothing, so no number is taken for a report never delivered.
  const people = await committeeRecipients(deps.store.repos, "REPORTS", deps.adminTelegramIds, commune.id);
  if (people.length === 0) return 0;
  // Step 1: the figures (read outside the write lock), then the number — kept if an earlier attempt got
  // this far and died before queueing.
  const compiled = await compileReport(deps.store.repos, {
    scope: 0,
    branchIds: commune.branchIds,
    period,
    today,
    timeZone: deps.timeZone,
    params: await ruleParameters(deps.store.repos, commune.id),
  });
  const sameDay = { start: startOfDayIn(today, deps.timeZone), end: startOfDayIn(addDays(today, 1), deps.timeZone) };
  const year = Number(today.slice(0, 4));
  const term = termOf(year, deps.termStartYear ?? DEFAULT_TERM_START_YEAR);
  const issued = await deps.store.transaction((repos) =>
    repos.reports.issueScheduled(
      { year, periodKind: period.kind, periodKey: period.key, issuedAt: now },
      commune.key,
      sameDay,
      term,
    ),
  );
  const report = {
    full: {
      ...compiled,
      number: issued.number,
      issuedOn: today,
      ...(await documentHeader(deps, deps.store.repos, null, commune)),
    } satisfies IssuedReport,
    reportId: issued.id,
  };
  // Step 2: the documents in each reader's language, stored as files (outside any transaction: disk work).
  const files = new Map<Locale, { text: string; ids: number[] }>();
  for (const locale of new Set(people.map((p) => localeOf(p.locale)))) {
    const t = translator(locale);
    const documents = await reportDocuments(report.full, t, locale);
    const ids: number[] = [];
    for (const document of [documents.xlsx, documents.chart]) {
      const stored = await deps.files.store(document.content);
      const row = await deps.store.repos.away.storeFile({
        ...stored,
        fileName: document.fileName,
        mimeType: document.mimeType,
        createdAt: now,
        uploadedByTelegramId: SCHEDULER_ISSUER,
      });
      ids.push(row.id);
    }
    const text = [
      t("reports.scheduled", { period: periodLabel(t, report.full), number: reportNumber(t, report.full) }),
      "",
      documents.summary,
    ].join("\n");
    files.set(locale, { text, ids });
  }
  // Step 3: one outbox row per recipient, keyed by the period: a second run adds nothing.
  return deps.store.transaction(async (repos) => {
    const queued = await repos.outbox.enqueue(
      people.map((person) => {
        const own = files.get(localeOf(person.locale))!;
        return {
          kind: REPORT_KIND,
          subject: commune.key,
          period: period.key,
          recipientTelegramId: person.telegramId,
          text: own.text,
          attachments: own.ids,
        };
      }),
      now,
    );
    await repos.audit.record({
      actorTelegramId: SCHEDULER_ISSUER,
      actorMemberId: null,
      action: "report.deliver",
      entity: "Report",
      entityId: report.reportId,
      after: { period: period.key, number: report.full.number, recipients: people.length },
      at: now,
    });
    return queued;
  });
}

/** A scheduled report's file, read back (and checked against its checksum) for the outbox sender. */
export async function loadAttachment(deps: AppDeps, id: number): Promise<{ content: Buffer; fileName: string }> {
  const file = await deps.store.repos.reports.storedFile(id);
  if (!file) throw new Error(`attachment ${id} is not a stored file`);
  return { content: await deps.files.read(file.path, file.sha256), fileName: file.fileName };
}
