// Scheduled reminders, queued in the notification outbox (each keyed so a re-run queues nothing twice):
// the regular meeting 3 days and 1 day before (secretary, deputy and the linked members expected at it),
// "record your meeting" on the last day of a month without one, and the committee's monthly digest. The
// other reminders are in dues-reminders.ts (dues after the meeting) and deadline-reminders.ts (self-review
// season, check-ins, transfers).
import type { AppDeps } from "./deps.js";
import { expectedRows, regularKeyOf } from "./attendance-sheet.js";
import { meetingDateIn } from "../domain/attendance.js";
import { groupBy } from "../domain/collections.js";
import { isoDateIn, startOfDayIn } from "../domain/dates.js";
import { addMonths } from "../domain/dues.js";
import { branchTitle } from "../domain/branches.js";
import { committeeRecipients } from "./preferences-notices.js";
import { communes, type Commune } from "./communes.js";
import { nameFindings } from "./alerts.js";
import { findingSentence } from "../i18n/findings.js";
import { formatDate, formatMonth } from "../i18n/format.js";
import { translator } from "../i18n/index.js";
import type { Repositories } from "../db/store.js";

const REMIND_DAYS_BEFORE = [3, 1];

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Who hears of the meeting on `date`: the branch's officers, and the linked members expected at it. Members
 * exempted from meetings or temporarily transferred out on that date are not asked to attend.
 */
async function branchPeople(
  repos: Repositories,
  branchId: number,
  date: string,
): Promise<{ telegramId: string; locale: string | null }[]> {
  const officers = await repos.users.holdersOf(["BRANCH_SECRETARY", "BRANCH_DEPUTY"], branchId);
  const expected = (await expectedRows(repos, branchId, date)).filter((row) => row.status === "PRESENT");
  const members = await repos.users.linkedTo(expected.map((row) => row.memberId));
  return [...new Map([...officers, ...members].map((r) => [r.telegramId, r])).values()];
}

export async function queueMeetingReminders(deps: AppDeps, now: Date): Promise<number> {
  const today = isoDateIn(now, deps.timeZone);
  const [year, month] = today.split("-").map(Number) as [number, number];
  return deps.store.transaction(async (repos) => {
    let queued = 0;
    for (const branch of await repos.schedules.withMeetingDay()) {
      const day = branch.meetingDay === 0 ? "LAST" : branch.meetingDay;
      const next = addMonths(`${year}-${String(month).padStart(2, "0")}`, 1);
      const dates = [
        meetingDateIn(year, month, day),
        meetingDateIn(Number(next.slice(0, 4)), Number(next.slice(5)), day),
      ];
      for (const date of dates) {
        const days = daysBetween(today, date);
        if (!REMIND_DAYS_BEFORE.includes(days)) continue;
        // The month's regular meeting was held (and recorded) early: nobody is asked to come to it again.
        if (await repos.meetings.findByRegularKey(regularKeyOf(branch.branchId, date))) continue;
        // The day before, the branch's group (if linked) is reminded too: of the meeting, naming nobody.
        const group = days === 1 ? await repos.branchGroups.ofBranch(branch.branchId) : null;
        if (group) {
          const t = translator("vi");
          const text = t("branchGroup.reminder", {
            branch: branchTitle(branch.name),
            date: formatDate(date),
            time: branch.meetingTime ? t("reminders.meetingAt", { time: branch.meetingTime }) : "",
            place: branch.meetingPlace ? t("branchGroup.reminderPlace", { place: branch.meetingPlace }) : "",
            days,
          });
          queued += await repos.outbox.enqueue(
            [
              {
                kind: "group_meeting_reminder",
                subject: `branch:${branch.branchId}`,
                period: date,
                recipientTelegramId: group.chatId,
                text,
              },
            ],
            now,
          );
        }
        // A meeting its notice announced: the notice, and its reminder to those who did not answer, tell the
        // members; nobody hears of it twice.
        if (await repos.meetingNotices.findByDate(branch.branchId, date)) continue;
        for (const person of await branchPeople(repos, branch.branchId, date)) {
          const t = translator(person.locale === "en" ? "en" : "vi");
          const text = t("reminders.meeting", {
            branch: branch.name,
            date: formatDate(date),
            time: branch.meetingTime ? t("reminders.meetingAt", { time: branch.meetingTime }) : "",
            place: branch.meetingPlace ? `, ${branch.meetingPlace}` : "",
            days,
          });
          queued += await repos.outbox.enqueue(
            [
              {
                kind: "meeting_reminder",
                subject: `branch:${branch.branchId}`,
                period: `${date}:${days}`,
                recipientTelegramId: person.telegramId,
                text,
              },
            ],
            now,
          );
        }
      }
    }
    return queued;
  });
}

