// The year-end evaluation over the fake Bot API: before the opening day /danhgia says when it opens; then
// a secretary reads a member's evidence sheet whose figures are those recorded during the year (meetings,
// absences by kind, dues months, tasks, self-review and comment, residence comment, alerts), records and
// changes a grade with a note, can only mark an exempted member "not graded"; people outside the branch,
// a stranger and a plain member are refused with nothing written; the committee's tally and its XLSX
// (read back) show the grades; after the late period nobody can change last year's grades. A member's own
// sheet shows only the alerts the member was sent, without decisions, and no residence comment; officers see
// name-matched residence comments with a warning, and only their number when the name is shared; the
// tally counts the people the branch lists show, not grades of members who have since left.
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordMonthPayments } from "../../src/app/dues-payments.js";
import { recordGrade } from "../../src/app/evaluation.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { EVALUATION_LAYOUT } from "../../src/files/evaluation-xlsx.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const ADMIN = 1000;
const SECRETARY = 2001;
const OTHER_SECRETARY = 2002;
const PLAIN_MEMBER = 3001;
const STRANGER = 4001;
const BEFORE_OPENING = new Date("2026-11-20T03:00:00Z");
const OPEN = new Date("2026-12-05T03:00:00Z");

async function pressOn(user: FakeUser, message: FakeMessage, match: string | RegExp): Promise<FakeMessage> {
  user.pressButton(match, message);
  return user.waitForMessage((m) => m.message_id === message.message_id);
}

async function refusal(user: FakeUser, data: string): Promise<string> {
  return (await user.waitForCallbackAnswer(user.pressData(data, user.lastMessage()?.message_id ?? 1))).text ?? "";
}

