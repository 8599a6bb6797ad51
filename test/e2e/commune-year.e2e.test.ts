// A simulated year (2026) of a 3-branch commune over the fake Bot API: scripted meetings, attendance,
// dues, an exemption with check-ins, a transfer and the self-review season, with a clock the test moves
// day by day. Every reminder and alert each user receives is checked against the list worked out by hand
// from the script (below, `expected`), each delivered exactly once, across a restart after four days of
// downtime in mid-year and a burst of 429 answers from the Bot API.
//
// How the jobs are driven. The runtime's Scheduler wakes through node-cron on the wall clock, which a test
// cannot move; stepping a day at a time through real cron waits would take a year. So the bot runs with its
// own scheduler off, and the test runs the same registry (createJobs) through the same Scheduler class on
// the same persisted run stamps, calling `runDue()` where cron would have woken it: 08:30 every day (after
// the 06:00–08:00 daily jobs) and 18:30 on the last day of the month (after the month-end reminder).
// `runDue` decides what is due and what is too late to catch up exactly as in production; after the
// restart a new Scheduler on the new process runs `runDue()` first, as `Scheduler.start()` does.
// The outbox sender is the runtime's own, delivering in real time while the test moves on.
import { confirmHolidayYear } from "../../src/app/holidays.js";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { onPostgres } from "../support/engine.js";
import { openAttendanceSheet } from "../../src/app/attendance-sheet.js";
import { setAwayProfile, submitCheckin } from "../../src/app/checkins.js";
import type { Request } from "../../src/app/deps.js";
import { recordMemberPayment, recordMonthPayments } from "../../src/app/dues-payments.js";
import { actOnExemption, applyForExemption } from "../../src/app/exemptions.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { recordMeeting } from "../../src/app/record-meeting.js";
import { wordAbsenceNotice } from "../../src/bot/features/meetings.js";
import { wordCheckinNotice } from "../../src/bot/features/checkins.js";
import { exemptionWording } from "../../src/bot/features/exemptions.js";
import { submitSelfReview } from "../../src/app/self-reviews.js";
import { closeTransfer, introduceTransfer } from "../../src/app/transfers.js";
import { createDb } from "../../src/db/client.js";
import { meetingDateIn, type MeetingKind } from "../../src/domain/attendance.js";
import { transferDeadline } from "../../src/domain/away.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { addDays, lastDayOf } from "../../src/domain/rules/common.js";
import { DEFAULT_RULE_PARAMETERS } from "../../src/domain/rules/index.js";
import { createJobs } from "../../src/jobs/jobs.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { memberFacts } from "../support/seed.js";

const ZONE = "Asia/Ho_Chi_Minh";
const vn = (day: string, time: string) => new Date(`${day}T${time}:00+07:00`);
const RATE = 30_000;
const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);

// The commune. Codes (B1, M1a, …) name people and branches in the labels compared at the end.
const ADMIN = 1000; // in ADMIN_TELEGRAM_IDS: receives violations by default
const INSPECTION = 4001; // inspection committee: violations
const OFFICE = 4002; // office: reminders and reports
type BranchCode = "B1" | "B2" | "B3";
/** The committee's scheduled reports of the year and the numbers they take, in the order they fall due. */
const REPORTS_DELIVERED: [string, number][] = [
  ["2025-Q4", 1],
  ["2025", 2],
  ["2026-Q1", 3],
  ["2026-Q2", 4],
  ["2026-H1", 5],
  ["2026-Q3", 6],
];
type PersonCode = "S1" | "M1a" | "M1b" | "S2" | "M2a" | "M2b" | "S3" | "M3a" | "M3b";
const BRANCHES: Record<BranchCode, { name: string; meetingDay: number; people: PersonCode[] }> = {
  B1: { name: "Chi bộ Ấp Bắc", meetingDay: 10, people: ["S1", "M1a", "M1b"] },
  B2: { name: "Chi bộ Ấp Nam", meetingDay: 0, people: ["S2", "M2a", "M2b"] }, // the last day of the month
  B3: { name: "Chi bộ Ấp Đông", meetingDay: 20, people: ["S3", "M3a", "M3b"] },
};
const PEOPLE: Record<PersonCode, { name: string; telegramId: number }> = {
  S1: { name: "Trần Văn Sơn", telegramId: 2001 },
  M1a: { name: "Nguyễn Văn An", telegramId: 3011 },
  M1b: { name: "Lê Thị Bình", telegramId: 3012 },
  S2: { name: "Phạm Văn Tâm", telegramId: 2002 },
  M2a: { name: "Hoàng Văn Cường", telegramId: 3021 },
  M2b: { name: "Võ Thị Dung", telegramId: 3022 },
  S3: { name: "Đỗ Văn Hải", telegramId: 2003 },
  M3a: { name: "Bùi Thị Lan", telegramId: 3031 },
  M3b: { name: "Đặng Văn Minh", telegramId: 3032 },
};
const SECRETARY_OF: Record<BranchCode, PersonCode> = { B1: "S1", B2: "S2", B3: "S3" };
const branchOfPerson = (code: PersonCode): BranchCode =>
  (Object.keys(BRANCHES) as BranchCode[]).find((b) => BRANCHES[b].people.includes(code))!;

