// Meeting notices (thông báo họp): the secretary sends one from /lichhop, or the bot sends it 3 days before a
// scheduled regular meeting, to every expected member linked to Telegram, in private, and to the branch's
// group if one is linked (without names). Each member answers "will attend" or "asks to be excused" with a
// reason; the secretary sees who answered what and who did not; members who have not answered by the day
// before get one reminder; and /diemdanh for that day opens with the excused members and reasons filled in.
// Every message goes through the outbox in the transaction that records the notice.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { expectedRows } from "./attendance-sheet.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import type { Recipient, Worded, Wording } from "./notices.js";
import { MAX_REASON_LENGTH, MAX_TOPIC_LENGTH, meetingDateIn, type MeetingKind } from "../domain/attendance.js";
import { branchTitle } from "../domain/branches.js";
import { addDays, isoDateIn, type IsoDate } from "../domain/dates.js";
import { addMonths } from "../domain/dues.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch } from "../domain/roles.js";
import type { MeetingNoticeRecord, NoticeAnswer } from "../db/repositories/meeting-notices.js";
import type { Repositories } from "../db/store.js";

export const MEETING_NOTICE_KIND = "meeting_notice";
export const NOTICE_REMINDER_KIND = "meeting_notice_reminder";
export const GROUP_NOTICE_KIND = "group_meeting_notice";
/** Who sent a notice the bot sent on the schedule. */
export const SCHEDULER = "scheduler";
/** The scheduled notice goes out this many days before the regular meeting. */
export const NOTICE_DAYS_BEFORE = 3;
/** How far ahead a notice may announce a meeting. */
export const MAX_NOTICE_DAYS_AHEAD = 60;

export interface NoticeDetails {
  noticeId: number;
  branchName: string;
  kind: MeetingKind;
  date: IsoDate;
  time: string | null;
  place: string | null;
  topic: string | null;
}

/** A notice (or its reminder) to one member, in their language, with the buttons to answer. */
export interface MemberNotice extends NoticeDetails {
  recipient: Recipient;
}

/** How the chat layer words the three messages: to a member, the reminder, and the group's post (no names). */
export interface NoticeWordings {
  member: Wording<MemberNotice>;
  reminder: Wording<MemberNotice>;
  group: (notice: NoticeDetails) => Worded;
}

export interface NoticeInput {
  kind: MeetingKind;
  date: IsoDate;
  time: string | null;
  place: string | null;
  topic: string | null;
}

const detailsOf = (notice: MeetingNoticeRecord, branchName: string): NoticeDetails => ({
  noticeId: notice.id,
  branchName: branchTitle(branchName),
  kind: notice.kind,
  date: notice.date,
  time: notice.time,
  place: notice.place,
  topic: notice.topic,
});

/** The linked members expected at the branch's meeting on `date`, with their member ids. */
async function expectedRecipients(
  repos: Repositories,
  branchId: number,
  date: IsoDate,
): Promise<{ memberId: number; telegramId: string; locale: string | null }[]> {
  const expected = (await expectedRows(repos, branchId, date)).filter((row) => row.status === "PRESENT");
  return repos.users.linkedTo(expected.map((row) => row.memberId));
}

/** Records the notice and queues it to each expected member and to the branch's group. */
async function issueNotice(
  repos: Repositories,
  now: Date,
  branch: { id: number; name: string },
  input: NoticeInput,
  sentBy: string,
  words: NoticeWordings,
): Promise<{ notice: MeetingNoticeRecord; sent: number; toGroup: boolean }> {
  const notice = await repos.meetingNotices.create({
    branchId: branch.id,
    ...input,
    sentByTelegramId: sentBy,
    sentAt: now,
  });
  const details = detailsOf(notice, branch.name);
  const people = await expectedRecipients(repos, branch.id, input.date);
  const key = { kind: MEETING_NOTICE_KIND, subject: `notice:${notice.id}`, period: "" };
  const sent = await repos.outbox.enqueue(
    people.map((p) => ({
      ...key,
      recipientTelegramId: p.telegramId,
      ...words.member({ ...details, recipient: { telegramId: p.telegramId, locale: p.locale } }),
    })),
    now,
  );
  const group = await repos.branchGroups.ofBranch(branch.id);
  if (group)
    await repos.outbox.enqueue(
      [
        {
          kind: GROUP_NOTICE_KIND,
          subject: `notice:${notice.id}`,
          period: "",
          recipientTelegramId: group.chatId,
          ...words.group(details),
        },
      ],
      now,
    );
  return { notice, sent, toGroup: group !== null };
}