describe("year-end evaluation by chat", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let other: SeededBranch;
  let target: { id: number; name: string };
  let exempted: { id: number; name: string };
  let plain: { id: number; name: string };
  let sick: { id: number; name: string };
  let overdueTaskId: number;

  /** Grades recorded for 2026 and their audit entries: what a refused press must leave unchanged. */
  async function writes(): Promise<{ evaluations: number; audits: number }> {
    const repos = e2e.running.store.repos;
    const graded = (await repos.evaluations.exportRows(2026)).filter((r) => r.evaluation !== null);
    const rows = await Promise.all(graded.map((r) => repos.evaluations.get(r.memberId, 2026)));
    const entries = await Promise.all(rows.map((row) => repos.audit.forEntity("Evaluation", row!.id)));
    return { evaluations: graded.length, audits: entries.reduce((n, list) => n + list.length, 0) };
  }

  beforeEach(async () => {
    e2e = await startE2E({ now: BEFORE_OPENING, admins: [String(ADMIN)] });
    const store = e2e.running.store;
    branch = await seedBranch(store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 4 });
    other = await seedBranch(store, { name: "Chi bộ Ấp 2", secretaryTelegramId: OTHER_SECRETARY, members: 1 });
    const roster = (await store.repos.members.page(branch.branchId, 0, 10)).filter(
      (m) => m.id !== branch.secretaryMemberId,
    );
    const [a, b, c, d] = roster.map((m) => ({ id: m.id, name: m.fullName }));
    target = a!;
    exempted = b!;
    plain = c!;
    sick = d!;
    const everyone = [branch.secretaryMemberId, ...roster.map((m) => m.id)];
    const at = new Date("2026-11-01T03:00:00Z");

    await store.transaction(async (repos) => {
      // The target's year: present in January, May and June and at the March thematic meeting; excused in
      // February; unexcused in March and April. The exempted member is not expected from February on.
      const statusOf = (memberId: number, date: string): "PRESENT" | "EXCUSED" | "UNEXCUSED" | "EXEMPT" => {
        if (memberId === exempted.id && date >= "2026-02-01") return "EXEMPT";
        if (memberId !== target.id) return "PRESENT";
        return date === "2026-02-10"
          ? "EXCUSED"
          : date === "2026-03-10" || date === "2026-04-10"
            ? "UNEXCUSED"
            : "PRESENT";
      };
      const meetings: [string, "REGULAR" | "THEMATIC"][] = [
        ["2026-01-10", "REGULAR"],
        ["2026-02-10", "REGULAR"],
        ["2026-03-10", "REGULAR"],
        ["2026-03-20", "THEMATIC"],
        ["2026-04-10", "REGULAR"],
        ["2026-05-10", "REGULAR"],
        ["2026-06-10", "REGULAR"],
      ];
      for (const [date, kind] of meetings) {
        const tasks =
          date === "2026-03-10"
            ? [
                { memberId: target.id, description: "Vận động các hộ đóng góp quỹ khuyến học", dueDate: "2026-06-30" },
                { memberId: target.id, description: "Tuyên truyền phòng chống cháy rừng", dueDate: "2026-04-30" },
              ]
            : [];
        await repos.meetings.create(
          {
            branchId: branch.branchId,
            kind,
            date,
            regularKey: kind === "REGULAR" ? `${branch.branchId}:${date.slice(0, 7)}` : null,
            topic: null,
            resolution: null,
            recordedByTelegramId: String(SECRETARY),
          },
          everyone.map((memberId) => {
            const status = statusOf(memberId, date);
            return { memberId, status, reason: status === "EXCUSED" ? "Ốm" : null };
          }),
          tasks,
        );
      }
      const tasks = await repos.evaluations.tasksDue(target.id, "2026-01-01", "2026-12-31");
      overdueTaskId = tasks.find((t) => t.dueDate === "2026-06-30")!.id;
      await repos.tasks.markDone(tasks.find((t) => t.dueDate === "2026-04-30")!.id, new Date("2026-04-20T03:00:00Z"));

      for (const memberId of everyone)
        await repos.dues.setRate({
          memberId,
          effectiveMonth: "2026-01",
          amount: 50_000,
          basis: "MANUAL",
          basisAmount: null,
          createdByTelegramId: "seed",
        });

      // An approved exemption from February to November: 303 days of the year.
      const exemption = await repos.away.createExemption({
        memberId: exempted.id,
        branchId: branch.branchId,
        kind: "WORK_AWAY",
        reason: "Đi làm ăn xa",
        fromDate: "2026-02-01",
        toDate: "2026-11-30",
        place: "Bình Dương",
        paperNumber: null,
        paperDate: null,
        state: "APPROVED",
        createdAt: at,
        createdByTelegramId: String(SECRETARY),
      });

      const review = await repos.away.addReview({
        memberId: target.id,
        year: 2026,
        version: 1,
        text: "Bản tự kiểm điểm năm 2026",
        fileId: null,
        submittedAt: new Date("2026-11-20T02:00:00Z"),
      });
      await repos.away.markReviewed(
        review.id,
        String(SECRETARY),
        new Date("2026-11-25T02:00:00Z"),
        "Tự kiểm điểm nghiêm túc, nhận rõ khuyết điểm vắng sinh hoạt",
      );

      // Residence branches' comments, matched by name. The target shares the name with the member seeded in
      // Chi bộ Ấp 2, so the comment cannot be attributed; the plain and the sick member's names are unique.
      const contact = await repos.away.addResidenceContact({
        branchId: other.branchId,
        fullName: target.name,
        workplaceOrg: "Trường THCS Xuân Đông",
        address: null,
        phone: null,
        createdAt: at,
      });
      await repos.away.setResidenceComment(
        contact.id,
        2026,
        "Gương mẫu, tích cực tham gia sinh hoạt khu dân cư",
        String(OTHER_SECRETARY),
        at,
      );
      const stranger = await repos.away.addResidenceContact({
        branchId: other.branchId,
        fullName: "Lê Văn Khác",
        workplaceOrg: "Công an xã",
        address: null,
        phone: null,
        createdAt: at,
      });
      await repos.away.setResidenceComment(stranger.id, 2026, "Không liên quan", String(OTHER_SECRETARY), at);
      const plainContact = await repos.away.addResidenceContact({
        branchId: other.branchId,
        fullName: plain.name,
        workplaceOrg: "Hợp tác xã Xuân Đông",
        address: null,
        phone: null,
        createdAt: at,
      });
      await repos.away.setResidenceComment(
        plainContact.id,
        2026,
        "Ít tham gia họp tổ dân phố",
        String(OTHER_SECRETARY),
        at,
      );
      const sickContact = await repos.away.addResidenceContact({
        branchId: other.branchId,
        fullName: sick.name,
        workplaceOrg: "Trạm y tế xã",
        address: null,
        phone: null,
        createdAt: at,
      });
      await repos.away.setResidenceComment(
        sickContact.id,
        2026,
        "Nhiệt tình với công việc chung của tổ dân phố",
        String(OTHER_SECRETARY),
        at,
      );

      // Alerts: one handled (R1), one open on the overdue task (R10), one about another member. The plain
      // member has an R1 the committee decided on (never sent to the member), an open R2 (neither) and an
      // R8 self-review reminder (sent to the member) handled with an internal note; the exempted member an
      // R7 about the exemption's end, which is not evidence at all.
      const opened = await repos.findings.insert(
        [
          {
            key: `R1_ABSENCE:member:${target.id}:2026`,
            rule: "R1_ABSENCE",
            subjectKind: "member",
            subjectId: target.id,
            branchId: branch.branchId,
            period: "2026",
            severity: "warn",
            facts: {},
          },
          {
            key: `R10_TASK_OVERDUE:task:${overdueTaskId}:2026-06-30`,
            rule: "R10_TASK_OVERDUE",
            subjectKind: "task",
            subjectId: overdueTaskId,
            branchId: branch.branchId,
            period: "2026-06-30",
            severity: "warn",
            facts: {},
          },
          {
            key: `R2_DUES:member:${sick.id}:2026`,
            rule: "R2_DUES",
            subjectKind: "member",
            subjectId: sick.id,
            branchId: branch.branchId,
            period: "2026",
            severity: "warn",
            facts: {},
          },
          {
            key: `R1_ABSENCE:member:${plain.id}:2026`,
            rule: "R1_ABSENCE",
            subjectKind: "member",
            subjectId: plain.id,
            branchId: branch.branchId,
            period: "2026",
            severity: "alert",
            facts: {},
          },
          {
            key: `R2_DUES:member:${plain.id}:2026`,
            rule: "R2_DUES",
            subjectKind: "member",
            subjectId: plain.id,
            branchId: branch.branchId,
            period: "2026",
            severity: "warn",
            facts: {},
          },
          {
            key: `R8_SELF_REVIEW_MISSING:member:${plain.id}:2026`,
            rule: "R8_SELF_REVIEW_MISSING",
            subjectKind: "member",
            subjectId: plain.id,
            branchId: branch.branchId,
            period: "2026",
            severity: "warn",
            facts: {},
          },
          {
            key: `R7_EXEMPTION_ENDING:exemption:${exemption.id}:2026-11-30`,
            rule: "R7_EXEMPTION_ENDING",
            subjectKind: "exemption",
            subjectId: exemption.id,
            branchId: branch.branchId,
            period: "2026-11-30",
            severity: "warn",
            facts: {},
          },
        ],
        at,
      );
      await repos.findings.handle(
        opened.find((f) => f.rule === "R1_ABSENCE" && f.subjectId === target.id)!.id,
        "REMINDED",
        "Đã gặp trao đổi",
        String(SECRETARY),
        at,
      );
      await repos.findings.handle(
        opened.find((f) => f.rule === "R1_ABSENCE" && f.subjectId === plain.id)!.id,
        "PROPOSE_REMOVAL",
        "Chi ủy đề nghị đưa ra khỏi Đảng",
        "committee",
        at,
      );
      await repos.findings.handle(
        opened.find((f) => f.rule === "R8_SELF_REVIEW_MISSING")!.id,
        "REMINDED",
        "Ghi chú nội bộ của chi ủy",
        String(SECRETARY),
        at,
      );

      const user = await repos.users.upsert(String(PLAIN_MEMBER), "Đảng viên", null);
      await repos.users.linkMember(user.id, plain.id, at);
    });

    // Dues paid for January to September.
    const actor = await identifyActor(e2e.running.app, { id: SECRETARY, first_name: "B" });
    for (let month = 1; month <= 9; month++) {
      const result = await recordMonthPayments(
        e2e.running.app,
        { actor, now: BEFORE_OPENING },
        branch.branchId,
        `2026-0${month}`,
        [{ memberId: target.id, amount: 50_000 }],
      );
      expect(result.ok).toBe(true);
    }
  });
  afterEach(async () => e2e.dispose());

  it("shows the evidence, records grades, refuses outsiders, and gives the committee its tally and XLSX", async () => {
    const secretary = e2e.fake.user(SECRETARY);

    // Before the opening day.
    secretary.sendText("/danhgia");
    await secretary.waitForMessage(has("Việc đánh giá, xếp loại đảng viên năm 2026 bắt đầu từ ngày 01/12/2026."));
    expect(await refusal(secretary, `vm:${target.id}`)).toContain("01/12/2026");

    e2e.clock.now = OPEN;
    secretary.sendText("/danhgia");
    let list = await secretary.waitForMessage(has("📝 Đánh giá, xếp loại đảng viên năm 2026 — Chi bộ Ấp 1"));
    expect(list.text).toContain("Đã ghi kết quả: 0/5 đồng chí.");
    expect(list.buttons.map((b) => b.text)).toContain(`⏳ ${exempted.name} (được miễn sinh hoạt)`);
    expect(list.buttons.map((b) => b.text)).toContain(`⏳ ${target.name}`);

    // The target's evidence sheet matches what was recorded.
    let sheet = await pressOn(secretary, list, `⏳ ${target.name}`);
    const text = sheet.text!;
    expect(text).toContain("📋 PHIẾU TỔNG HỢP MINH CHỨNG NĂM 2026");
    expect(text).toContain(`Đồng chí ${target.name} — đảng viên chính thức — Chi bộ Ấp 1`);
    expect(text).toContain("1. Sinh hoạt chi bộ: dự 4/7 buổi (57,1%) — thường kỳ 3/6, chuyên đề 1/1, bất thường 0/0.");
    expect(text).toContain("Vắng có lý do: 1 buổi; vắng không lý do: 2 buổi.");
    expect(text).toContain("Vắng sinh hoạt thường kỳ không lý do trong 2 tháng: tháng 3–4.");
    expect(text).toContain(
      "2. Đảng phí: đã đóng 9 tháng (tháng 1–9), tổng 450.000 đ; chưa đóng 3 tháng (tháng 10–12), còn nợ 150.000 đ.",
    );
    expect(text).toContain(
      "3. Nhiệm vụ được giao có hạn trong năm: 2; đã hoàn thành 1 (trong đó sau hạn 0); quá hạn chưa hoàn thành 1; đang thực hiện 0.",
    );
    expect(text).toContain("– Vận động các hộ đóng góp quỹ khuyến học (hạn 30/06/2026)");
    expect(text).toContain("4. Bản tự kiểm điểm: đã nộp ngày 20/11/2026, 1 bản.");
    expect(text).toContain(
      "Nhận xét của Bí thư chi bộ (ngày 25/11/2026): «Tự kiểm điểm nghiêm túc, nhận rõ khuyết điểm vắng sinh hoạt»",
    );
    // Two members of the commune bear the target's name: the comment is counted, not attributed.
    expect(text).toContain(
      "5. Nhận xét của chi bộ nơi cư trú: có 1 nhận xét về người cùng họ và tên; Đảng bộ có 2 đảng viên trùng họ và tên này nên không tự xác định được là nhận xét về đồng chí nào.",
    );
    expect(text).not.toContain("Gương mẫu, tích cực tham gia sinh hoạt khu dân cư");
    expect(text).not.toContain("Trường THCS Xuân Đông");
    expect(text).not.toContain("Không liên quan");
    expect(text).toContain("6. Cảnh báo trong năm: 2 (đang mở 1, đã xử lý 1, đã hết 0).");
    expect(text).toContain("Vắng sinh hoạt không lý do (kỳ 2026): đã xử lý — Đã nhắc nhở (Đã gặp trao đổi)");
    expect(text).toContain("Nhiệm vụ quá hạn (kỳ 30/06/2026): đang mở");
    expect(text).toContain("Kết quả: chưa ghi.");
    expect(sheet.buttons.map((b) => b.text)).toEqual([
      "Hoàn thành xuất sắc nhiệm vụ",
      "Hoàn thành tốt nhiệm vụ",
      "Hoàn thành nhiệm vụ",
      "Không hoàn thành nhiệm vụ",
      "Không xếp loại",
      "◀️ Danh sách đảng viên",
    ]);

    // Record a grade with a note.
    secretary.pressButton("Hoàn thành tốt nhiệm vụ", sheet);
    await secretary.waitForMessage(has(`Kết quả «Hoàn thành tốt nhiệm vụ» cho đồng chí ${target.name}`));
    secretary.sendText("x".repeat(501));
    await secretary.waitForMessage(has("dài quá 500 ký tự"));
    secretary.sendText("Căn cứ biên bản họp chi bộ ngày 04/12/2026");
    let saved = await secretary.waitForMessage(has("✅ Đã ghi kết quả xếp loại năm 2026"));
    expect(saved.text).toBe(
      `✅ Đã ghi kết quả xếp loại năm 2026 của đồng chí ${target.name}: Hoàn thành tốt nhiệm vụ.\nGhi chú: Căn cứ biên bản họp chi bộ ngày 04/12/2026`,
    );
    let row = await e2e.running.store.repos.evaluations.get(target.id, 2026);
    expect(row).toMatchObject({
      grade: "GOOD",
      note: "Căn cứ biên bản họp chi bộ ngày 04/12/2026",
      branchId: branch.branchId,
      recordedByTelegramId: String(SECRETARY),
    });

    // Change it: the audit keeps before and after.
    list = await pressOn(secretary, saved, "◀️ Danh sách đảng viên");
    expect(list.text).toContain("Đã ghi kết quả: 1/5 đồng chí.");
    sheet = await pressOn(secretary, list, `✅ ${target.name} — Hoàn thành tốt nhiệm vụ`);
    expect(sheet.text).toContain("Kết quả chi bộ đã ghi: Hoàn thành tốt nhiệm vụ (ngày 05/12/2026).");
    expect(sheet.text).toContain("Ghi chú: Căn cứ biên bản họp chi bộ ngày 04/12/2026");
    expect(sheet.buttons.map((b) => b.text)).toContain("• Hoàn thành tốt nhiệm vụ");
    secretary.pressButton("Hoàn thành xuất sắc nhiệm vụ", sheet);
    secretary.pressButton("Bỏ qua", await secretary.waitForMessage(has("Kết quả «Hoàn thành xuất sắc nhiệm vụ»")));
    saved = await secretary.waitForMessage(has("✅ Đã sửa kết quả xếp loại năm 2026"));
    expect(saved.text).toContain(
      `của đồng chí ${target.name}: Hoàn thành xuất sắc nhiệm vụ (trước đó: Hoàn thành tốt nhiệm vụ).`,
    );
    row = await e2e.running.store.repos.evaluations.get(target.id, 2026);
    expect(row).toMatchObject({ grade: "EXCELLENT", note: null });
    const audit = await e2e.running.store.repos.audit.forEntity("Evaluation", row!.id);
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      [
        "evaluation.record",
        null,
        {
          memberId: target.id,
          year: 2026,
          grade: "GOOD",
          note: "Căn cứ biên bản họp chi bộ ngày 04/12/2026",
          branchId: branch.branchId,
        },
      ],
      [
        "evaluation.change",
        {
          memberId: target.id,
          year: 2026,
          grade: "GOOD",
          note: "Căn cứ biên bản họp chi bộ ngày 04/12/2026",
          branchId: branch.branchId,
        },
        { memberId: target.id, year: 2026, grade: "EXCELLENT", note: null, branchId: branch.branchId },
      ],
    ]);

    // The exempted member can only be "not graded", even with a forged button.
    list = await pressOn(secretary, saved, "◀️ Danh sách đảng viên");
    sheet = await pressOn(secretary, list, `⏳ ${exempted.name} (được miễn sinh hoạt)`);
    expect(sheet.text).toContain(
      "🔸 Được miễn công tác và sinh hoạt đảng 303/365 ngày trong năm: thuộc diện không xếp loại.",
    );
    expect(sheet.text).toContain("dự 1/1 buổi (100,0%)");
    expect(sheet.text).toContain("Không phải dự (được miễn, chuyển sinh hoạt tạm thời): 6 buổi.");
    // The exemption's end (R7) is no alert about the member's conduct.
    expect(sheet.text).toContain("6. Cảnh báo trong năm: không có.");
    expect(sheet.text).not.toContain("Hết thời gian miễn sinh hoạt");
    expect(sheet.buttons.map((b) => b.text)).toEqual(["Không xếp loại", "◀️ Danh sách đảng viên"]);
    const before = await writes();
    expect(await refusal(secretary, `vg:${exempted.id}:2026:GOOD`)).toContain("chỉ ghi được «Không xếp loại»");
    expect(await writes()).toEqual(before);
    secretary.pressButton("Không xếp loại", sheet);
    secretary.pressButton(
      "Bỏ qua",
      await secretary.waitForMessage(has(`Kết quả «Không xếp loại» cho đồng chí ${exempted.name}`)),
    );
    await secretary.waitForMessage(
      has(`Đã ghi kết quả xếp loại năm 2026 của đồng chí ${exempted.name}: Không xếp loại.`),
    );

    // A member who is not exempted is left ungraded only with a reason.
    secretary.pressData(`vg:${sick.id}:2026:NOT_GRADED`, secretary.lastMessage()!.message_id);
    const ask = await secretary.waitForMessage(has(`Đồng chí ${sick.name} không thuộc diện được miễn sinh hoạt`));
    expect(ask.buttons.map((b) => b.text)).toEqual(["✖️ Hủy"]);
    secretary.sendText("Điều trị bệnh dài ngày từ tháng 3/2026");
    await secretary.waitForMessage(has(`của đồng chí ${sick.name}: Không xếp loại.`));

    // Outsiders are refused and nothing is written.
    const written = await writes();
    expect(written.evaluations).toBe(3);
    const otherSecretary = e2e.fake.user(OTHER_SECRETARY);
    otherSecretary.sendText("/danhgia");
    await otherSecretary.waitForMessage(has("Chi bộ Ấp 2"));
    for (const data of [
      `vm:${target.id}`,
      `vl:${branch.branchId}:0`,
      `vg:${target.id}:2026:NOT_COMPLETED`,
      `vg:${plain.id}:2026:GOOD`,
      "vx",
      "vt",
    ]) {
      expect(await refusal(otherSecretary, data), data).toContain("không có quyền");
    }
    const stranger = e2e.fake.user(STRANGER);
    stranger.sendText("/danhgia");
    await stranger.waitForMessage(has("chưa được cấp quyền"));
    for (const data of [`vm:${target.id}`, `vg:${plain.id}:2026:GOOD`])
      expect(await refusal(stranger, data), data).toContain("không có quyền");
    const member = e2e.fake.user(PLAIN_MEMBER);
    member.sendText("/danhgia");
    const own = await member.waitForMessage(has("📋 PHIẾU TỔNG HỢP MINH CHỨNG NĂM 2026"));
    expect(own.text).toContain(`Đồng chí ${plain.name} — đảng viên chính thức — Chi bộ Ấp 1`);
    expect(own.text).toContain(
      "2. Đảng phí: đã đóng 0 tháng, tổng 0 đ; chưa đóng 12 tháng (tháng 1–12), còn nợ 600.000 đ.",
    );
    expect(own.text).toContain("4. Bản tự kiểm điểm: chưa nộp (hạn 10/12/2026).");
    expect(own.buttons).toEqual([]);
    for (const data of [
      `vm:${target.id}`,
      `vl:${branch.branchId}:0`,
      `vg:${plain.id}:2026:EXCELLENT`,
      `vg:${target.id}:2026:GOOD`,
      "vx",
    ]) {
      expect(await refusal(member, data), data).toContain("không có quyền");
    }
    const admin = e2e.fake.user(ADMIN);
    admin.sendText("/danhgia");
    const tally = await admin.waitForMessage(has("📊 Kết quả xếp loại đảng viên năm 2026 theo chi bộ:"));
    expect(await refusal(admin, `vg:${target.id}:2026:GOOD`)).toContain("không có quyền");
    expect(await writes()).toEqual(written);
    expect((await e2e.running.store.repos.evaluations.get(target.id, 2026))!.grade).toBe("EXCELLENT");

    // The committee's tally, a branch's sheets read only, and the XLSX.
    expect(tally.text).toContain(
      "• Chi bộ Ấp 1 (5 đảng viên): HTXSNV 1 · HTTNV 0 · HTNV 0 · KHTNV 0 · Không xếp loại 2 · Chưa đánh giá 2",
    );
    expect(tally.text).toContain(
      "• Chi bộ Ấp 2 (2 đảng viên): HTXSNV 0 · HTTNV 0 · HTNV 0 · KHTNV 0 · Không xếp loại 0 · Chưa đánh giá 2",
    );
    expect(tally.text).toContain(
      "Toàn Đảng bộ (7 đảng viên): HTXSNV 1 · HTTNV 0 · HTNV 0 · KHTNV 0 · Không xếp loại 2 · Chưa đánh giá 4",
    );
    const branches = await pressOn(admin, tally, "📂 Danh sách đánh giá từng chi bộ");
    const committeeList = await pressOn(admin, branches, "Chi bộ Ấp 1");
    expect(committeeList.text).toContain("Đồng chí chọn đảng viên để xem phiếu tổng hợp minh chứng.");
    const committeeSheet = await pressOn(admin, committeeList, `✅ ${target.name} — Hoàn thành xuất sắc nhiệm vụ`);
    expect(committeeSheet.text).toContain("Kết quả chi bộ đã ghi: Hoàn thành xuất sắc nhiệm vụ");
    expect(committeeSheet.buttons.map((b) => b.text)).toEqual(["◀️ Danh sách đảng viên"]);

    // The tally message became the branch list, then the sheet; the tally is asked for again.
    admin.sendText("/danhgia");
    admin.pressButton(
      "📥 Xuất tổng hợp (XLSX)",
      await admin.waitForMessage(has("📊 Kết quả xếp loại đảng viên năm 2026")),
    );
    await admin.waitForMessage((m) => m.document !== undefined);
    const [document] = admin.receivedDocuments();
    expect(document!.fileName).toBe("xep-loai-dang-vien-2026.xlsx");
    expect(document!.caption).toBe("Tổng hợp kết quả xếp loại đảng viên năm 2026");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(document!.bytes as unknown as ArrayBuffer);
    const [tallySheet, listSheet] = workbook.worksheets;
    // The Đảng ủy issues it, under the Đảng bộ above (PARENT_PARTY_NAME).
    expect(tallySheet!.getCell(1, 1).value).toBe("ĐẢNG BỘ TỈNH ĐỒNG NAI");
    expect(tallySheet!.getCell(2, 1).value).toBe("ĐẢNG ỦY XÃ XUÂN ĐÔNG");
    expect(tallySheet!.getRow(1).values as unknown[]).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
    expect(tallySheet!.getCell(EVALUATION_LAYOUT.tallyTitleRow, 1).value).toBe(
      "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN NĂM 2026",
    );
    const cells = (sheet: ExcelJS.Worksheet, rowNumber: number, count: number) =>
      Array.from({ length: count }, (_, i) => sheet.getRow(rowNumber).getCell(i + 1).value ?? "");
    const values = (rowNumber: number) => cells(tallySheet!, rowNumber, 9);
    expect(values(EVALUATION_LAYOUT.tallyHeaderRow)).toEqual([
      "STT",
      "Chi bộ",
      "Số đảng viên",
      "Hoàn thành xuất sắc nhiệm vụ",
      "Hoàn thành tốt nhiệm vụ",
      "Hoàn thành nhiệm vụ",
      "Không hoàn thành nhiệm vụ",
      "Không xếp loại",
      "Chưa đánh giá",
    ]);
    expect(values(EVALUATION_LAYOUT.tallyFirstDataRow)).toEqual([1, "Chi bộ Ấp 1", 5, 1, 0, 0, 0, 2, 2]);
    expect(values(EVALUATION_LAYOUT.tallyFirstDataRow + 1)).toEqual([2, "Chi bộ Ấp 2", 2, 0, 0, 0, 0, 0, 2]);
    expect(values(EVALUATION_LAYOUT.tallyFirstDataRow + 2)).toEqual(["", "Cộng", 7, 1, 0, 0, 0, 2, 4]);
    // The list: a line per branch with its headcount, then its members (STT, name, kind, grade, note).
    const rows = new Map<string, unknown[]>();
    const branchLines: string[] = [];
    listSheet!.eachRow((_row, index) => {
      if (index < EVALUATION_LAYOUT.listFirstDataRow) return;
      const first = listSheet!.getCell(index, 1).value;
      if (typeof first === "string") branchLines.push(first);
      else rows.set(`${branchLines.at(-1)}|${String(listSheet!.getCell(index, 2).value)}`, cells(listSheet!, index, 5));
    });
    expect(branchLines).toEqual(["Chi bộ Ấp 1 (5 đảng viên)", "Chi bộ Ấp 2 (2 đảng viên)"]);
    expect(rows.size).toBe(7);
    const inA1 = (name: string) => rows.get(`Chi bộ Ấp 1 (5 đảng viên)|${name}`)!;
    expect(inA1(target.name).slice(1)).toEqual([target.name, "Chính thức", "Hoàn thành xuất sắc nhiệm vụ", ""]);
    expect(inA1(exempted.name)[3]).toBe("Không xếp loại");
    expect(inA1(sick.name).slice(3)).toEqual(["Không xếp loại", "Điều trị bệnh dài ngày từ tháng 3/2026"]);
    expect(inA1(plain.name).slice(3)).toEqual(["Chưa đánh giá", ""]);
    expect(e2e.fake.callsOf("sendDocument").every((c) => Number(c.params.chat_id) === ADMIN)).toBe(true);
  });

  it("keeps last year open until 31 March, then closes it: the committee still reads it", async () => {
    const secretary = e2e.fake.user(SECRETARY);
    e2e.clock.now = new Date("2027-01-10T03:00:00Z");
    secretary.sendText("/danhgia");
    const list = await secretary.waitForMessage(has("📝 Đánh giá, xếp loại đảng viên năm 2026 — Chi bộ Ấp 1"));
    expect(list.text).toContain(
      "Đang trong thời gian hoàn thành việc đánh giá, xếp loại đảng viên năm 2026 (đến hết ngày 31/03/2027).",
    );
    const sheet = await pressOn(secretary, list, `⏳ ${target.name}`);
    // In January all twelve months of 2026 are reached.
    expect(sheet.text).toContain("chưa đóng 3 tháng (tháng 10–12)");
    secretary.pressButton("Hoàn thành nhiệm vụ", sheet);
    secretary.pressButton("Bỏ qua", await secretary.waitForMessage(has("Kết quả «Hoàn thành nhiệm vụ»")));
    await secretary.waitForMessage(
      has(`Đã ghi kết quả xếp loại năm 2026 của đồng chí ${target.name}: Hoàn thành nhiệm vụ.`),
    );

    e2e.clock.now = new Date("2027-04-01T03:00:00Z");
    expect(await refusal(secretary, `vg:${target.id}:2026:GOOD`)).toContain("bắt đầu từ ngày 01/12/2027");
    secretary.sendText("/danhgia");
    await secretary.waitForMessage(has("Việc đánh giá, xếp loại đảng viên năm 2027 bắt đầu từ ngày 01/12/2027."));
    expect((await e2e.running.store.repos.evaluations.get(target.id, 2026))!.grade).toBe("COMPLETED");

    const admin = e2e.fake.user(ADMIN);
    admin.sendText("/danhgia");
    await admin.waitForMessage(has("Dưới đây là kết quả xếp loại đảng viên năm 2026 (chỉ xem)."));
    const tally = await admin.waitForMessage(has("📊 Kết quả xếp loại đảng viên năm 2026 theo chi bộ:"));
    expect(tally.text).toContain("• Chi bộ Ấp 1 (5 đảng viên): HTXSNV 0 · HTTNV 0 · HTNV 1 ·");

    // A grade button of the old year pressed once the new year opened is refused, not moved to the new year.
    e2e.clock.now = new Date("2027-12-02T03:00:00Z");
    expect(await refusal(secretary, `vg:${target.id}:2026:GOOD`)).toContain("năm 2026 đã kết thúc");
    expect(await e2e.running.store.repos.evaluations.get(target.id, 2027)).toBeNull();
  });

  it("shows a member's own sheet without the branch's deliberations, and officers the full sheet", async () => {
    e2e.clock.now = OPEN;
    const secretary = e2e.fake.user(SECRETARY);
    secretary.sendText("/danhgia");
    const list = await secretary.waitForMessage(has("📝 Đánh giá, xếp loại đảng viên năm 2026 — Chi bộ Ấp 1"));

    // The secretary reads everything about the plain member, the residence comment with its warning.
    const full = (await pressOn(secretary, list, `⏳ ${plain.name}`)).text!;
    expect(full).toContain("6. Cảnh báo trong năm: 3 (đang mở 1, đã xử lý 2, đã hết 0).");
    expect(full).toContain(
      "Vắng sinh hoạt không lý do (kỳ 2026): đã xử lý — Đề nghị xóa tên (Chi ủy đề nghị đưa ra khỏi Đảng)",
    );
    expect(full).toContain("Chưa đóng đảng phí (kỳ 2026): đang mở");
    expect(full).toContain("Chưa nộp bản tự kiểm điểm (kỳ 2026): đã xử lý — Đã nhắc nhở (Ghi chú nội bộ của chi ủy)");
    expect(full).toContain(
      "5. Nhận xét của chi bộ nơi cư trú — ⚠️ chỉ đối chiếu theo họ và tên, đề nghị kiểm tra đúng là nhận xét về đồng chí này:",
    );
    expect(full).toContain("– Chi bộ Ấp 2 (nơi công tác: Hợp tác xã Xuân Đông): «Ít tham gia họp tổ dân phố»");

    // The member reads only the reminder sent to them, without the decision or its note, and no comment
    // matched by name.
    const member = e2e.fake.user(PLAIN_MEMBER);
    member.sendText("/danhgia");
    const own = (await member.waitForMessage(has("📋 PHIẾU TỔNG HỢP MINH CHỨNG NĂM 2026"))).text!;
    expect(own).toContain(`Đồng chí ${plain.name} — đảng viên chính thức — Chi bộ Ấp 1`);
    expect(own).toContain("6. Cảnh báo trong năm: 1 (đang mở 0, đã xử lý 1, đã hết 0).");
    expect(own).toMatch(/ {3}– Chưa nộp bản tự kiểm điểm \(kỳ 2026\): đã xử lý$/m);
    for (const hidden of [
      "Vắng sinh hoạt không lý do (kỳ",
      "Chưa đóng đảng phí (kỳ",
      "Đề nghị xóa tên",
      "Chi ủy đề nghị đưa ra khỏi Đảng",
      "Đã nhắc nhở",
      "Ghi chú nội bộ của chi ủy",
      "Ít tham gia họp tổ dân phố",
      "Hợp tác xã Xuân Đông",
      "đối chiếu theo họ và tên",
    ]) {
      expect(own, hidden).not.toContain(hidden);
    }
    expect(own).toContain("5. Nhận xét của chi bộ nơi cư trú: chi ủy đối chiếu, xem xét khi đánh giá.");

    // The committee reads the full sheet too; another unique name's comment shows with the warning.
    const admin = e2e.fake.user(ADMIN);
    admin.sendText("/danhgia");
    const tally = await admin.waitForMessage(has("📊 Kết quả xếp loại đảng viên năm 2026 theo chi bộ:"));
    const committeeList = await pressOn(
      admin,
      await pressOn(admin, tally, "📂 Danh sách đánh giá từng chi bộ"),
      "Chi bộ Ấp 1",
    );
    const sickSheet = await pressOn(admin, committeeList, `⏳ ${sick.name}`);
    expect(sickSheet.text).toContain(
      "5. Nhận xét của chi bộ nơi cư trú — ⚠️ chỉ đối chiếu theo họ và tên, đề nghị kiểm tra đúng là nhận xét về đồng chí này:",
    );
    expect(sickSheet.text).toContain(
      "– Chi bộ Ấp 2 (nơi công tác: Trạm y tế xã): «Nhiệt tình với công việc chung của tổ dân phố»",
    );
    admin.pressData(`vm:${plain.id}`, sickSheet.message_id);
    const committeeView = await admin.waitForMessage(
      (m) => m.message_id === sickSheet.message_id && (m.text ?? "").includes(plain.name),
    );
    expect(committeeView.text).toContain("đã xử lý — Đề nghị xóa tên (Chi ủy đề nghị đưa ra khỏi Đảng)");
  });

  it("counts in the tally the members the branch lists show, not the grades of members who left", async () => {
    e2e.clock.now = OPEN;
    const actor = await identifyActor(e2e.running.app, { id: SECRETARY, first_name: "B" });
    expect((await recordGrade(e2e.running.app, { actor, now: OPEN }, target.id, 2026, "GOOD", null)).ok).toBe(true);
    expect(
      (await recordGrade(e2e.running.app, { actor, now: OPEN }, sick.id, 2026, "NOT_GRADED", "Điều trị bệnh dài ngày"))
        .ok,
    ).toBe(true);
    // The sick member, graded, then moves out of the commune: no longer on the branch's list.
    await e2e.running.store.transaction((repos) =>
      repos.members.update(sick.id, { state: "TRANSFERRED_OUT", stateSince: "2026-12-04" }),
    );

    const secretary = e2e.fake.user(SECRETARY);
    secretary.sendText("/danhgia");
    const list = await secretary.waitForMessage(has("📝 Đánh giá, xếp loại đảng viên năm 2026 — Chi bộ Ấp 1"));
    expect(list.text).toContain("Đã ghi kết quả: 1/4 đồng chí.");

    const admin = e2e.fake.user(ADMIN);
    admin.sendText("/danhgia");
    const tally = await admin.waitForMessage(has("📊 Kết quả xếp loại đảng viên năm 2026 theo chi bộ:"));
    expect(tally.text).toContain(
      "• Chi bộ Ấp 1 (4 đảng viên): HTXSNV 0 · HTTNV 1 · HTNV 0 · KHTNV 0 · Không xếp loại 0 · Chưa đánh giá 3",
    );
    expect(tally.text).toContain(
      "Toàn Đảng bộ (6 đảng viên): HTXSNV 0 · HTTNV 1 · HTNV 0 · KHTNV 0 · Không xếp loại 0 · Chưa đánh giá 5",
    );

    // The workbook: the same figures, and its list holds the same people.
    admin.pressButton("📥 Xuất tổng hợp (XLSX)", tally);
    await admin.waitForMessage((m) => m.document !== undefined);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(admin.receivedDocuments()[0]!.bytes as unknown as ArrayBuffer);
    const [tallySheet, listSheet] = workbook.worksheets;
    const values = (rowNumber: number) =>
      Array.from({ length: 9 }, (_, i) => tallySheet!.getRow(rowNumber).getCell(i + 1).value ?? "");
    expect(values(EVALUATION_LAYOUT.tallyFirstDataRow)).toEqual([1, "Chi bộ Ấp 1", 4, 0, 1, 0, 0, 0, 3]);
    expect(values(EVALUATION_LAYOUT.tallyFirstDataRow + 2)).toEqual(["", "Cộng", 6, 0, 1, 0, 0, 0, 5]);
    const names: string[] = [];
    listSheet!.eachRow((_row, index) => {
      if (index >= EVALUATION_LAYOUT.listFirstDataRow && typeof listSheet!.getCell(index, 1).value === "number")
        names.push(String(listSheet!.getCell(index, 2).value));
    });
    expect(names).toHaveLength(6);
    expect(names).not.toContain(sick.name);
  });
});