// The bot is down from the evening of 28/06 until 10:00 on 02/07.
const DOWN_FROM = "2026-06-29";
const BACK_ON = "2026-07-02";
const isDown = (day: string) => day >= DOWN_FROM && day < BACK_ON;

describe("a year in a 3-branch commune", () => {
  let e2e: E2E;
  afterEach(async () => e2e?.dispose());

  it(
    "sends each member, secretary and committee member exactly the reminders and alerts of the year, once each",
    async () => {
      e2e = await startE2E({ now: vn("2026-01-01", "00:05"), admins: [String(ADMIN)] });
      const app = () => e2e.running.app;
      const ids = {
        branch: {} as Record<BranchCode, number>,
        member: {} as Record<PersonCode, number>,
        meeting: new Map<number, string>(),
        attendance: new Map<number, string>(),
        transfer: 0,
        exemption: 0,
        checkins: new Map<number, string>(),
      };

      // ---------------------------------------------------------------- the commune on 1 January
      await e2e.running.store.transaction(async (repos) => {
        const committee = (await repos.committee.get())!;
        const at = e2e.clock.now;
        for (const [code, branch] of Object.entries(BRANCHES) as [BranchCode, (typeof BRANCHES)[BranchCode]][]) {
          // Set up on 1 January (the commune's branches were reorganised): no meeting is owed for earlier months.
          const created = await repos.branches.create({
            committeeId: committee.id,
            name: branch.name,
            foundedOn: "2026-01-01",
          });
          ids.branch[code] = created.id;
          await repos.meetingSettings.set(created.id, {
            meetingDay: branch.meetingDay,
            meetingTime: "19:30",
            meetingPlace: "Nhà văn hóa ấp",
          });
          for (const person of branch.people) {
            const facts = memberFacts({ fullName: PEOPLE[person].name });
            const member = await repos.members.create(
              created.id,
              facts,
              vietnameseSortKey(facts.fullName),
              "2020-01-01",
            );
            ids.member[person] = member.id;
            const user = await repos.users.upsert(String(PEOPLE[person].telegramId), PEOPLE[person].name, null);
            await repos.users.linkMember(user.id, member.id, at);
            if (person === SECRETARY_OF[code])
              await repos.users.grantRole(user.id, "BRANCH_SECRETARY", created.id, "seed", at);
            // Dues since 2025; last year's book is brought in below as one payment per member.
            await repos.dues.setRate({
              memberId: member.id,
              effectiveMonth: "2025-01",
              amount: RATE,
              basis: "MANUAL",
              basisAmount: null,
              createdByTelegramId: "seed",
            });
          }
        }
        for (const [telegramId, role] of [
          [INSPECTION, "COMMITTEE_INSPECTION"],
          [OFFICE, "COMMITTEE_OFFICE"],
        ] as const) {
          const user = await repos.users.upsert(String(telegramId), "Đảng ủy", null);
          await repos.users.grantRole(user.id, role, null, "seed", at);
        }
      });
      const request = async (telegramId: number): Promise<Request> => ({
        actor: await identifyActor(app(), { id: telegramId, first_name: "X" }),
        now: e2e.clock.now,
      });
      const as = (person: PersonCode) => request(PEOPLE[person].telegramId);
      const must = <T extends { ok: boolean }>(outcome: T, what: string): T => {
        if (!outcome.ok) throw new Error(`${what}: ${JSON.stringify(outcome)}`);
        return outcome;
      };
      for (const code of Object.keys(BRANCHES) as BranchCode[]) {
        for (const person of BRANCHES[code].people) {
          const months2025 = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);
          must(
            await recordMemberPayment(app(), await as(SECRETARY_OF[code]), {
              memberId: ids.member[person],
              months: months2025,
              amount: 12 * RATE,
              collectedBy: null,
              note: "Sổ năm 2025",
            }),
            "2025 book",
          );
        }
      }

      // Everyone opens the chat with the bot (Telegram lets a bot write only to users who did).
      const users = new Map<number, FakeUser>();
      const startedWith = new Map<number, number>();
      for (const telegramId of [ADMIN, INSPECTION, OFFICE, ...Object.values(PEOPLE).map((p) => p.telegramId)]) {
        const user = e2e.fake.user(telegramId, { firstName: "Đồng chí" });
        user.sendText("/start");
        await user.waitForMessage();
        users.set(telegramId, user);
        startedWith.set(telegramId, user.messages().length);
      }

      // ---------------------------------------------------------------- the script of the year
      /** A meeting with everyone expected present but the given statuses; its id is remembered by date. */
      async function meeting(
        code: BranchCode,
        kind: MeetingKind,
        date: string,
        statuses: Partial<Record<PersonCode, "UNEXCUSED" | "EXCUSED">> = {},
      ): Promise<void> {
        const secretary = await as(SECRETARY_OF[code]);
        const sheet = must(
          await openAttendanceSheet(app(), secretary, ids.branch[code], kind, date),
          `sheet ${code} ${date}`,
        );
        if (!sheet.ok) return;
        const rows = sheet.value.rows.map((row) => {
          const person = (Object.keys(statuses) as PersonCode[]).find((p) => ids.member[p] === row.memberId);
          return person && row.status === "PRESENT"
            ? { ...row, status: statuses[person]!, reason: statuses[person] === "EXCUSED" ? "Đi làm ăn xa" : null }
            : row;
        });
        const saved = must(
          await recordMeeting(app(), secretary, { ...sheet.value, rows }, wordAbsenceNotice),
          `meeting ${code} ${date}`,
        );
        if (saved.ok) {
          ids.meeting.set(saved.value.meeting.id, `${code} ${date}`);
          // Attendance rows named by person and meeting: an absence notice is about one of them.
          for (const a of (await app().store.repos.meetings.get(saved.value.meeting.id))?.attendances ?? []) {
            const person = (Object.keys(ids.member) as PersonCode[]).find((p) => ids.member[p] === a.memberId);
            if (person) ids.attendance.set(a.id, `${person} ${code} ${date}`);
          }
        }
      }
      /** The month's dues collected at the meeting from those who pay. */
      async function collect(code: BranchCode, month: string, payers: PersonCode[]): Promise<void> {
        if (payers.length === 0) return;
        must(
          await recordMonthPayments(
            app(),
            await as(SECRETARY_OF[code]),
            ids.branch[code],
            month,
            payers.map((p) => ({ memberId: ids.member[p], amount: RATE })),
          ),
          `dues ${code} ${month}`,
        );
      }
      const regularDay = (code: BranchCode, month: string) =>
        meetingDateIn(
          Number(month.slice(0, 4)),
          Number(month.slice(5)),
          BRANCHES[code].meetingDay === 0 ? "LAST" : BRANCHES[code].meetingDay,
        );
      const transferLetter = "2026-09-14";
      const deadline = transferDeadline(transferLetter, DEFAULT_RULE_PARAMETERS.holidays, DEFAULT_RULE_PARAMETERS);

      /** What happens on a day, in the evening (after the day's jobs). */
      async function evening(day: string): Promise<void> {
        const month = day.slice(0, 7);
        // B1: An is absent without reason in February, April and June; Bình leaves on a transfer in October.
        if (day === regularDay("B1", month)) {
          const statuses = ["2026-02", "2026-04", "2026-06"].includes(month) ? { M1a: "UNEXCUSED" as const } : {};
          await meeting("B1", "REGULAR", day, statuses);
          await collect("B1", month, month <= "2026-10" ? ["S1", "M1a", "M1b"] : ["S1", "M1a"]);
        }
        // B2: Cường stops paying from March. June's meeting falls while the bot is down: recorded on 2 July.
        if (day === regularDay("B2", month) && month !== "2026-06") {
          await meeting("B2", "REGULAR", day);
          await collect("B2", month, month < "2026-03" ? ["S2", "M2a", "M2b"] : ["S2", "M2b"]);
        }
        if (day === BACK_ON) {
          await meeting("B2", "REGULAR", "2026-06-30");
          await collect("B2", "2026-06", ["S2", "M2b"]);
        }
        // B3: Minh pays ahead and goes away (exempted March–August); back on the roster's meetings from
        // September but still away (excused). August's meeting is held on the 27th but only recorded on 12/09.
        if (day === regularDay("B3", month) && month !== "2026-08") {
          const statuses = month >= "2026-09" ? { M3b: "EXCUSED" as const } : {};
          await meeting("B3", "REGULAR", day, statuses);
          await collect("B3", month, month <= "2026-02" ? ["S3", "M3a", "M3b"] : ["S3", "M3a"]);
        }
        if (day === "2026-09-12") {
          await meeting("B3", "REGULAR", "2026-08-27");
          await collect("B3", "2026-08", ["S3", "M3a"]);
        }
        // Thematic meetings mid-quarter (15 Feb, May, Aug, Nov).
        if (["2026-02-15", "2026-05-15", "2026-08-15", "2026-11-15"].includes(day)) {
          for (const code of Object.keys(BRANCHES) as BranchCode[])
            await meeting(code, "THEMATIC", day, code === "B3" && day === "2026-11-15" ? { M3b: "EXCUSED" } : {});
        }
        if (day === "2026-02-20") {
          must(
            await recordMemberPayment(app(), await as("S3"), {
              memberId: ids.member.M3b,
              months: ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"],
              amount: 6 * RATE,
              collectedBy: null,
              note: "Đóng trước",
            }),
            "M3b ahead",
          );
          const applied = must(
            await applyForExemption(
              app(),
              await as("M3b"),
              {
                memberId: ids.member.M3b,
                kind: "WORK_AWAY",
                reason: "Đi làm ăn xa",
                from: "2026-03-01",
                to: "2026-08-31",
                place: "Bình Dương",
                paper: null,
              },
              exemptionWording("new", null),
            ),
            "exemption",
          );
          if (!applied.ok) return;
          ids.exemption = applied.value.request.id;
          must(
            await actOnExemption(
              app(),
              await as("S3"),
              ids.exemption,
              "FORWARD",
              null,
              exemptionWording("moved", null),
            ),
            "forward",
          );
          must(
            await actOnExemption(
              app(),
              await request(OFFICE),
              ids.exemption,
              "APPROVE",
              null,
              exemptionWording("moved", null),
            ),
            "approve",
          );
        }
        if (day === "2026-03-01")
          must(
            await setAwayProfile(app(), await as("S3"), ids.member.M3b, {
              place: "Bình Dương",
              work: "Công nhân",
              contact: null,
              since: "2026-03-01",
            }),
            "away",
          );
        // Minh checks in on 29/05 and 27/08, then no more.
        if (day === "2026-05-29" || day === "2026-08-27") {
          const checkin = must(
            await submitCheckin(
              app(),
              await as("M3b"),
              { place: "Bình Dương", work: "Công nhân", phone: null },
              null,
              wordCheckinNotice,
            ),
            "check-in",
          );
          if (checkin.ok) ids.checkins.set(checkin.value.checkinId, day);
        }
        // Bình is introduced to another party organisation; arrival is confirmed two days before the deadline.
        if (day === transferLetter) {
          const introduced = must(
            await introduceTransfer(app(), await as("S1"), {
              memberId: ids.member.M1b,
              kind: "OFFICIAL",
              organisation: "Đảng bộ phường Bến Nghé",
              letterNumber: "15-GGT",
              letterDate: transferLetter,
            }),
            "transfer",
          );
          if (introduced.ok) ids.transfer = introduced.value.id;
        }
        if (day === addDays(deadline, -2))
          must(await closeTransfer(app(), await as("S1"), ids.transfer, "ARRIVED"), "arrived");
        // The admin confirms 2027's holiday calendar (the weekly reminders stop).
        if (day === "2026-10-20") must(await confirmHolidayYear(app(), await request(ADMIN), 2027), "holidays 2027");
        // Self-reviews: everyone but An and Minh, in the second half of November.
        const reviews: Partial<Record<string, PersonCode>> = {
          "2026-11-16": "S1",
          "2026-11-17": "S2",
          "2026-11-18": "S3",
          "2026-11-20": "M2a",
          "2026-11-21": "M2b",
          "2026-11-25": "M3a",
        };
        const reviewer = reviews[day];
        if (reviewer)
          must(
            await submitSelfReview(app(), await as(reviewer), { text: "Bản tự kiểm điểm năm 2026", file: null }),
            "self-review",
          );
      }

      // ---------------------------------------------------------------- the year, a day at a time
      const jobsOf = () => createJobs(e2e.running.app);
      const schedulerOf = () =>
        new Scheduler(jobsOf(), e2e.running.store.repos.jobRuns, () => e2e.clock.now, ZONE, pino({ level: "silent" }));
      let scheduler = schedulerOf();
      let leftAtStop = 0;
      for (let day = "2026-01-01"; day <= "2026-12-31"; day = addDays(day, 1)) {
        if (isDown(day)) continue;
        if (day === BACK_ON) {
          // Back after four days: a new process on the same database sends what was left in the outbox and
          // catches up the jobs that are still in time.
          e2e.clock.now = vn(day, "10:00");
          await e2e.restart();
          scheduler = schedulerOf();
        } else {
          e2e.clock.now = vn(day, "08:30");
        }
        // The day the alerts of the first half-year land, Telegram answers 429 to a burst of sends.
        if (day === "2026-06-11")
          e2e.fake.failNext(
            "sendMessage",
            { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 },
            4,
          );
        await scheduler.runDue();
        if (day === lastDayOf(day.slice(0, 7))) {
          e2e.clock.now = vn(day, "18:30");
          await scheduler.runDue();
        }
        e2e.clock.now = vn(day, "21:00");
        await evening(day);
        // The process stops (as on SIGTERM): what it had queued and not yet sent waits for the next start.
        if (day === addDays(DOWN_FROM, -1)) {
          const counts = await e2e.running.store.repos.outbox.counts();
          leftAtStop = counts.PENDING + counts.SENDING;
          await e2e.running.stop("down for four days");
        }
        // SQLite calls are synchronous: without a pause the loop would starve the sender (its timers and
        // HTTP calls) until the year is over. A real day has hours between its jobs; a few ms stand for them.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }

      // ---------------------------------------------------------------- delivered, then compared
      e2e.clock.now = vn("2027-01-01", "00:00");
      const db = createDb(e2e.config.databaseUrl);
      try {
        for (let waited = 0; ; waited += 250) {
          const unsent = await db.notification.count({ where: { status: { in: ["PENDING", "SENDING"] } } });
          if (unsent === 0) break;
          if (waited > 60_000) throw new Error(`${unsent} notifications still unsent`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        // The stop left notifications queued (Telegram's 1 message a second per chat keeps a backlog): the next
        // process sent them.
        expect(leftAtStop).toBeGreaterThan(0);
        const rows = await db.notification.findMany({ orderBy: { id: "asc" } });
        expect(
          rows
            .filter((r) => r.status !== "SENT")
            .map((r) => [r.kind, r.subject, r.period, r.recipientTelegramId, r.status, r.lastError]),
        ).toEqual([]);

        // Names for ids in keys, so the labels read like the script.
        const codeOfMember = new Map(Object.entries(ids.member).map(([code, id]) => [id, code]));
        const codeOfBranch = new Map(Object.entries(ids.branch).map(([code, id]) => [id, code]));
        const noticeOf = new Map(
          (await db.meetingNotice.findMany()).map((n) => [
            n.id,
            `${codeOfBranch.get(n.branchId) ?? n.branchId}:${n.date}`,
          ]),
        );
        const named = (text: string) =>
          text
            .replace(/notice:(\d+)/g, (_, id: string) => `notice:${noticeOf.get(Number(id)) ?? id}`)
            .replace(/member:(\d+)/g, (_, id: string) => `member:${codeOfMember.get(Number(id)) ?? id}`)
            .replace(/branch:(\d+)/g, (_, id: string) => `branch:${codeOfBranch.get(Number(id)) ?? id}`)
            .replace(/meeting:(\d+)/g, (_, id: string) => `meeting:${ids.meeting.get(Number(id)) ?? id}`)
            .replace(/transfer:(\d+)/g, (_, id: string) =>
              Number(id) === ids.transfer ? "transfer:M1b" : `transfer:${id}`,
            )
            .replace(/exemption:(\d+)/g, (_, id: string) =>
              Number(id) === ids.exemption ? "exemption:M3b" : `exemption:${id}`,
            )
            .replace(/attendance:(\d+)/g, (_, id: string) => `attendance:${ids.attendance.get(Number(id)) ?? id}`)
            .replace(/checkin:(\d+)/g, (_, id: string) => `checkin:M3b:${ids.checkins.get(Number(id)) ?? id}`)
            // A step of a request is keyed by when it was taken: shown by its day.
            .replace(/@(\d{4}-\d\d-\d\d)T[\d:.]+Z/g, "@$1");
        const labelOf = (row: { kind: string; subject: string; period: string }) =>
          named(`${row.kind} ${row.subject} ${row.period}`);

        // What each chat shows after /start: one message per outbox row to it, matched by Telegram's message id.
        const actual = new Map<number, string[]>();
        for (const [telegramId, user] of users) {
          // Documents (a scheduled report's XLSX and chart) follow their text and are checked below.
          const received = user
            .messages()
            .slice(startedWith.get(telegramId))
            .filter((m) => m.document === undefined);
          const mine = rows.filter((r) => r.recipientTelegramId === String(telegramId));
          const byMessageId = new Map(mine.map((r) => [r.telegramMessageId, r]));
          // No message without its row (a duplicate send would be one), no row without its message.
          expect(
            received.map((m) =>
              m.text !== undefined && byMessageId.get(m.message_id)?.text === m.text
                ? "ok"
                : `unmatched: ${m.message_id} ${m.text ?? m.caption}`,
            ),
          ).toEqual(received.map(() => "ok"));
          expect(received).toHaveLength(mine.length);
          actual.set(telegramId, received.map((m) => labelOf(byMessageId.get(m.message_id)!)).sort());
        }

        const whoIs = (telegramId: number) =>
          Object.entries(PEOPLE).find(([, p]) => p.telegramId === telegramId)?.[0] ?? String(telegramId);
        // The office received each scheduled report's two files, once (reports due the same day may arrive in
        // either order).
        for (const [telegramId, user] of users) {
          const files = user
            .receivedDocuments()
            .map((d) => d.fileName!)
            .sort();
          expect(files, whoIs(telegramId)).toEqual(
            telegramId === OFFICE
              ? REPORTS_DELIVERED.flatMap(([key, n]) => [
                  `bao-cao-${key}-so-${n}.xlsx`,
                  `bao-cao-${key}-so-${n}.png`,
                ]).sort()
              : [],
          );
        }

        const want = expected({ deadline });
        expect(Object.fromEntries([...users.keys()].map((id) => [whoIs(id), actual.get(id)]))).toEqual(
          Object.fromEntries([...users.keys()].map((id) => [whoIs(id), [...(want.get(id) ?? [])].sort()])),
        );
        // The burst of 429 answers was met (and retried), and Telegram refused nothing else.
        const sends = e2e.fake.callsOf("sendMessage");
        expect(sends.filter((c) => c.error?.error_code === 429)).toHaveLength(4);
        expect(sends.filter((c) => c.ok === false && c.error?.error_code !== 429)).toEqual([]);
        // A sample of what people read.
        const texts = (code: PersonCode) =>
          users
            .get(PEOPLE[code].telegramId)!
            .messages()
            .map((m) => m.text ?? "");
        expect(texts("M2a")).toContain(
          `💰 Nhắc đảng phí (Chi bộ Ấp Nam): đồng chí chưa đóng đảng phí tháng 3/2026, tháng 4/2026, tháng 5/2026, tháng 6/2026, tổng cộng 120.000 đ. Đề nghị đồng chí đóng đảng phí cho chi bộ.`,
        );
        // Alerts in words: the member, the months and what to do; no field names, ids or ISO dates.
        expect(texts("S1").filter((t) => t.startsWith("🚨 Cảnh báo — Vắng sinh hoạt không lý do"))).toEqual([
          "🚨 Cảnh báo — Vắng sinh hoạt không lý do\nĐồng chí Nguyễn Văn An (Chi bộ Ấp Bắc) vắng sinh hoạt thường kỳ không lý do 3 tháng trong năm 2026: tháng 2/2026, tháng 4/2026, tháng 6/2026 (mức cảnh báo 3 tháng). Đề nghị chi bộ xem xét theo quy định và báo cáo Đảng ủy.",
        ]);
        for (const telegramId of users.keys()) {
          for (const text of users
            .get(telegramId)!
            .messages()
            .map((m) => m.text ?? ""))
            expect(text, text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b|undefined|warnAt|windowFrom|#\d/);
        }
        // The notices a recording causes, as their readers see them. Minh's check-ins reach the secretary in
        // words (no file came, so no button); An's absences each carry the button to send a reason; the request
        // forwarded to the committee names the branch once, though its name starts with "Chi bộ".
        const messagesOf = (code: PersonCode | number) =>
          users.get(typeof code === "number" ? code : PEOPLE[code].telegramId)!.messages();
        const checkins = messagesOf("S3").filter((m) => (m.text ?? "").startsWith("📍"));
        expect(checkins.map((m) => [m.text, m.buttons.length])).toEqual([
          ["📍 Đồng chí Đặng Văn Minh cập nhật: đang ở Bình Dương, làm Công nhân.", 0],
          ["📍 Đồng chí Đặng Văn Minh cập nhật: đang ở Bình Dương, làm Công nhân.", 0],
        ]);
        const absences = messagesOf("M1a").filter((m) => m.buttons.some((b) => b.text === "✍️ Gửi lý do"));
        // (Delivery order may vary: a notice answered 429 by Telegram arrives after its retry.)
        expect(absences.map((m) => m.text!.match(/\d\d\/\d\d\/2026/)?.[0]).sort()).toEqual([
          "10/02/2026",
          "10/04/2026",
          "10/06/2026",
        ]);
        for (const to of [INSPECTION, ADMIN, OFFICE]) {
          expect(
            messagesOf(to)
              .filter((m) => (m.text ?? "").startsWith("📥"))
              .map((m) => m.text!.split("\n")[0]),
          ).toEqual([
            "📥 Chi bộ Ấp Đông chuyển đơn xin miễn của đồng chí Đặng Văn Minh: Đi làm ăn xa, 01/03/2026–31/08/2026.",
          ]);
        }
        for (const telegramId of users.keys()) {
          for (const text of users
            .get(telegramId)!
            .messages()
            .map((m) => m.text ?? ""))
            expect(text, text).not.toContain("Chi bộ Chi bộ");
        }
        // Low attendance reached the committee in the monthly digest, by branch and meeting date.
        expect(texts("M1a").length).toBeGreaterThan(0);
        const digests = users
          .get(OFFICE)!
          .messages()
          .map((m) => m.text ?? "")
          .filter((t) => t.startsWith("📊"));
        expect(
          digests.some((t) =>
            t.includes("Chi bộ Ấp Bắc, buổi sinh hoạt ngày 10/02/2026 (thường kỳ): 2/3 đảng viên dự"),
          ),
        ).toBe(true);
      } finally {
        await db.$disconnect();
      }
    },
    onPostgres ? 480_000 : 180_000,
  ); // PostgreSQL: ~3 min alone (a year of serializable transactions over TCP)
});

/**
 * Every notification of the year, per recipient, worked out from the script and the rules' parameters
 * (defaults): "kind subject period" with the codes of the script.
 */
function expected({ deadline }: { deadline: string }): Map<number, string[]> {
  const want = new Map<number, string[]>();
  const add = (to: number | PersonCode, label: string) => {
    const id = typeof to === "number" ? to : PEOPLE[to].telegramId;
    want.set(id, [...(want.get(id) ?? []), label]);
  };
  const committee = [INSPECTION, ADMIN]; // who receives violations

  // The meeting notice 3 days before each regular meeting, and the day before a reminder of it (nobody in
  // the script answers), to the linked members expected at it: not Minh while exempted (March–August), not
  // Bình after leaving (from November). They take the place of the plain meeting reminders. The reminder due
  // on 29/06 fell in the downtime: a missed reminder is not sent late.
  for (const code of Object.keys(BRANCHES) as BranchCode[]) {
    for (const month of months) {
      const date = meetingDateIn(
        2026,
        Number(month.slice(5)),
        BRANCHES[code].meetingDay === 0 ? "LAST" : BRANCHES[code].meetingDay,
      );
      for (const days of [3, 1]) {
        const on = addDays(date, -days);
        if (isDown(on)) continue;
        for (const person of BRANCHES[code].people) {
          if (person === "M3b" && date >= "2026-03-01" && date <= "2026-08-31") continue;
          if (person === "M1b" && date > addDays(deadline, -2)) continue;
          add(person, `${days === 3 ? "meeting_notice" : "meeting_notice_reminder"} notice:${code}:${date} `);
        }
      }
    }
  }
  // "Record your meeting" on the last day: only B3 in August (B2 meets that evening; June's was missed in
  // the downtime and is too late to catch up).
  add("S3", "record_meeting branch:B3 2026-08");
  // Reports to the Standing Committee (the office receives reports): a reminder 3 days before each report
  // falls due (5 days after its period), then the committee's report on the due date, numbered in issue
  // order — the second quarter and the first half-year fall due together (the reminder on 2 July, the day
  // the bot is back).
  for (const key of ["2025-Q4", "2025", "2026-Q1", "2026-Q2", "2026-H1", "2026-Q3"]) {
    add(OFFICE, `report_reminder committee ${key}`);
    add(OFFICE, `report committee ${key}`);
  }
  // The monthly digest to the office, on the 1st for the month before (1 July caught up on 2 July).
  for (const month of ["2025-12", ...months.slice(0, 11)]) add(OFFICE, `digest committee ${month}`);

  // Dues after the meeting (3 days after): Cường owes from March, Minh from September; in August B3's
  // meeting was not recorded by the 23rd, so Hải and Lan (who pay at the meeting) are reminded too.
  for (const month of months.slice(2, 11)) add("M2a", `dues_owed member:M2a ${month}`);
  for (const month of ["2026-09", "2026-10", "2026-11", "2026-12"]) add("M3b", `dues_owed member:M3b ${month}`);
  add("S3", "dues_owed member:S3 2026-08");
  add("M3a", "dues_owed member:M3a 2026-08");

  // Check-ins: Minh's falls due 01/06, 29/08 and 27/11 (three months after leaving, then after each
  // check-in); reminded 5 days before; the last one is missed: R9 warns him, then tells the secretary.
  for (const due of ["2026-06-01", "2026-08-29", "2026-11-27"]) add("M3b", `checkin_due member:M3b ${due}`);
  add("M3b", "finding R9_CHECKIN_MISSING:member:M3b:2026-11-27 warn");
  for (const to of ["M3b", "S3"] as const) add(to, "finding R9_CHECKIN_MISSING:member:M3b:2026-11-27 alert");

  // Each of Minh's two check-ins tells the branch's secretary once, queued with the check-in (before, it
  // went out directly and a check-in made without the chat told nobody).
  for (const day of ["2026-05-29", "2026-08-27"]) add("S3", `checkin_notice checkin:M3b:${day} `);

  // The transfer: the secretary and the office 5 days before the deadline; confirmed in time, so no R6.
  for (const to of ["S1", OFFICE] as const) add(to, `transfer_deadline transfer:M1b ${deadline}`);

  // The self-review season: open on 15/11 for everyone on the roster (a reminder, not a finding: nothing is
  // missing before the due date). Reminded on 07/12 (3 days before the due date): An and Minh, who never send
  // one; from 11/12 R8 finds theirs missing and tells member and secretary, on 18/12 (7 days late) it raises
  // it to an alert for member, secretary and committee.
  const onRoster: PersonCode[] = ["S1", "M1a", "S2", "M2a", "M2b", "S3", "M3a", "M3b"];
  for (const person of onRoster) add(person, `self_review_open member:${person} 2026`);
  for (const person of ["M1a", "M3b"] as const) {
    add(person, `self_review_due member:${person} 2026`);
    for (const to of [person, SECRETARY_OF[branchOfPerson(person)]])
      add(to, `finding R8_SELF_REVIEW_MISSING:member:${person}:2026 warn`);
    for (const to of [person, SECRETARY_OF[branchOfPerson(person)], ...committee])
      add(to, `finding R8_SELF_REVIEW_MISSING:member:${person}:2026 alert`);
  }

  // An, recorded absent without a reason in February, April and June, is told each time (with a button to
  // send a reason): the notice is queued with the meeting.
  for (const month of ["02", "04", "06"]) add("M1a", `absence_notice attendance:M1a B1 2026-${month}-10 recorded`);
  // Minh's exemption request: the secretary hears of it when Minh applies; Minh and the committee when the
  // secretary forwards it; Minh and the secretary when the office approves it. Whoever acts is not told.
  add("S3", "exemption_notice exemption:M3b SUBMITTED@2026-02-20");
  for (const to of ["M3b", ADMIN, INSPECTION, OFFICE] as const)
    add(to, "exemption_notice exemption:M3b FORWARDED@2026-02-20");
  for (const to of ["M3b", "S3"] as const) add(to, "exemption_notice exemption:M3b APPROVED@2026-02-20");

  // R1: An's unexcused absences: 2 months (April) warn the secretary, 3 (June) alert secretary and committee.
  add("S1", "finding R1_ABSENCE:member:M1a:2026 warn");
  for (const to of ["S1", ...committee] as const) add(to, "finding R1_ABSENCE:member:M1a:2026 alert");
  // R4: each meeting with someone expected not present (3 members: 67% < 90%) is a finding for the committee's
  // monthly digest (listed there), not a notice of its own.
  // Holidays: from 1 October the admin hears once a week that 2027's calendar is provisional, until confirming
  // it on 20/10 (ISO weeks 40 to 43).
  for (const week of ["2026-W40", "2026-W41", "2026-W42", "2026-W43"])
    add(ADMIN, `holiday_confirm holidays:2027 ${week}`);
  // R2: unpaid months counted 10 days after each month: Cường 2 (11/05) then 3 (11/06); Minh 2 (11/11)
  // then 3 (11/12).
  for (const [person, code] of [
    ["M2a", "B2"],
    ["M3b", "B3"],
  ] as const) {
    add(SECRETARY_OF[code], `finding R2_DUES:member:${person}:2026 warn`);
    for (const to of [SECRETARY_OF[code], ...committee]) add(to, `finding R2_DUES:member:${person}:2026 alert`);
  }
  // R3: B3's August meeting not recorded: warn 03/09, alert 10/09, resolved on 13/09 once recorded.
  add("S3", "finding R3_NO_MEETING:branch:B3:2026-08 warn");
  for (const to of ["S3", ...committee] as const) {
    add(to, "finding R3_NO_MEETING:branch:B3:2026-08 alert");
    add(to, "finding_resolved R3_NO_MEETING:branch:B3:2026-08 resolved:2026-09-13");
  }
  // R5: Minh's third excused absence in a row (20/09, 20/10, 15/11).
  add("S3", "finding R5_EXCUSED_STREAK:member:M3b:2026-09-20 warn");
  // R7: Minh's exemption ends 31/08: reminded from 01/08, alert from 01/09 (no check-in since it ended); the
  // finding is about the exemption, and the member it concerns hears of it as the secretary does.
  for (const to of ["M3b", "S3"] as const) {
    add(to, "finding R7_EXEMPTION_ENDING:exemption:M3b:2026-08-31 warn");
    add(to, "finding R7_EXEMPTION_ENDING:exemption:M3b:2026-08-31 alert");
  }
  return want;
}
