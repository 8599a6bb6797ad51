// The registry of named jobs: what runs when (Asia/Ho_Chi_Minh by default, the deployment's zone).
import type { AppDeps } from "../app/deps.js";
import { queueCheckinReminders, queueSelfReviewReminders, queueTransferReminders } from "../app/deadline-reminders.js";
import { queueDuesReminders } from "../app/dues-reminders.js";
import { queueMeetingReminders, queueMonthlyDigest, queueRecordMeetingReminders } from "../app/reminders.js";
import { runRuleScan } from "../app/rule-scan.js";
import { deliverDueReports, queueReportReminders } from "../app/report-delivery.js";
import type { Job } from "./scheduler.js";

export function createJobs(app: AppDeps): Job[] {
  return [
    {
      name: "rule-scan",
      // Early morning: findings are ready before the office opens.
      schedule: { kind: "daily", hour: 6, minute: 0 },
      run: async (now) => {
        await runRuleScan(app, now);
      },
    },
    {
      name: "meeting-reminders",
      schedule: { kind: "daily", hour: 7, minute: 0 },
      catchUpHours: 12,
      run: async (now) => {
        await queueMeetingReminders(app, now);
      },
    },
    {
      name: "record-meeting-reminder",
      // The last day of the month, whether it is the 28th, 29th, 30th or 31st.
      schedule: { kind: "monthly", day: "LAST", hour: 18, minute: 0 },
      catchUpHours: 5,
      run: async (now) => {
        await queueRecordMeetingReminders(app, now);
      },
    },
    // The reminders below decide for themselves how late a missed day may still be caught up (each has a
    // window before or after its date, and keys its messages by that date), so they always catch up once.
    {
      name: "dues-reminders",
      // Daily: each branch's reminder falls a few days after its own meeting day.
      schedule: { kind: "daily", hour: 8, minute: 0 },
      run: async (now) => {
        await queueDuesReminders(app, now);
      },
    },
    {
      name: "self-review-reminders",
      schedule: { kind: "daily", hour: 7, minute: 30 },
      run: async (now) => {
        await queueSelfReviewReminders(app, now);
      },
    },
    {
      name: "checkin-reminders",
      schedule: { kind: "daily", hour: 7, minute: 30 },
      run: async (now) => {
        await queueCheckinReminders(app, now);
      },
    },
    {
      name: "transfer-reminders",
      schedule: { kind: "daily", hour: 7, minute: 30 },
      run: async (now) => {
        await queueTransferReminders(app, now);
      },
    },
    // Reports to the Standing Committee: the reminder and the delivery look back a week for a missed day
    // and are keyed by the period, so they too always catch up once.
    {
      name: "report-reminders",
      schedule: { kind: "daily", hour: 7, minute: 45 },
      run: async (now) => {
        await queueReportReminders(app, now);
      },
    },
    {
      name: "report-delivery",
      schedule: { kind: "daily", hour: 7, minute: 50 },
      run: async (now) => {
        await deliverDueReports(app, now);
      },
    },
    {
      name: "monthly-digest",
      schedule: { kind: "monthly", day: 1, hour: 7, minute: 0 },
      catchUpHours: 24 * 7,
      run: async (now) => {
        await queueMonthlyDigest(app, now);
      },
    },
  ];
}
