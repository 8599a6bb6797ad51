// Seeds a whole commune straight into a migrated SQLite file with better-sqlite3: prepared statements,
// one transaction per table, ids given explicitly. Tens of thousands of members and hundreds of thousands
// of attendance and dues rows take seconds this way, where the repositories (one Prisma call a row) would
// take many minutes. The rows are what the app itself writes (same tables, columns and value formats:
// dates "yyyy-MM-dd", months "yyyy-MM", instants as ISO strings), so the code under test reads them as
// its own. Everything is drawn from a seeded PRNG: the plan returned says exactly what was written, so a
// case can work out what the code must find in it.
import Database from "better-sqlite3";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { seededRandom } from "./stats.js";

export type SeededStatus = "PRESENT" | "EXCUSED" | "UNEXCUSED";
export const STATUS_CODES: readonly SeededStatus[] = ["PRESENT", "EXCUSED", "UNEXCUSED"];

export interface SeededMeeting {
  kind: "REGULAR" | "THEMATIC";
  date: string;
}

export interface CommuneOptions {
  branches: number;
  membersPerBranch: number;
  /** Every branch's meetings (the same dates for all), each with a row for every member. */
  meetings: readonly SeededMeeting[];
  /** Months each member owes dues for (one rate from the first of them), paid unless drawn unpaid. */
  duesMonths: readonly string[];
  duesAmount: number;
  /** Share of attendance rows drawn UNEXCUSED, and EXCUSED (with a reason); the rest are PRESENT. */
  unexcusedShare: number;
  excusedShare: number;
  /** Share of member-months left unpaid. */
  unpaidShare: number;
  /** One open task (not done) in every `taskEveryBranches`-th branch, due on `taskDue`, given at the last meeting. */
  taskEveryBranches: number;
  taskDue: string;
  /** Telegram id of branch b's secretary (linked to the branch's first member, holds BRANCH_SECRETARY). */
  secretaryTelegramId: (branch: number) => string;
  /** Committee users holding COMMITTEE_INSPECTION. */
  inspectorTelegramIds: readonly string[];
  seed: number;
}

/** What was written. Ids are positional: branch b is id b+1, member i of branch b is b*membersPerBranch+i+1. */
export interface CommunePlan {
  options: CommuneOptions;
  members: number;
  /** Meetings sorted by date; meeting k of branch b has id b*meetings+k+1. */
  meetings: SeededMeeting[];
  /** attendance[(memberId-1) * meetings + k]: index into STATUS_CODES. */
  attendance: Uint8Array;
  /** unpaid[(memberId-1) * duesMonths + j]: 1 when month j was left unpaid. */
  unpaid: Uint8Array;
  tasks: { taskId: number; branchId: number; memberId: number; meetingId: number; due: string }[];
  rows: Record<string, number>;
}

const REASONS = ["Ốm", "Công tác", "Việc gia đình", "Đi làm ăn xa"];
const FAMILY = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Huỳnh",
  "Phan",
  "Vũ",
  "Võ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
];
const MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Thu", "Xuân", "Hoài", "Công"];
const GIVEN = [
  "An",
  "Bình",
  "Chi",
  "Cường",
  "Dũng",
  "Giang",
  "Hà",
  "Hải",
  "Hạnh",
  "Hiếu",
  "Hoa",
  "Hùng",
  "Khánh",
  "Lan",
  "Linh",
  "Long",
  "Mai",
  "Nam",
  "Nga",
  "Phúc",
  "Phương",
  "Quân",
  "Sơn",
  "Tâm",
  "Thảo",
  "Trang",
  "Tuấn",
  "Uyên",
  "Việt",
  "Yến",
];
const SEEDED_AT = "2025-01-01T00:00:00.000Z";

