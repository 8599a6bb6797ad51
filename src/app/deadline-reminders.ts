// Reminders before a deadline passes, so the rules that flag it afterwards (R6, R8, R9) rarely have to:
// - the self-review season: members are told it is open and when it is due, and those who have not sent
//   theirs are reminded a few days before the due date (R8 takes over after it);
// - check-ins: a member away is reminded a few days before their next check-in falls due (R9 after);
// - transfers: the branch's officers (and the committee members who receive reminders) are told a few days
//   before an outgoing transfer's working-day deadline (R6 after).
// Each reminder is keyed in the outbox by the deadline it is about, so a re-run queues nothing twice, and
// each is sent while its window lasts (not only on one day), so a day the bot was down is caught up.
// The dates come from the same helpers and parameters as the rules, so a reminder and a finding agree.
import { dependsOnProvisional } from "../domain/working-days.js";
import type { AppDeps } from "./deps.js";
import { committeeRecipients } from "./preferences-notices.js";
import { article7Spans, coversDay } from "./article7.js";
import { parametersByBranch, ruleParameters } from "./settings.js";
import { checkinDue, selfReviewWindow, selfReviewYearFor, transferDeadline } from "../domain/away.js";
import { branchTitle } from "../domain/branches.js";
import { isoDateIn } from "../domain/dates.js";
import { daysBetween } from "../domain/rules/common.js";
import { formatDate } from "../i18n/format.js";
import { translator, type Translate } from "../i18n/index.js";
import type { NewNotification } from "../notify/outbox.js";
import type { Repositories } from "../db/store.js";

export const GROUP_SELF_REVIEW_OPEN_KIND = "group_self_review_open";
export const GROUP_SELF_REVIEW_DUE_KIND = "group_self_review_due";

/** The self-review reminder: from this many days before the due date until the due date. */
export const SELF_REVIEW_REMINDER_DAYS = 3;
/** The check-in reminder: from this many days before the check-in falls due. */
export const CHECKIN_REMINDER_DAYS = 5;
/** The transfer reminder: from this many (calendar) days before the working-day deadline until the deadline. */
export const TRANSFER_REMINDER_DAYS = 5;

type Recipient = { telegramId: string; locale: string | null };

const translate = (recipient: Recipient): Translate => translator(recipient.locale === "en" ? "en" : "vi");

async function enqueue(deps: AppDeps, items: NewNotification[], now: Date): Promise<number> {
  if (items.length === 0) return 0;
  return deps.store.transaction((repos) => repos.outbox.enqueue(items, now));
}

async function branches(repos: Repositories) {
  return repos.branches.page("deployment", 0, 100_000);
}

/**
 * The self-review season: from the opening day, members who have not sent theirs are told it is open and
 * when it is due; from SELF_REVIEW_REMINDER_DAYS before the due date to the due date, those who still have
 * not are reminded. A member who links their account mid-season hears of it at the next run. A branch's
 * linked group is told the same twice a season, naming nobody, in the same transaction.
 */
export async function queueSelfReviewReminders(deps: AppDeps, now: Date): Promise<number> {
  const repos = deps.store.repos;
  const today = isoDateIn(now, deps.timeZone);
  const params = await ruleParameters(repos);
  const season = selfReviewYearFor(today, params);
  if (!season.open || !season.beforeDue) return 0;
  const { due } = selfReviewWindow(season.year, params);
  const phase = daysBetween(today, due) <= SELF_REVIEW_REMINDER_DAYS ? "due" : "open";
  const items: NewNotification[] = [];
  // Members exempted for age or health (Charter art. 7) on the due date are not asked for one.
  const exempt = await article7Spans(repos, await repos.ruleFacts.book(), deps.timeZone);
  for (const branch of await branches(repos)) {
    const sent = new Set((await repos.away.latestReviewsOfBranch(branch.id, season.year)).map((r) => r.memberId));
    const roster = await repos.members.page(branch.id, 0, 100_000);
    const pending = roster.filter((m) => !sent.has(m.id) && !coversDay(exempt.get(m.id), due));
    if (pending.length === 0) continue;
    for (const person of await repos.users.linkedTo(pending.map((m) => m.id))) {
      const text = translate(person)(phase === "open" ? "reminders.selfReviewOpen" : "reminders.selfReviewDue", {
        year: season.year,
        due: formatDate(due),
      });
      items.push({
        kind: phase === "open" ? "self_review_open" : "self_review_due",
        subject: `member:${person.memberId}`,
        period: String(season.year),
        recipientTelegramId: person.telegramId,
        text,
      });
    }
    // The branch's linked group: once when the season opens and once near the due date, in general terms
    // (naming nobody, not how many have sent theirs), while someone on the roster has still to send one.
    const group = await repos.branchGroups.ofBranch(branch.id);
    if (group)
      items.push({
        kind: phase === "open" ? GROUP_SELF_REVIEW_OPEN_KIND : GROUP_SELF_REVIEW_DUE_KIND,
        subject: `branch:${branch.id}`,
        period: String(season.year),
        recipientTelegramId: group.chatId,
        text: translator("vi")(phase === "open" ? "branchGroup.selfReviewOpen" : "branchGroup.selfReviewDue", {
          branch: branchTitle(branch.name),
          year: season.year,
          due: formatDate(due),
        }),
      });
  }
  return enqueue(deps, items, now);
}