export type NoticeProblem = "NOTICE.DATE_PAST" | "NOTICE.DATE_TOO_FAR" | "NOTICE.EXISTS" | "TEXT.TOO_LONG";

/** The checks on a notice as typed, before anything is saved (the chat checks each step too). */
export function checkNotice(input: NoticeInput, today: IsoDate): Outcome<NoticeInput, NoticeProblem> {
  if (input.date < today) return fail("NOTICE.DATE_PAST");
  if (input.date > addDays(today, MAX_NOTICE_DAYS_AHEAD))
    return fail("NOTICE.DATE_TOO_FAR", { days: MAX_NOTICE_DAYS_AHEAD });
  if ((input.topic?.length ?? 0) > MAX_TOPIC_LENGTH || (input.place?.length ?? 0) > MAX_TOPIC_LENGTH)
    return fail("TEXT.TOO_LONG", { max: MAX_TOPIC_LENGTH });
  return ok(input);
}

/** The secretary sends a notice (from /lichhop). One per branch and day: a second is refused with the date. */
export async function sendMeetingNotice(
  deps: AppDeps,
  request: Request,
  branchId: number,
  input: NoticeInput,
  words: NoticeWordings,
): Promise<Outcome<{ noticeId: number; sent: number; toGroup: boolean }>> {
  const { actor, now } = request;
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const checked = checkNotice(input, isoDateIn(now, deps.timeZone));
  if (!checked.ok) return checked;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const branch = await repos.branches.get(branchId);
    if (!branch || branch.archivedAt) return fail("BRANCH.NOT_FOUND");
    if (await repos.meetingNotices.findByDate(branchId, input.date)) return fail("NOTICE.EXISTS", { date: input.date });
    const issued = await issueNotice(repos, now, branch, input, actor.telegramId, words);
    await repos.audit.record({
      ...auditActor(actor),
      action: "meeting.notice",
      entity: "MeetingNotice",
      entityId: issued.notice.id,
      after: { ...input, branchId, recipients: issued.sent, group: issued.toGroup },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ noticeId: issued.notice.id, sent: issued.sent, toGroup: issued.toGroup });
  });
}

/** The next regular meeting day on the branch's schedule, today or later (for the notice's date button). */
export function nextScheduledDate(meetingDay: number, today: IsoDate): IsoDate {
  const day = meetingDay === 0 ? "LAST" : meetingDay;
  const month = today.slice(0, 7);
  const thisMonth = meetingDateIn(Number(month.slice(0, 4)), Number(month.slice(5)), day);
  if (thisMonth >= today) return thisMonth;
  const next = addMonths(month, 1);
  return meetingDateIn(Number(next.slice(0, 4)), Number(next.slice(5)), day);
}

/**
 * The notice the bot sends itself: each branch with a meeting day hears of its regular meeting 3 days
 * before (or, after the bot was down, on the first day it runs within those 3 days), once — one notice per
 * branch and day — and not when the month's regular meeting is already recorded.
 */
