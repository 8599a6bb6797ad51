// Two officers deciding the same thing at once: the second is told, on the message they pressed, what was
// decided, by whom and when — not a vague "already handled" while the stale buttons stay.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, seedLinkedMember, type SeededBranch } from "../support/seed.js";

const SECRETARY = 2001;
const DEPUTY = 2003;
const MEMBER = 3001;

describe("the loser of a decision race hears the final state", () => {
  let h: Harness;
  let branch: SeededBranch;
  let explanationId: number;
  beforeEach(async () => {
    h = await Harness.create({ now: new Date("2026-03-15T03:00:00Z") });
    branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
    const memberId = await seedLinkedMember(h.db.store, branch.branchId, MEMBER, "Lê Văn Lâm");
    const deputyMember = await seedLinkedMember(h.db.store, branch.branchId, DEPUTY, "Phạm Thị Hoa");
    explanationId = await h.db.store.transaction(async (repos) => {
      const deputy = await repos.users.findByTelegramId(String(DEPUTY));
      await repos.users.grantRole(deputy!.id, "BRANCH_DEPUTY", branch.branchId, "test", h.now);
      void deputyMember;
      const meeting = await repos.meetings.create(
        {
          branchId: branch.branchId,
          kind: "REGULAR",
          date: "2026-03-05",
          regularKey: `${branch.branchId}:2026-03`,
          topic: null,
          resolution: null,
          recordedByTelegramId: String(SECRETARY),
        },
        [{ memberId, status: "UNEXCUSED", reason: null }],
        [],
      );
      const attendance = (await repos.meetings.get(meeting.id))!.attendances[0]!;
      return (
        await repos.explanations.create({
          attendanceId: attendance.id,
          memberId,
          text: "Đi làm ca đêm",
          submittedAt: h.now,
        })
      ).id;
    });
    // Both officers got the member's explanation with its two buttons.
    for (const officer of [SECRETARY, DEPUTY]) await h.send(officer, "/start");
  });
  afterEach(async () => h.dispose());

  function noticeTo(officer: number): number {
    // The notice as the outbox would deliver it: a message with the accept / decline buttons.
    const calls = h.answer("sendMessage", {
      chat_id: officer,
      text: "Đồng chí Lê Văn Lâm gửi lý do vắng…",
      reply_markup: { inline_keyboard: [[{ text: "✅ Chấp nhận", callback_data: `ea:${explanationId}` }]] },
    }) as { message_id: number };
    return calls.message_id;
  }

  it("tells the second officer who accepted it and when, on the pressed notice", async () => {
    const mine = noticeTo(SECRETARY);
    const theirs = noticeTo(DEPUTY);
    await h.press(SECRETARY, `ea:${explanationId}`, mine);
    const calls = await h.press(DEPUTY, `ea:${explanationId}`, theirs);
    const edited = calls.find((c) => c.method === "editMessageText" && c.payload.message_id === theirs);
    expect(edited?.payload.text).toBe(
      "Lý do vắng buổi sinh hoạt ngày 05/03/2026 của đồng chí Lê Văn Lâm đã được đồng chí Bí Thư 1 Một chấp nhận lúc 10:00 ngày 15/03/2026.",
    );
    expect(edited?.payload.reply_markup?.inline_keyboard ?? []).toEqual([]);
  });

  it("tells the officer who typed a refusal that it was accepted meanwhile, and writes nothing", async () => {
    noticeTo(DEPUTY);
    await h.press(DEPUTY, `ed:${explanationId}`);
    await h.press(SECRETARY, `ea:${explanationId}`);
    const shown = Harness.texts(await h.send(DEPUTY, "Không báo trước")).join("\n");
    expect(shown).toContain("đã được đồng chí Bí Thư 1 Một chấp nhận lúc 10:00 ngày 15/03/2026");
    const audit = await h.db.store.repos.audit.forEntity("AbsenceExplanation", explanationId);
    expect(audit.map((a) => a.after)).toEqual([{ decision: "ACCEPTED", note: null }]);
  });

  it("does not ask a reason for refusing an exemption another officer has already refused", async () => {
    const memberId = (await h.db.store.repos.users.findByTelegramId(String(MEMBER)))!.member!.id;
    const request = await h.db.store.repos.away.createExemption({
      memberId,
      branchId: branch.branchId,
      kind: "ILLNESS",
      reason: "Mổ ruột thừa",
      fromDate: "2026-03-20",
      toDate: "2026-05-20",
      place: null,
      paperNumber: null,
      paperDate: null,
      state: "SUBMITTED",
      createdAt: h.now,
      createdByTelegramId: String(MEMBER),
    });
    await h.press(SECRETARY, `xA:${request.id}:REJECT`);
    await h.send(SECRETARY, "Chưa có giấy của bệnh viện");
    const calls = await h.press(DEPUTY, `xA:${request.id}:REJECT`);
    const shown = Harness.texts(calls).join("\n");
    expect(shown).toContain("Chưa thực hiện: đơn này đã được xử lý");
    expect(shown).toContain("Không được chấp thuận");
    expect(shown).not.toContain("gõ lý do");
    // A later text of the deputy is no refusal's reason: nothing more is recorded.
    await h.send(DEPUTY, "Không đủ điều kiện");
    const audit = await h.db.store.repos.audit.forEntity("ExemptionRequest", request.id);
    expect(audit.map((a) => a.action)).toEqual(["exemption.reject"]);
  });

  it("tells the member the branch's decision without naming the secretary when the deputy decided", async () => {
    await h.press(DEPUTY, `ea:${explanationId}`);
    const notice = await h.db.store.repos.outbox.find(
      "absence_explanation_decision",
      `explanation:${explanationId}`,
      "",
      String(MEMBER),
    );
    expect(notice?.text).toBe(
      "Chi bộ đã chấp nhận lý do vắng buổi sinh hoạt ngày 05/03/2026 của đồng chí: đồng chí được ghi vắng có lý do.",
    );
  });

  it("tells the member of their own request's refusal in words addressed to them", async () => {
    const memberId = (await h.db.store.repos.users.findByTelegramId(String(MEMBER)))!.member!.id;
    const request = await h.db.store.repos.away.createExemption({
      memberId,
      branchId: branch.branchId,
      kind: "ILLNESS",
      reason: "Mổ ruột thừa",
      fromDate: "2026-03-20",
      toDate: "2026-05-20",
      place: null,
      paperNumber: null,
      paperDate: null,
      state: "SUBMITTED",
      createdAt: h.now,
      createdByTelegramId: String(MEMBER),
    });
    await h.press(SECRETARY, `xA:${request.id}:REJECT`);
    await h.send(SECRETARY, "Chưa có giấy của bệnh viện");
    const notice = await h.db.store.repos.outbox.find(
      "exemption_notice",
      `exemption:${request.id}`,
      `REJECTED@${h.now.toISOString()}`,
      String(MEMBER),
    );
    expect(notice?.text).toBe(
      "Đơn xin miễn của đồng chí (từ 20/03/2026 đến 20/05/2026): Không được chấp thuận\nGhi chú: Chưa có giấy của bệnh viện",
    );
  });

  it("tells the officer second to decide an alert who decided it, and keeps the first decision", async () => {
    const memberId = (await h.db.store.repos.users.findByTelegramId(String(MEMBER)))!.member!.id;
    const [finding] = await h.db.store.repos.findings.insert(
      [
        {
          key: `R1:member:${memberId}:2026`,
          rule: "R1_ABSENCE",
          subjectKind: "member",
          subjectId: memberId,
          branchId: branch.branchId,
          period: "2026",
          severity: "alert",
          facts: { months: ["2026-01", "2026-02", "2026-03"], count: 3, alertAt: 3 },
        },
      ],
      h.now,
    );
    for (const officer of [SECRETARY, DEPUTY]) {
      await h.press(officer, `aH:${finding!.id}`);
      await h.press(officer, h.buttonData(officer, "Đã nhắc nhở"));
    }
    await h.send(SECRETARY, "Đã gặp trực tiếp");
    const shown = Harness.texts(await h.send(DEPUTY, "Đã gọi điện")).join("\n");
    expect(shown).toBe(
      "Cảnh báo «Vắng sinh hoạt không lý do — đồng chí Lê Văn Lâm (Chi bộ Ấp 1)» đã được đồng chí Bí Thư 1 Một ghi quyết định «Đã nhắc nhở» lúc 10:00 ngày 15/03/2026.",
    );
    expect(await h.db.store.repos.findings.get(finding!.id)).toMatchObject({
      status: "HANDLED",
      note: "Đã gặp trực tiếp",
    });
    // A later press of the decision button says the same, on the pressed message.
    const again = Harness.texts(await h.press(DEPUTY, `aH:${finding!.id}`)).join("\n");
    expect(again).toContain("đã được đồng chí Bí Thư 1 Một ghi quyết định «Đã nhắc nhở»");
  });
});
