// Rules, the outbox and the scheduler together over the fake Bot API: a member absent without reason in
// three months of the year raises an alert to the secretary and the committee, delivered once even across
// restarts and a burst of 429 answers; a correction resolves it; the secretary records a decision.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAttendanceSheet } from "../../src/app/attendance-sheet.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { recordMeeting } from "../../src/app/record-meeting.js";
import { wordAbsenceNotice } from "../../src/bot/features/meetings.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { outboxSettled, startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const ADMIN = 1000;
const SECRETARY = 2001;
const ALERT = "🚨 Cảnh báo — Vắng sinh hoạt không lý do";

describe("rule alerts", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let absentee: { id: number; name: string };
  let secretary: FakeUser;
  let admin: FakeUser;

  async function regularMeeting(date: string, unexcused: number[]): Promise<void> {
    const request = {
      actor: await identifyActor(e2e.running.app, { id: SECRETARY, first_name: "B" }),
      now: e2e.clock.now,
    };
    const sheet = await openAttendanceSheet(e2e.running.app, request, branch.branchId, "REGULAR", date);
    if (!sheet.ok) throw new Error(sheet.code);
    const rows = sheet.value.rows.map((r) =>
      unexcused.includes(r.memberId) ? { ...r, status: "UNEXCUSED" as const } : r,
    );
    const saved = await recordMeeting(e2e.running.app, request, { ...sheet.value, rows }, wordAbsenceNotice);
    if (!saved.ok) throw new Error(saved.code);
  }

  beforeEach(async () => {
    e2e = await startE2E({ now: new Date("2026-10-05T03:00:00Z"), admins: [String(ADMIN)] });
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 3 });
    const roster = await e2e.running.store.repos.members.page(branch.branchId, 0, 10);
    const member = roster.find((m) => m.id !== branch.secretaryMemberId)!;
    absentee = { id: member.id, name: member.fullName };
    for (const month of ["01", "02", "03", "04", "05", "06", "07", "08", "09"])
      await regularMeeting(`2026-${month}-10`, ["01", "04", "09"].includes(month) ? [absentee.id] : []);
    secretary = e2e.fake.user(SECRETARY);
    admin = e2e.fake.user(ADMIN);
    for (const user of [secretary, admin]) {
      user.sendText("/start");
      await user.waitForMessage(has("Chào đồng chí"));
    }
  });
  afterEach(async () => e2e.dispose());

  it("alerts once across restarts and 429s, resolves on a correction, and records the secretary's decision", async () => {
    e2e.fake.failNext("sendMessage", { error_code: 429, retry_after: 1 }, 2);
    await e2e.restart({ jobs: true });
    const toSecretary = await secretary.waitForMessage(has(ALERT), 15_000);
    expect(toSecretary.text).toContain(absentee.name);
    // In words: the months and the year, never raw field names or ISO months.
    expect(toSecretary.text).toContain("3 tháng trong năm 2026: tháng 1/2026, tháng 4/2026, tháng 9/2026");
    expect(toSecretary.text).not.toMatch(/warnAt|windowFrom|2026-0\d|#\d/);
    await admin.waitForMessage(has(ALERT), 15_000);

    // A restart the same day does not run the scan again; a run the next day finds the same alert and sends nothing new.
    await e2e.restart({ jobs: true });
    e2e.clock.now = new Date("2026-10-06T03:00:00Z");
    await e2e.restart({ jobs: true });
    await outboxSettled(e2e);
    const alertsTo = (user: FakeUser) => user.messages().filter((m) => (m.text ?? "").includes(ALERT)).length;
    expect(alertsTo(secretary)).toBe(1);
    expect(alertsTo(admin)).toBe(1);
    const [finding] = (await e2e.running.store.repos.findings.open([branch.branchId], 50)).filter(
      (f) => f.rule === "R1_ABSENCE",
    );
    expect(finding).toMatchObject({
      subjectId: absentee.id,
      severity: "alert",
      period: "2026",
      facts: expect.objectContaining({}),
    });

    // The secretary records the decision; the finding closes and its history stays.
    secretary.sendText("/canhbao");
    // The button names the member, the rule and the period (not "#17"), numbered as in the list.
    const button = `✍️ 1. ${absentee.name} — Vắng sinh hoạt không lý do · năm 2026`;
    secretary.pressButton(button, await secretary.waitForMessage((m) => m.buttons.some((b) => b.text === button)));
    secretary.pressButton("Đã nhắc nhở", await secretary.waitForMessage(has("Ghi quyết định")));
    await secretary.waitForMessage(has("Ghi chú kèm quyết định"));
    secretary.sendText("Đã gặp và nhắc nhở trực tiếp");
    await secretary.waitForMessage(
      has(`Đã ghi quyết định «Đã nhắc nhở» cho cảnh báo: Vắng sinh hoạt không lý do — đồng chí ${absentee.name}`),
    );
    expect(await e2e.running.store.repos.findings.get(finding!.id)).toMatchObject({
      status: "HANDLED",
      decision: "REMINDED",
      note: "Đã gặp và nhắc nhở trực tiếp",
    });
    expect((await e2e.running.store.repos.audit.forEntity("Finding", finding!.id)).map((a) => a.action)).toEqual([
      "finding.handle",
    ]);
  });

  it("withdraws an alert a correction no longer supports and tells the recipients", async () => {
    await e2e.restart({ jobs: true });

    await secretary.waitForMessage(has(ALERT), 15_000);
    // The September absence turns out to have had a valid reason.
    const [september] = await e2e.running.store.repos.meetings.recent(branch.branchId, 1);
    const row = (await e2e.running.store.repos.meetings.get(september!.id))!.attendances.find(
      (a) => a.memberId === absentee.id,
    )!;
    await e2e.running.store.transaction((repos) => repos.meetings.setAttendance(row.id, "EXCUSED", "Ốm"));
    e2e.clock.now = new Date("2026-10-06T03:00:00Z");
    await e2e.restart({ jobs: true });
    // Those told of the alert hear it is lowered to a reminder, with the months that remain.
    const resolved = await secretary.waitForMessage(
      has("⬇️ Vắng sinh hoạt không lý do: thông tin đã được điều chỉnh, cảnh báo được hạ xuống mức nhắc nhở."),
      15_000,
    );
    expect(resolved.text).toContain(
      `${absentee.name} (Chi bộ Ấp 1) vắng sinh hoạt thường kỳ không lý do 2 tháng trong năm 2026: tháng 1/2026, tháng 4/2026`,
    );
    // Two months remain: a warning to the secretary only, under a new severity.
    const findings = (await e2e.running.store.repos.findings.open([branch.branchId], 50)).filter(
      (f) => f.rule === "R1_ABSENCE",
    );
    expect(findings).toEqual([expect.objectContaining({ subjectId: absentee.id, severity: "warn" })]);
  });
});
