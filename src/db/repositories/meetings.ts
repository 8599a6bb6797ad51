// Meetings, attendance rows and tasks. Yearly figures are read with a few set-based queries per
// branch, never one query per member.
import type { Tx } from "../client.js";
import { isUniqueViolation } from "../errors.js";
import {
  RegularMeetingTaken,
  parseMeetingKind,
  parseRecordedStatus,
  type MeetingKind,
  type RecordedStatus,
} from "../../domain/attendance.js";

export type { RecordedStatus };

export interface MeetingInput {
  branchId: number;
  kind: MeetingKind;
  date: string;
  regularKey: string | null;
  topic: string | null;
  resolution: string | null;
  recordedByTelegramId: string;
}

export interface AttendanceInput {
  memberId: number;
  status: RecordedStatus;
  reason: string | null;
}

export interface TaskInput {
  memberId: number;
  description: string;
  dueDate: string;
}

export interface MeetingSummary {
  id: number;
  branchId: number;
  kind: MeetingKind;
  date: string;
  topic: string | null;
  resolution: string | null;
}

export interface MeetingDetail extends MeetingSummary {
  attendances: { id: number; memberId: number; fullName: string; status: RecordedStatus; reason: string | null }[];
  tasks: {
    id: number;
    memberId: number;
    fullName: string;
    description: string;
    dueDate: string;
    doneAt: Date | null;
  }[];
}

const summarySelect = { id: true, branchId: true, kind: true, date: true, topic: true, resolution: true } as const;
type SummaryRow = {
  id: number;
  branchId: number;
  kind: string;
  date: string;
  topic: string | null;
  resolution: string | null;
};
const toSummary = (row: SummaryRow): MeetingSummary => ({ ...row, kind: parseMeetingKind(row.kind) });

export interface YearAttendanceRow {
  meetingId: number;
  kind: MeetingKind;
  date: string;
  memberId: number;
  status: RecordedStatus;
}

export function meetingRepository(db: Tx) {
  return {
    async findByRegularKey(regularKey: string): Promise<MeetingSummary | null> {
      const row = await db.meeting.findUnique({ where: { regularKey }, select: summarySelect });
      return row ? toSummary(row) : null;
    },
    /** Throws RegularMeetingTaken if the branch's regular meeting of that month is recorded already. */
    async create(meeting: MeetingInput, attendances: AttendanceInput[], tasks: TaskInput[]): Promise<MeetingSummary> {
      const created = await db.meeting.create({ data: meeting, select: summarySelect }).catch((error: unknown) => {
        if (meeting.regularKey && isUniqueViolation(error)) throw new RegularMeetingTaken(meeting.regularKey);
        throw error;
      });
      await db.attendance.createMany({ data: attendances.map((a) => ({ ...a, meetingId: created.id })) });
      if (tasks.length > 0)
        await db.meetingTask.createMany({ data: tasks.map((t) => ({ ...t, meetingId: created.id })) });
      return toSummary(created);
    },
    async get(id: number): Promise<MeetingDetail | null> {
      const row = await db.meeting.findUnique({
        where: { id },
        select: {
          ...summarySelect,
          attendances: {
            select: {
              id: true,
              memberId: true,
              status: true,
              reason: true,
              member: { select: { fullName: true, sortKey: true } },
            },
          },
          tasks: {
            select: {
              id: true,
              memberId: true,
              description: true,
              dueDate: true,
              doneAt: true,
              member: { select: { fullName: true } },
            },
            orderBy: { id: "asc" },
          },
        },
      });
      if (!row) return null;
      const attendances = [...row.attendances]
        .sort((a, b) => (a.member.sortKey < b.member.sortKey ? -1 : a.member.sortKey > b.member.sortKey ? 1 : 0))
        .map((a) => ({
          id: a.id,
          memberId: a.memberId,
          fullName: a.member.fullName,
          status: parseRecordedStatus(a.status),
          reason: a.reason,
        }));
      const tasks = row.tasks.map((t) => ({
        id: t.id,
        memberId: t.memberId,
        fullName: t.member.fullName,
        description: t.description,
        dueDate: t.dueDate,
        doneAt: t.doneAt,
      }));
      return { ...toSummary(row), attendances, tasks };
    },
    async recent(branchId: number, take: number): Promise<MeetingSummary[]> {
      const rows = await db.meeting.findMany({
        where: { branchId },
        orderBy: [{ date: "desc" }, { id: "desc" }],
        take,
        select: summarySelect,
      });
      return rows.map(toSummary);
    },
    async updateDetails(id: number, changes: { topic: string | null; resolution: string | null }): Promise<void> {
      await db.meeting.update({ where: { id }, data: changes });
    },
    async setAttendance(attendanceId: number, status: RecordedStatus, reason: string | null): Promise<void> {
      await db.attendance.update({ where: { id: attendanceId }, data: { status, reason } });
    },
    async addTasks(meetingId: number, tasks: TaskInput[]): Promise<void> {
      if (tasks.length > 0) await db.meetingTask.createMany({ data: tasks.map((t) => ({ ...t, meetingId })) });
    },
    /** Every attendance row of a branch's meetings in [from, to] (dates): one query. */
    async attendanceBetween(branchId: number, from: string, to: string): Promise<YearAttendanceRow[]> {
      const rows = await db.attendance.findMany({
        where: { meeting: { branchId, date: { gte: from, lte: to } } },
        select: { memberId: true, status: true, meeting: { select: { id: true, kind: true, date: true } } },
      });
      return rows.map((r) => ({
        meetingId: r.meeting.id,
        kind: parseMeetingKind(r.meeting.kind),
        date: r.meeting.date,
        memberId: r.memberId,
        status: parseRecordedStatus(r.status),
      }));
    },
    /** A member's attendance rows in [from, to]. */
    async attendanceOfMember(
      memberId: number,
      from: string,
      to: string,
    ): Promise<(YearAttendanceRow & { attendanceId: number; reason: string | null })[]> {
      const rows = await db.attendance.findMany({
        where: { memberId, meeting: { date: { gte: from, lte: to } } },
        select: {
          id: true,
          memberId: true,
          status: true,
          reason: true,
          meeting: { select: { id: true, kind: true, date: true } },
        },
        orderBy: { meeting: { date: "asc" } },
      });
      return rows.map((r) => ({
        attendanceId: r.id,
        reason: r.reason,
        meetingId: r.meeting.id,
        kind: parseMeetingKind(r.meeting.kind),
        date: r.meeting.date,
        memberId: r.memberId,
        status: parseRecordedStatus(r.status),
      }));
    },
    async attendance(attendanceId: number): Promise<{
      id: number;
      memberId: number;
      status: RecordedStatus;
      reason: string | null;
      meeting: MeetingSummary;
    } | null> {
      const row = await db.attendance.findUnique({
        where: { id: attendanceId },
        select: { id: true, memberId: true, status: true, reason: true, meeting: { select: summarySelect } },
      });
      return row ? { ...row, status: parseRecordedStatus(row.status), meeting: toSummary(row.meeting) } : null;
    },
  };
}