export async function queueRecordMeetingReminders(deps: AppDeps, now: Date): Promise<number> {
  const today = isoDateIn(now, deps.timeZone);
  const month = today.slice(0, 7);
  return deps.store.transaction(async (repos) => {
    // A branch that meets on the last day holds its meeting this evening, after the reminder: nothing to
    // record yet (if it is not recorded later, R3 follows it up).
    const meetsToday = new Set(
      (await repos.schedules.withMeetingDay())
        .filter(
          (b) =>
            meetingDateIn(
              Number(month.slice(0, 4)),
              Number(month.slice(5)),
              b.meetingDay === 0 ? "LAST" : b.meetingDay,
            ) === today,
        )
        .map((b) => b.branchId),
    );
    // Every branch's officers in one query, and the reminders in one insert: not two queries per branch.
    const officersOf = groupBy(
      await repos.ruleFacts.branchOfficers(["BRANCH_SECRETARY", "BRANCH_DEPUTY"]),
      (officer) => officer.branchId,
    );
    const items = (await repos.schedules.withoutRegularMeeting(month))
      .filter((branch) => !meetsToday.has(branch.branchId))
      .flatMap((branch) =>
        [...new Map((officersOf.get(branch.branchId) ?? []).map((o) => [o.telegramId, o])).values()].map((officer) => {
          const locale = officer.locale === "en" ? "en" : "vi";
          const text = translator(locale)("reminders.recordMeeting", {
            branch: branch.name,
            month: formatMonth(Number(month.slice(0, 4)), Number(month.slice(5)), locale),
          });
          return {
            kind: "record_meeting",
            subject: `branch:${branch.branchId}`,
            period: month,
            recipientTelegramId: officer.telegramId,
            text,
          };
        }),
      );
    return repos.outbox.enqueue(items, now);
  });
}

/**
 * The committee's monthly digest: alerts opened and handled last month, those still open, and last month's
 * meetings below the attendance target (R4 goes to the committee this way, not as an alert of its own).
 */
export async function queueMonthlyDigest(deps: AppDeps, now: Date): Promise<number> {
  // Each commune's committee gets its own commune's digest.
  let queued = 0;
  for (const commune of await communes(deps.store.repos)) queued += await queueCommuneDigest(deps, now, commune);
  return queued;
}

async function queueCommuneDigest(deps: AppDeps, now: Date, commune: Commune): Promise<number> {
  const thisMonth = isoDateIn(now, deps.timeZone).slice(0, 7);
  const lastMonth = addMonths(thisMonth, -1);
  const inCommune = new Set(commune.branchIds);
  return deps.store.transaction(async (repos) => {
    // Last month exactly, in the deployment's zone: a digest caught up a few days late counts no more.
    const counts = await repos.findings.countsBetween(
      startOfDayIn(`${lastMonth}-01`, deps.timeZone),
      startOfDayIn(`${thisMonth}-01`, deps.timeZone),
      commune.branchIds,
    );
    const open = await repos.findings.openAlertCount(commune.branchIds);
    const lowAttendance = await nameFindings(
      repos,
      (await repos.findings.standing("R4_LOW_ATTENDANCE", lastMonth)).filter((f) => inCommune.has(f.branchId)),
    );
    const recipients = await committeeRecipients(repos, "REPORTS", deps.adminTelegramIds, commune.id);
    let queued = 0;
    for (const person of new Map(recipients.map((r) => [r.telegramId, r])).values()) {
      const locale = person.locale === "en" ? "en" : "vi";
      const t = translator(locale);
      const low =
        lowAttendance.length === 0
          ? []
          : [
              "",
              t("alerts.digestLowAttendance", { count: lowAttendance.length }),
              ...lowAttendance.map((f) => `• ${findingSentence(t, locale, f)}`),
            ];
      const text = [
        t("alerts.digestTitle", {
          month: formatMonth(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5)), locale),
          opened: counts.opened,
          handled: counts.handled,
          open,
        }),
        ...low,
      ]
        .join("\n")
        .slice(0, 4000);
      queued += await repos.outbox.enqueue(
        [{ kind: "digest", subject: commune.key, period: lastMonth, recipientTelegramId: person.telegramId, text }],
        now,
      );
    }
    return queued;
  });
}