export function planCommune(options: CommuneOptions): CommunePlan {
  if (!Number.isInteger(options.branches) || !Number.isInteger(options.membersPerBranch))
    throw new Error(`planCommune: whole branches and members, got ${options.branches} × ${options.membersPerBranch}`);
  const random = seededRandom(options.seed);
  const members = options.branches * options.membersPerBranch;
  const meetings = [...options.meetings].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const attendance = new Uint8Array(members * meetings.length);
  for (let n = 0; n < attendance.length; n++) {
    const r = random();
    attendance[n] = r < options.unexcusedShare ? 2 : r < options.unexcusedShare + options.excusedShare ? 1 : 0;
  }
  const unpaid = new Uint8Array(members * options.duesMonths.length);
  for (let n = 0; n < unpaid.length; n++) unpaid[n] = random() < options.unpaidShare ? 1 : 0;
  const tasks: CommunePlan["tasks"] = [];
  for (let b = 0; b < options.branches; b += options.taskEveryBranches) {
    const k = meetings.length - 1;
    tasks.push({
      taskId: tasks.length + 1,
      branchId: b + 1,
      memberId: b * options.membersPerBranch + Math.min(5, options.membersPerBranch - 1) + 1,
      meetingId: b * meetings.length + k + 1,
      due: options.taskDue,
    });
  }
  return { options, members, meetings, attendance, unpaid, tasks, rows: {} };
}

export function fullNameOf(b: number, i: number): string {
  const k = b * 131 + i * 17;
  return `${FAMILY[k % FAMILY.length]} ${MIDDLE[(k >> 2) % MIDDLE.length]} ${GIVEN[(b * 7 + i) % GIVEN.length]}`;
}