export interface TaskRecord {
  id: number;
  meetingId: number;
  meetingDate: string;
  branchId: number;
  memberId: number;
  memberName: string;
  description: string;
  dueDate: string;
  doneAt: Date | null;
}

export function taskRepository(db: Tx) {
  const select = {
    id: true,
    memberId: true,
    description: true,
    dueDate: true,
    doneAt: true,
    member: { select: { fullName: true } },
    meeting: { select: { id: true, date: true, branchId: true } },
  } as const;
  type Row = {
    id: number;
    memberId: number;
    description: string;
    dueDate: string;
    doneAt: Date | null;
    member: { fullName: string };
    meeting: { id: number; date: string; branchId: number };
  };
  const toRecord = (r: Row): TaskRecord => ({
    id: r.id,
    meetingId: r.meeting.id,
    meetingDate: r.meeting.date,
    branchId: r.meeting.branchId,
    memberId: r.memberId,
    memberName: r.member.fullName,
    description: r.description,
    dueDate: r.dueDate,
    doneAt: r.doneAt,
  });
  return {
    async get(id: number): Promise<TaskRecord | null> {
      const row = await db.meetingTask.findUnique({ where: { id }, select });
      return row ? toRecord(row) : null;
    },
    async ofMember(memberId: number, take: number): Promise<TaskRecord[]> {
      const rows = await db.meetingTask.findMany({
        where: { memberId },
        orderBy: [{ doneAt: "asc" }, { dueDate: "asc" }],
        take,
        select,
      });
      return rows.map(toRecord);
    },
    async openInBranch(branchId: number, take: number): Promise<TaskRecord[]> {
      const rows = await db.meetingTask.findMany({
        where: { doneAt: null, meeting: { branchId } },
        orderBy: { dueDate: "asc" },
        take,
        select,
      });
      return rows.map(toRecord);
    },
    /** Marks done only if still open: a second tap changes nothing. */
    async markDone(id: number, at: Date): Promise<boolean> {
      const result = await db.meetingTask.updateMany({ where: { id, doneAt: null }, data: { doneAt: at } });
      return result.count === 1;
    },
  };
}

export interface ExplanationRecord {
  id: number;
  attendanceId: number;
  memberId: number;
  memberName: string;
  branchId: number;
  meetingDate: string;
  text: string;
  decision: "PENDING" | "ACCEPTED" | "DECLINED";
  decidedAt: Date | null;
  decidedByTelegramId: string | null;
}

export function explanationRepository(db: Tx) {
  const select = {
    id: true,
    attendanceId: true,
    memberId: true,
    text: true,
    decision: true,
    decidedAt: true,
    decidedByTelegramId: true,
    member: { select: { fullName: true } },
    attendance: { select: { meeting: { select: { branchId: true, date: true } } } },
  } as const;
  return {
    async create(input: {
      attendanceId: number;
      memberId: number;
      text: string;
      submittedAt: Date;
    }): Promise<{ id: number }> {
      return db.absenceExplanation.create({ data: input, select: { id: true } });
    },
    async pendingFor(attendanceId: number): Promise<{ id: number } | null> {
      return db.absenceExplanation.findFirst({ where: { attendanceId, decision: "PENDING" }, select: { id: true } });
    },
    async get(id: number): Promise<ExplanationRecord | null> {
      const row = await db.absenceExplanation.findUnique({ where: { id }, select });
      if (!row) return null;
      return {
        id: row.id,
        attendanceId: row.attendanceId,
        memberId: row.memberId,
        memberName: row.member.fullName,
        branchId: row.attendance.meeting.branchId,
        meetingDate: row.attendance.meeting.date,
        text: row.text,
        decision: row.decision as ExplanationRecord["decision"],
        decidedAt: row.decidedAt,
        decidedByTelegramId: row.decidedByTelegramId,
      };
    },
    /** Decides only a pending explanation: the first decision wins, a replayed button changes nothing. */
    async decide(
      id: number,
      decision: "ACCEPTED" | "DECLINED",
      by: string,
      at: Date,
      note: string | null,
    ): Promise<boolean> {
      const result = await db.absenceExplanation.updateMany({
        where: { id, decision: "PENDING" },
        data: { decision, decidedByTelegramId: by, decidedAt: at, note },
      });
      return result.count === 1;
    },
  };
}