/** Members away whose next check-in falls due within CHECKIN_REMINDER_DAYS (R9 counts the same way). */
export async function queueCheckinReminders(deps: AppDeps, now: Date): Promise<number> {
  const repos = deps.store.repos;
  const today = isoDateIn(now, deps.timeZone);
  const params = await parametersByBranch(repos);
  const items: NewNotification[] = [];
  for (const branch of await branches(repos)) {
    const away = await repos.away.awayMembers(branch.id, today);
    if (away.length === 0) continue;
    const linked = new Map((await repos.users.linkedTo(away.map((m) => m.memberId))).map((u) => [u.memberId, u]));
    for (const member of away) {
      const person = linked.get(member.memberId);
      if (!person) continue;
      const last = member.lastCheckin ? isoDateIn(member.lastCheckin.createdAt, deps.timeZone) : null;
      const status = checkinDue(last, member.since, today, params.of(branch.id));
      if (status.due || status.nextDue === null || daysBetween(today, status.nextDue) > CHECKIN_REMINDER_DAYS) continue;
      items.push({
        kind: "checkin_due",
        subject: `member:${member.memberId}`,
        period: status.nextDue,
        recipientTelegramId: person.telegramId,
        text: translate(person)("reminders.checkinDue", { due: formatDate(status.nextDue) }),
      });
    }
  }
  return enqueue(deps, items, now);
}

/**
 * Outgoing transfers with no confirmation of arrival whose deadline (R6's: working days after the letter,
 * skipping weekends and holidays) is at most TRANSFER_REMINDER_DAYS away: the branch's secretary and deputy
 * follow up; committee members who receive reminders (the office, by default) are told too.
 */
export async function queueTransferReminders(deps: AppDeps, now: Date): Promise<number> {
  const repos = deps.store.repos;
  const today = isoDateIn(now, deps.timeZone);
  // Each transfer's deadline counts with its commune's holidays.
  const params = await parametersByBranch(repos);
  const items: NewNotification[] = [];
  // Every open outgoing transfer of the commune in one query (none is left out however many a branch has).
  const open = (await repos.ruleFacts.openOutgoingTransfers()).filter((t) => {
    const days = daysBetween(
      today,
      transferDeadline(t.letterDate, params.of(t.branchId).holidays, params.of(t.branchId)),
    );
    return days >= 0 && days <= TRANSFER_REMINDER_DAYS;
  });
  if (open.length === 0) return 0;
  const branchNames = new Map((await branches(repos)).map((b) => [b.id, b.name]));
  const memberNames = await repos.members.namesOf([...new Set(open.map((t) => t.memberId))]);
  // Each transfer's notice reaches its own commune's committee.
  const communeOf = await repos.branches.communesOf([...new Set(open.map((t) => t.branchId))]);
  const committeeOf = new Map<number, Recipient[]>();
  for (const committeeId of new Set(communeOf.values()))
    committeeOf.set(committeeId, await committeeRecipients(repos, "REMINDERS", deps.adminTelegramIds, committeeId));
  for (const transfer of open) {
    const committee = committeeOf.get(communeOf.get(transfer.branchId) ?? -1) ?? [];
    const deadline = transferDeadline(
      transfer.letterDate,
      params.of(transfer.branchId).holidays,
      params.of(transfer.branchId),
    );
    const officers = await repos.users.holdersOf(["BRANCH_SECRETARY", "BRANCH_DEPUTY"], transfer.branchId);
    const facts = {
      name: memberNames.get(transfer.memberId) ?? "",
      branch: branchNames.get(transfer.branchId) ?? "",
      organisation: transfer.destination,
      letterDate: formatDate(transfer.letterDate),
      deadline: formatDate(deadline),
    };
    const told = new Set<string>();
    for (const [people, key] of [
      [officers, "reminders.transferDeadline"],
      [committee, "reminders.transferDeadlineCommittee"],
    ] as const) {
      for (const person of people) {
        if (told.has(person.telegramId)) continue;
        told.add(person.telegramId);
        // A deadline counted through a year whose holidays are not confirmed says so.
        const t = translate(person);
        const provisional = dependsOnProvisional(transfer.letterDate, deadline, params.of(transfer.branchId).holidays)
          ? t("findings.provisional")
          : "";
        items.push({
          kind: "transfer_deadline",
          subject: `transfer:${transfer.transferId}`,
          period: deadline,
          recipientTelegramId: person.telegramId,
          text: t(key, { ...facts, deadline: `${facts.deadline}${provisional}` }),
        });
      }
    }
  }
  return enqueue(deps, items, now);
}