/** Writes the plan into `file`, which must be migrated and hold no rows yet. */
export function writeCommune(file: string, plan: CommunePlan): void {
  const o = plan.options;
  const db = new Database(file);
  try {
    // A throwaway database: no need to survive a power cut while seeding (the file stays in WAL mode).
    db.pragma("synchronous = OFF");
    const rows: Record<string, number> = {};
    const table = (name: string, fill: () => number) => {
      try {
        rows[name] = db.transaction(fill)();
      } catch (error) {
        throw new Error(`seeding "${name}": ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    };
    const meetingsPerBranch = plan.meetings.length;

    table("Committee", () => {
      db.prepare(`INSERT INTO "Committee" ("id", "name", "placeName", "createdAt") VALUES (1, ?, ?, ?)`).run(
        "Đảng bộ xã Xuân Đông",
        "Xuân Đông",
        SEEDED_AT,
      );
      return 1;
    });
    table("Branch", () => {
      const insert = db.prepare(
        `INSERT INTO "Branch" ("id", "committeeId", "name", "foundedOn", "createdAt") VALUES (?, 1, ?, '2020-01-01', ?)`,
      );
      for (let b = 0; b < o.branches; b++) insert.run(b + 1, `Chi bộ ${b + 1}`, SEEDED_AT);
      return o.branches;
    });
    table("Member", () => {
      const insert = db.prepare(
        `INSERT INTO "Member" ("id", "branchId", "fullName", "sortKey", "joinDate", "officialDate", "kind", "state", "isAway", "createdAt", "updatedAt")
         VALUES (?, ?, ?, ?, '2000-01-01', '2001-01-01', 'OFFICIAL', 'ACTIVE', 0, ?, ?)`,
      );
      for (let b = 0; b < o.branches; b++) {
        for (let i = 0; i < o.membersPerBranch; i++) {
          const name = fullNameOf(b, i);
          insert.run(b * o.membersPerBranch + i + 1, b + 1, name, vietnameseSortKey(name), SEEDED_AT, SEEDED_AT);
        }
      }
      return plan.members;
    });
    table("User", () => {
      const insert = db.prepare(
        `INSERT INTO "User" ("id", "telegramId", "displayName", "memberId", "linkedAt", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`,
      );
      for (let b = 0; b < o.branches; b++)
        insert.run(
          b + 1,
          o.secretaryTelegramId(b),
          `Bí thư ${b + 1}`,
          b * o.membersPerBranch + 1,
          SEEDED_AT,
          SEEDED_AT,
        );
      o.inspectorTelegramIds.forEach((telegramId, n) =>
        insert.run(o.branches + n + 1, telegramId, `Ủy ban kiểm tra ${n + 1}`, null, null, SEEDED_AT),
      );
      return o.branches + o.inspectorTelegramIds.length;
    });
    table("RoleAssignment", () => {
      const insert = db.prepare(
        `INSERT INTO "RoleAssignment" ("userId", "role", "branchId", "committeeId", "grantedAt", "grantedBy") VALUES (?, ?, ?, ?, ?, 'seed')`,
      );
      for (let b = 0; b < o.branches; b++) insert.run(b + 1, "BRANCH_SECRETARY", b + 1, null, SEEDED_AT);
      // A committee role belongs to its commune: the one seeded commune.
      o.inspectorTelegramIds.forEach((_, n) =>
        insert.run(o.branches + n + 1, "COMMITTEE_INSPECTION", null, 1, SEEDED_AT),
      );
      return o.branches + o.inspectorTelegramIds.length;
    });
    table("Meeting", () => {
      const insert = db.prepare(
        `INSERT INTO "Meeting" ("id", "branchId", "kind", "date", "regularKey", "topic", "recordedByTelegramId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, 'seed', ?, ?)`,
      );
      for (let b = 0; b < o.branches; b++) {
        plan.meetings.forEach((m, k) => {
          const at = `${m.date}T12:00:00.000Z`;
          insert.run(
            b * meetingsPerBranch + k + 1,
            b + 1,
            m.kind,
            m.date,
            m.kind === "REGULAR" ? `${b + 1}:${m.date.slice(0, 7)}` : null,
            m.kind === "THEMATIC" ? "Chuyên đề quý" : null,
            at,
            at,
          );
        });
      }
      return o.branches * meetingsPerBranch;
    });
    table("Attendance", () => {
      const insert = db.prepare(
        `INSERT INTO "Attendance" ("meetingId", "memberId", "status", "reason") VALUES (?, ?, ?, ?)`,
      );
      let n = 0;
      for (let b = 0; b < o.branches; b++) {
        for (let k = 0; k < meetingsPerBranch; k++) {
          const meetingId = b * meetingsPerBranch + k + 1;
          for (let i = 0; i < o.membersPerBranch; i++) {
            const memberId = b * o.membersPerBranch + i + 1;
            const status = STATUS_CODES[plan.attendance[(memberId - 1) * meetingsPerBranch + k]!]!;
            insert.run(
              meetingId,
              memberId,
              status,
              status === "EXCUSED" ? REASONS[(memberId + k) % REASONS.length]! : null,
            );
            n++;
          }
        }
      }
      return n;
    });
    table("MeetingTask", () => {
      const insert = db.prepare(
        `INSERT INTO "MeetingTask" ("id", "meetingId", "memberId", "description", "dueDate", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`,
      );
      for (const t of plan.tasks)
        insert.run(t.taskId, t.meetingId, t.memberId, "Nộp báo cáo tình hình địa bàn", t.due, SEEDED_AT);
      return plan.tasks.length;
    });
    table("DuesRate", () => {
      const insert = db.prepare(
        `INSERT INTO "DuesRate" ("memberId", "effectiveMonth", "amount", "basis", "createdAt", "createdByTelegramId") VALUES (?, ?, ?, 'MANUAL', ?, 'seed')`,
      );
      for (let m = 1; m <= plan.members; m++) insert.run(m, o.duesMonths[0]!, o.duesAmount, SEEDED_AT);
      return plan.members;
    });
    // One payment a paid member-month: the entry, the month it puts money on, and its claim on the month.
    rows.DuesEntry = 0;
    db.transaction(() => {
      const entry = db.prepare(
        `INSERT INTO "DuesEntry" ("id", "memberId", "branchId", "kind", "amount", "recordedAt", "recordedByTelegramId") VALUES (?, ?, ?, 'PAYMENT', ?, ?, 'seed')`,
      );
      const month = db.prepare(
        `INSERT INTO "DuesEntryMonth" ("entryId", "memberId", "branchId", "month", "amount") VALUES (?, ?, ?, ?, ?)`,
      );
      const claim = db.prepare(`INSERT INTO "DuesMonthClaim" ("memberId", "month", "entryId") VALUES (?, ?, ?)`);
      let id = 0;
      for (let m = 1; m <= plan.members; m++) {
        const branchId = Math.floor((m - 1) / o.membersPerBranch) + 1;
        o.duesMonths.forEach((key, j) => {
          if (plan.unpaid[(m - 1) * o.duesMonths.length + j]) return;
          id++;
          entry.run(id, m, branchId, o.duesAmount, `${key}-15T03:00:00.000Z`);
          month.run(id, m, branchId, key, o.duesAmount);
          claim.run(m, key, id);
        });
      }
      rows.DuesEntry = rows.DuesEntryMonth = rows.DuesMonthClaim = id;
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
    plan.rows = rows;
  } finally {
    db.close();
  }
}