export async function queueScheduledNotices(deps: AppDeps, now: Date, words: NoticeWordings): Promise<number> {
  const today = isoDateIn(now, deps.timeZone);
  return deps.store.transaction(async (repos) => {
    let sent = 0;
    for (const branch of await repos.schedules.withMeetingDay()) {
      const date = nextScheduledDate(branch.meetingDay, today);
      if (date > addDays(today, NOTICE_DAYS_BEFORE) || date <= today) continue;
      if (await repos.meetingNotices.findByDate(branch.branchId, date)) continue;
      if (await repos.meetings.findByRegularKey(`${branch.branchId}:${date.slice(0, 7)}`)) continue;
      const input: NoticeInput = {
        kind: "REGULAR",
        date,
        time: branch.meetingTime,
        place: branch.meetingPlace,
        topic: null,
      };
      const issued = await issueNotice(repos, now, { id: branch.branchId, name: branch.name }, input, SCHEDULER, words);
      await repos.audit.record({
        actorTelegramId: SCHEDULER,
        actorMemberId: null,
        action: "meeting.notice",
        entity: "MeetingNotice",
        entityId: issued.notice.id,
        after: { ...input, branchId: branch.branchId, recipients: issued.sent, group: issued.toGroup },
        at: now,
      });
      sent += issued.sent;
    }
    return sent;
  });
}

/**
 * The day before the meeting, one reminder to each expected member who has not answered a notice sent on an
 * earlier day. Keyed by the notice alone: a restart, a re-run or a catch-up never reminds twice.
 */
export async function queueNoticeReminders(deps: AppDeps, now: Date, words: NoticeWordings): Promise<number> {
  const today = isoDateIn(now, deps.timeZone);
  const tomorrow = addDays(today, 1);
  return deps.store.transaction(async (repos) => {
    let queued = 0;
    for (const notice of await repos.meetingNotices.onDate(tomorrow)) {
      if (isoDateIn(notice.sentAt, deps.timeZone) >= today) continue;
      const branch = await repos.branches.get(notice.branchId);
      if (!branch || branch.archivedAt) continue;
      const answered = new Set((await repos.meetingNotices.replies(notice.id)).map((r) => r.memberId));
      const waiting = (await expectedRecipients(repos, notice.branchId, notice.date)).filter(
        (p) => !answered.has(p.memberId),
      );
      const details = detailsOf(notice, branch.name);
      queued += await repos.outbox.enqueue(
        waiting.map((p) => ({
          kind: NOTICE_REMINDER_KIND,
          subject: `notice:${notice.id}`,
          period: "",
          recipientTelegramId: p.telegramId,
          ...words.reminder({ ...details, recipient: { telegramId: p.telegramId, locale: p.locale } }),
        })),
        now,
      );
    }
    return queued;
  });
}

/** The notice as a member sees it (to answer it), or a refusal when it is not theirs to answer. */
async function answerable(
  repos: Repositories,
  actor: Request["actor"],
  noticeId: number,
  today: IsoDate,
): Promise<Outcome<{ notice: MeetingNoticeRecord; branchName: string; memberId: number }>> {
  const notice = await repos.meetingNotices.get(noticeId);
  const member = actor.member;
  if (!notice || !member || member.branchId !== notice.branchId) return fail("AUTH.FORBIDDEN");
  const expected = await expectedRows(repos, notice.branchId, notice.date);
  if (!expected.some((row) => row.memberId === member.id && row.status === "PRESENT")) return fail("AUTH.FORBIDDEN");
  if (notice.date < today) return fail("NOTICE.CLOSED", { date: notice.date });
  const branch = await repos.branches.get(notice.branchId);
  return ok({ notice, branchName: branch?.name ?? "", memberId: member.id });
}

export interface NoticeAnswered {
  details: NoticeDetails;
  answer: NoticeAnswer;
  reason: string | null;
}

/** A member's answer: will attend, or asks to be excused with a reason (the latest answer counts). */
export async function answerNotice(
  deps: AppDeps,
  request: Request,
  noticeId: number,
  answer: NoticeAnswer,
  rawReason: string | null,
): Promise<Outcome<NoticeAnswered>> {
  const { actor, now } = request;
  const reason = answer === "EXCUSED" ? (rawReason ?? "").replace(/\s+/g, " ").trim() : null;
  if (answer === "EXCUSED" && !reason) return fail("TEXT.EMPTY");
  if ((reason?.length ?? 0) > MAX_REASON_LENGTH) return fail("TEXT.TOO_LONG", { max: MAX_REASON_LENGTH });
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const found = await answerable(repos, actor, noticeId, isoDateIn(now, deps.timeZone));
    if (!found.ok) return found;
    const { notice, branchName, memberId } = found.value;
    const before = await repos.meetingNotices.reply(noticeId, memberId);
    await repos.meetingNotices.setReply(noticeId, memberId, answer, reason, now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "notice.reply",
      entity: "MeetingNotice",
      entityId: noticeId,
      before: before ? { answer: before.answer, reason: before.reason } : null,
      after: { memberId, answer, reason },
      at: now,
    });
    await recordSave(repos, request);
    return ok({ details: detailsOf(notice, branchName), answer, reason });
  });
}

