// Meeting notices sent to a branch's expected members and their replies (one per member, the latest counts),
// and the Telegram group a branch linked (with the links waiting for the secretary's confirmation).
import type { Tx } from "../client.js";
import { parseMeetingKind, type MeetingKind } from "../../domain/attendance.js";

export type NoticeAnswer = "ATTEND" | "EXCUSED";

export interface MeetingNoticeRecord {
  id: number;
  branchId: number;
  kind: MeetingKind;
  date: string;
  time: string | null;
  place: string | null;
  topic: string | null;
  sentByTelegramId: string;
  sentAt: Date;
}

export interface NoticeReplyRecord {
  memberId: number;
  answer: NoticeAnswer;
  reason: string | null;
  answeredAt: Date;
}

const noticeSelect = {
  id: true,
  branchId: true,
  kind: true,
  date: true,
  time: true,
  place: true,
  topic: true,
  sentByTelegramId: true,
  sentAt: true,
} as const;
const toNotice = (row: Omit<MeetingNoticeRecord, "kind"> & { kind: string }): MeetingNoticeRecord => ({
  ...row,
  kind: parseMeetingKind(row.kind),
});

export function meetingNoticeRepository(db: Tx) {
  return {
    async get(id: number): Promise<MeetingNoticeRecord | null> {
      const row = await db.meetingNotice.findUnique({ where: { id }, select: noticeSelect });
      return row ? toNotice(row) : null;
    },
    async findByDate(branchId: number, date: string): Promise<MeetingNoticeRecord | null> {
      const row = await db.meetingNotice.findUnique({
        where: { branchId_date: { branchId, date } },
        select: noticeSelect,
      });
      return row ? toNotice(row) : null;
    },
    /** The branch's notices for meetings on or after `from`, soonest first. */
    async upcoming(branchId: number, from: string, take: number): Promise<MeetingNoticeRecord[]> {
      const rows = await db.meetingNotice.findMany({
        where: { branchId, date: { gte: from } },
        orderBy: { date: "asc" },
        take,
        select: noticeSelect,
      });
      return rows.map(toNotice);
    },
    /** Notices of every branch for meetings on one day. */
    async onDate(date: string): Promise<MeetingNoticeRecord[]> {
      const rows = await db.meetingNotice.findMany({ where: { date }, select: noticeSelect });
      return rows.map(toNotice);
    },
    async create(input: Omit<MeetingNoticeRecord, "id">): Promise<MeetingNoticeRecord> {
      return toNotice(await db.meetingNotice.create({ data: input, select: noticeSelect }));
    },
    async replies(noticeId: number): Promise<NoticeReplyRecord[]> {
      const rows = await db.meetingNoticeReply.findMany({
        where: { noticeId },
        select: { memberId: true, answer: true, reason: true, answeredAt: true },
      });
      return rows.map((r) => ({ ...r, answer: r.answer as NoticeAnswer }));
    },
    async reply(noticeId: number, memberId: number): Promise<NoticeReplyRecord | null> {
      const row = await db.meetingNoticeReply.findUnique({
        where: { noticeId_memberId: { noticeId, memberId } },
        select: { memberId: true, answer: true, reason: true, answeredAt: true },
      });
      return row ? { ...row, answer: row.answer as NoticeAnswer } : null;
    },
    async setReply(
      noticeId: number,
      memberId: number,
      answer: NoticeAnswer,
      reason: string | null,
      at: Date,
    ): Promise<void> {
      await db.meetingNoticeReply.upsert({
        where: { noticeId_memberId: { noticeId, memberId } },
        create: { noticeId, memberId, answer, reason, answeredAt: at },
        update: { answer, reason, answeredAt: at },
      });
    },
  };
}

export interface BranchGroupRecord {
  branchId: number;
  chatId: string;
  title: string;
  linkedAt: Date;
  linkedByTelegramId: string;
}

export interface GroupLinkRequestRecord {
  id: number;
  chatId: string;
  title: string;
  branchId: number;
  requestedByTelegramId: string;
  requestedAt: Date;
  status: "PENDING" | "CONFIRMED" | "CANCELLED";
}

const groupSelect = { branchId: true, chatId: true, title: true, linkedAt: true, linkedByTelegramId: true } as const;

export function branchGroupRepository(db: Tx) {
  return {
    async ofBranch(branchId: number): Promise<BranchGroupRecord | null> {
      return db.branchGroup.findUnique({ where: { branchId }, select: groupSelect });
    },
    async ofBranches(branchIds: readonly number[]): Promise<Map<number, BranchGroupRecord>> {
      const rows = await db.branchGroup.findMany({ where: { branchId: { in: [...branchIds] } }, select: groupSelect });
      return new Map(rows.map((r) => [r.branchId, r]));
    },
    async byChat(chatId: string): Promise<BranchGroupRecord | null> {
      return db.branchGroup.findUnique({ where: { chatId }, select: groupSelect });
    },
    /** Links the group to the branch, replacing the branch's former group and the group's former branch. */
    async link(input: BranchGroupRecord): Promise<void> {
      await db.branchGroup.deleteMany({ where: { OR: [{ chatId: input.chatId }, { branchId: input.branchId }] } });
      await db.branchGroup.create({ data: input });
    },
    async unlinkChat(chatId: string): Promise<BranchGroupRecord | null> {
      const row = await db.branchGroup.findUnique({ where: { chatId }, select: groupSelect });
      if (row) await db.branchGroup.delete({ where: { chatId } });
      return row;
    },
    async request(input: Omit<GroupLinkRequestRecord, "id" | "status">): Promise<GroupLinkRequestRecord> {
      const row = await db.groupLinkRequest.create({ data: input });
      return { ...row, status: row.status as GroupLinkRequestRecord["status"] };
    },
    async getRequest(id: number): Promise<GroupLinkRequestRecord | null> {
      const row = await db.groupLinkRequest.findUnique({ where: { id } });
      return row ? { ...row, status: row.status as GroupLinkRequestRecord["status"] } : null;
    },
    /** PENDING → `status`; false when it was no longer pending (a double tap, a replay). */
    async closeRequest(id: number, status: "CONFIRMED" | "CANCELLED"): Promise<boolean> {
      const result = await db.groupLinkRequest.updateMany({ where: { id, status: "PENDING" }, data: { status } });
      return result.count === 1;
    },
  };
}
