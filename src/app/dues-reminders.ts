// Dues after the meeting: a few days after a branch's regular meeting of the month (the one recorded, or
// else the day the branch set), each linked member who still owes dues for months up to that month gets a
// private reminder of what they owe. Keyed (dues_owed, member, meeting month, recipient): one a month. The
// branch's linked group, if some member still owes, gets one reminder in general terms (naming nobody), in
// the same transaction: keyed (group_dues_reminder, branch, meeting month, group).
//
// What a member owes is what memberOwed (dues-status.ts) tells, worked out the same way (memberYearStatus
// over loadBranchDues) but once per branch rather than once per member, and leaving out months with nothing
// due (no amount set yet): a reminder must not ask for "0 đ".
import type { AppDeps } from "./deps.js";
import { regularKeyOf } from "./attendance-sheet.js";
import { loadBranchDues } from "./dues-data.js";
import { meetingDateIn } from "../domain/attendance.js";
import { isoDateIn, type IsoDate } from "../domain/dates.js";
import { addMonths, memberYearStatus, yearOfMonth, type MonthKey } from "../domain/dues.js";
import { addDays, daysBetween } from "../domain/rules/common.js";
import { branchTitle } from "../domain/branches.js";
import { formatMoney, formatMonth } from "../i18n/format.js";
import { translator } from "../i18n/index.js";
import type { NewNotification } from "../notify/outbox.js";
import type { Repositories } from "../db/store.js";

export const GROUP_DUES_REMINDER_KIND = "group_dues_reminder";

/** Days after the meeting: members who paid at the meeting (or right after) are not reminded. */
export const DUES_REMINDER_DAYS_AFTER_MEETING = 3;
/**
 * How many days after its intended day a missed reminder is still sent (the bot was down): later than that
 * the next meeting is near and its own reminder will do.
 */
export const DUES_REMINDER_LATE_DAYS = 7;

/** The day of a branch's regular meeting in a month: the one recorded, else the day the branch set. */
async function meetingDayOf(
  repos: Repositories,
  branchId: number,
  month: MonthKey,
  setDay: number | undefined,
): Promise<IsoDate | null> {
  const recorded = await repos.meetings.findByRegularKey(regularKeyOf(branchId, `${month}-01`));
  if (recorded) return recorded.date;
  if (setDay === undefined) return null;
  return meetingDateIn(Number(month.slice(0, 4)), Number(month.slice(5)), setDay === 0 ? "LAST" : setDay);
}

export async function queueDuesReminders(deps: AppDeps, now: Date): Promise<number> {
  const repos = deps.store.repos;
  const today = isoDateIn(now, deps.timeZone);
  const thisMonth = today.slice(0, 7);
  const setDays = new Map((await repos.schedules.withMeetingDay()).map((s) => [s.branchId, s.meetingDay]));
  const items: NewNotification[] = [];
  for (const branch of await repos.branches.page("deployment", 0, 100_000)) {
    // Last month too: a meeting on the 30th or 31st is followed up in the next month.
    for (const month of [addMonths(thisMonth, -1), thisMonth]) {
      const meeting = await meetingDayOf(repos, branch.id, month, setDays.get(branch.id));
      if (!meeting) continue;
      const remindOn = addDays(meeting, DUES_REMINDER_DAYS_AFTER_MEETING);
      if (today < remindOn || daysBetween(remindOn, today) > DUES_REMINDER_LATE_DAYS) continue;
      const roster = await repos.members.page(branch.id, 0, 100_000);
      const linked = await repos.users.linkedTo(roster.map((m) => m.id));
      const group = await repos.branchGroups.ofBranch(branch.id);
      if (linked.length === 0 && !group) continue;
      // Months of the meeting's year up to the meeting's month, and the year before (arrears carried over the
      // new year are still owed: R2 counts them in a rolling window), paid or not as of now.
      const year = yearOfMonth(month);
      const dues = new Map((await loadBranchDues(repos, branch.id, deps.timeZone)).map((m) => [m.memberId, m]));
      const unpaidOf = (memberId: number) => {
        const member = dues.get(memberId);
        if (!member) return [];
        return [year - 1, year]
          .flatMap(
            (y) =>
              memberYearStatus(
                y,
                month,
                member.history,
                member.reliefs,
                member.ledger,
                member.joinMonth,
                member.leftMonth,
                member.deferrals,
              ).months,
          )
          .filter((m) => m.state === "UNPAID" && m.due > 0);
      };
      for (const person of linked) {
        const unpaid = unpaidOf(person.memberId);
        if (unpaid.length === 0) continue;
        const locale = person.locale === "en" ? "en" : "vi";
        const months = unpaid
          .map((m) => formatMonth(Number(m.month.slice(0, 4)), Number(m.month.slice(5)), locale))
          .join(", ");
        const amount = unpaid.reduce((sum, m) => sum + m.due, 0);
        items.push({
          kind: "dues_owed",
          subject: `member:${person.memberId}`,
          period: month,
          recipientTelegramId: person.telegramId,
          text: translator(locale)("reminders.duesOwed", { branch: branch.name, months, amount: formatMoney(amount) }),
        });
      }
      // The branch's group hears the collection in general terms, naming nobody and no amount: only whether
      // someone on the roster (linked to Telegram or not) still owes for months up to the meeting's.
      if (group && roster.some((m) => unpaidOf(m.id).length > 0))
        items.push({
          kind: GROUP_DUES_REMINDER_KIND,
          subject: `branch:${branch.id}`,
          period: month,
          recipientTelegramId: group.chatId,
          text: translator("vi")("branchGroup.duesReminder", {
            branch: branchTitle(branch.name),
            month: formatMonth(Number(month.slice(0, 4)), Number(month.slice(5)), "vi"),
          }),
        });
    }
  }
  if (items.length === 0) return 0;
  return deps.store.transaction((tx) => tx.outbox.enqueue(items, now));
}