/** Whether the member may answer this notice (before asking for a reason). */
export async function checkAnswerable(
  deps: AppDeps,
  { actor, now }: Request,
  noticeId: number,
): Promise<Outcome<NoticeDetails>> {
  const found = await answerable(deps.store.repos, actor, noticeId, isoDateIn(now, deps.timeZone));
  return found.ok ? ok(detailsOf(found.value.notice, found.value.branchName)) : found;
}

export interface NoticeReplies {
  details: NoticeDetails;
  attending: string[];
  excused: { name: string; reason: string | null }[];
  /** Expected members who have not answered; `linked` false: not on Telegram, so they never got it. */
  waiting: { name: string; linked: boolean }[];
}

/** Who answered what, and who did not, for the branch's officers and the committee. */
export async function noticeReplies(
  deps: AppDeps,
  { actor }: Request,
  noticeId: number,
): Promise<Outcome<NoticeReplies>> {
  const repos = deps.store.repos;
  const notice = await repos.meetingNotices.get(noticeId);
  if (!notice || !canManageBranch(actor, notice.branchId)) return fail("AUTH.FORBIDDEN");
  const [branch, replies, expected] = await Promise.all([
    repos.branches.get(notice.branchId),
    repos.meetingNotices.replies(noticeId),
    expectedRows(repos, notice.branchId, notice.date),
  ]);
  const present = expected.filter((row) => row.status === "PRESENT");
  const linked = new Set((await repos.users.linkedTo(present.map((row) => row.memberId))).map((u) => u.memberId));
  const byMember = new Map(replies.map((r) => [r.memberId, r]));
  const result: NoticeReplies = {
    details: detailsOf(notice, branch?.name ?? ""),
    attending: [],
    excused: [],
    waiting: [],
  };
  for (const row of present) {
    const reply = byMember.get(row.memberId);
    if (reply?.answer === "ATTEND") result.attending.push(row.name);
    else if (reply?.answer === "EXCUSED") result.excused.push({ name: row.name, reason: reply.reason });
    else result.waiting.push({ name: row.name, linked: linked.has(row.memberId) });
  }
  return ok(result);
}

/** The branch's notices for meetings from today on, for /lichhop. */
export async function upcomingNotices(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
): Promise<Outcome<MeetingNoticeRecord[]>> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  return ok(await deps.store.repos.meetingNotices.upcoming(branchId, isoDateIn(now, deps.timeZone), 3));
}

/** What the notice form offers by default: the next scheduled day, time and place. */
export async function noticeDefaults(
  deps: AppDeps,
  { actor, now }: Request,
  branchId: number,
): Promise<
  Outcome<{ branchName: string; date: IsoDate | null; time: string | null; place: string | null; hasGroup: boolean }>
> {
  if (!canManageBranch(actor, branchId)) return fail("AUTH.FORBIDDEN");
  const [branch, settings, group] = await Promise.all([
    deps.store.repos.branches.get(branchId),
    deps.store.repos.meetingSettings.get(branchId),
    deps.store.repos.branchGroups.ofBranch(branchId),
  ]);
  if (!branch || !settings) return fail("BRANCH.NOT_FOUND");
  const today = isoDateIn(now, deps.timeZone);
  return ok({
    branchName: branchTitle(branch.name),
    date: settings.meetingDay === null ? null : nextScheduledDate(settings.meetingDay, today),
    time: settings.meetingTime,
    place: settings.meetingPlace,
    hasGroup: group !== null,
  });
}
