// The registry of named jobs: what runs when (Asia/Ho_Chi_Minh by default, the deployment's zone).
import { queueHolidayConfirmReminder } from "../app/holidays.js";
import type { AppDeps } from "../app/deps.js";
import { queueCheckinReminders, queueSelfReviewReminders, queueTransferReminders } from "../app/deadline-reminders.js";
import { queueDuesReminders } from "../app/dues-reminders.js";
import { queueMeetingReminders, queueMonthlyDigest, queueRecordMeetingReminders } from "../app/reminders.js";
import { queueNoticeReminders, queueScheduledNotices } from "../app/meeting-notices.js";
import { noticeWordings } from "../bot/views/meeting-notice.js";
import { runRuleScan } from "../app/rule-scan.js";
import { housekeeping } from "../app/housekeeping.js";
import { deliverDueReports, queueReportReminders } from "../app/report-delivery.js";
import type { JobSchedule } from "../domain/schedule.js";
import type { Job } from "./scheduler.js";

const daily = (hour: number, minute: number): JobSchedule => ({ kind: "daily", hour, minute });

export interface JobOptions {
  /** How often housekeeping runs (s, a divisor of 60). */
  housekeepingSeconds?: number;
}

export function createJobs(app: AppDeps, options: JobOptions = {}): Job[] {
  /** A job that runs one use case; `catchUpHours` as in Job (unset: a missed run always catches up once). */
  const job = (
    name: string,
    schedule: JobSchedule,
    useCase: (deps: AppDeps, now: Date) => Promise<unknown>,
    catchUpHours?: number,
  ): Job => ({
    name,
    schedule,
    ...(catchUpHours === undefined ? {} : { catchUpHours }),
    run: async (now) => {
      await useCase(app, now);
    },
  });
  return [
    // Early morning: findings are ready before the office opens.
    job("rule-scan", daily(6, 0), runRuleScan),
    // Before the meeting reminders, which leave out a meeting its notice already announced. The notice and
    // its reminder are worded as the chat words them, with the buttons to answer.
    job("meeting-notices", daily(6, 45), (deps, now) => queueScheduledNotices(deps, now, noticeWordings)),
    job("meeting-notice-reminders", daily(6, 50), (deps, now) => queueNoticeReminders(deps, now, noticeWordings)),
    job("meeting-reminders", daily(7, 0), queueMeetingReminders, 12),
    // The last day of the month, whether it is the 28th, 29th, 30th or 31st.
    job(
      "record-meeting-reminder",
      { kind: "monthly", day: "LAST", hour: 18, minute: 0 },
      queueRecordMeetingReminders,
      5,
    ),
    // The reminders below decide for themselves how late a missed day may still be caught up (each has a
    // window before or after its date, and keys its messages by that date), so they always catch up once.
    // Dues: daily, as each branch's reminder falls a few days after its own meeting day.
    job("dues-reminders", daily(8, 0), queueDuesReminders),
    job("self-review-reminders", daily(7, 30), queueSelfReviewReminders),
    job("checkin-reminders", daily(7, 30), queueCheckinReminders),
    job("transfer-reminders", daily(7, 30), queueTransferReminders),
    // Daily, keyed by week: from 1 October the admins hear once a week that next year's holidays await confirmation.
    job("holiday-confirm-reminder", daily(8, 15), queueHolidayConfirmReminder),
    // Reports to the Standing Committee: the reminder and the delivery look back a week for a missed day
    // and are keyed by the period, so they too always catch up once.
    job("report-reminders", daily(7, 45), queueReportReminders),
    job("report-delivery", daily(7, 50), deliverDueReports),
    job("monthly-digest", { kind: "monthly", day: 1, hour: 7, minute: 0 }, queueMonthlyDigest, 24 * 7),
    // Pruning: frequent and cheap. A missed run needs no catch-up beyond the next one.
    job("housekeeping", { kind: "every", seconds: options.housekeepingSeconds ?? 30 }, housekeeping),
  ];
}
