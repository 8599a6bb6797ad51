// A self-review handed in on paper, over the fake Bot API: the branch's secretary records one with a photo and
// one without from the /tukiemdiem list; bad dates and a bad file are refused; another branch's secretary, the
// committee and a plain member are refused with nothing written. The paper reviews then count as handed in:
// the list, the reminders, rule R8 after the due date, and the evaluation sheet ("nộp bản giấy ngày …").
// An officer cannot record their own; a press refused by the check inside the transaction stores no file.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueSelfReviewReminders } from "../../src/app/deadline-reminders.js";
import type { AppDeps } from "../../src/app/deps.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { recordPaperSelfReview, submitSelfReview } from "../../src/app/self-reviews.js";
import { runRuleScan } from "../../src/app/rule-scan.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? m.caption ?? "").includes(fragment);
const ADMIN = 1000;
const SECRETARY = 2001;
const OTHER_SECRETARY = 2002;
const MEMBER = 3001;
// 20/11/2026 in Asia/Ho_Chi_Minh: inside the self-review season (15/11 – 10/12).
const NOW = new Date("2026-11-20T03:00:00Z");

const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 9)]);
/** Where the file store keeps content: "<first two hex digits>/<sha256>". */
const storedPath = (content: Buffer) => {
  const sum = createHash("sha256").update(content).digest("hex");
  return join(sum.slice(0, 2), sum);
};
const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(2000, 0x20)]);

describe("a self-review handed in on paper", () => {
  let e2e: E2E;
  let branch: SeededBranch;
  let secretary: FakeUser;
  let member: FakeUser;
  let other: FakeUser;
  let admin: FakeUser;
  /** Roster members of the first branch other than the secretary: X is linked (MEMBER), Y and Z are not. */
  let x: { id: number; name: string };
  let y: { id: number; name: string };
  let z: { id: number; name: string };
  const welcome = new Map<number, number>();

  beforeEach(async () => {
    e2e = await startE2E({ now: NOW, admins: [String(ADMIN)] });
    branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 3 });
    await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: OTHER_SECRETARY, members: 1 });
    const roster = (await e2e.running.store.repos.members.page(branch.branchId, 0, 10)).filter(
      (m) => m.id !== branch.secretaryMemberId,
    );
    [x, y, z] = roster.map((m) => ({ id: m.id, name: m.fullName })) as [typeof x, typeof y, typeof z];
    await e2e.running.store.transaction(async (repos) => {
      const user = await repos.users.upsert(String(MEMBER), "Đảng viên", null);
      await repos.users.linkMember(user.id, x.id, NOW);
    });
    secretary = e2e.fake.user(SECRETARY);
    member = e2e.fake.user(MEMBER);
    other = e2e.fake.user(OTHER_SECRETARY);
    admin = e2e.fake.user(ADMIN);
    for (const user of [secretary, member, other, admin]) {
      user.sendText("/start");
      welcome.set(user.id, (await user.waitForMessage(has("Chào đồng chí"))).message_id);
    }
  });
  afterEach(async () => e2e.dispose());

  const reviewsOf = (memberId: number) => e2e.running.store.repos.away.reviewsOfMember(memberId, 2026);
  const answerTo = async (user: FakeUser, data: string) =>
    (await user.waitForCallbackAnswer(user.pressData(data, welcome.get(user.id)!))).text ?? "";

  /** From the secretary's /tukiemdiem list to the date question for `name`. */
  async function startPaper(name: string): Promise<void> {
    secretary.sendText("/tukiemdiem");
    const keyboard = await secretary.waitForMessage((m) =>
      m.buttons.some((b) => b.text === "📝 Ghi nhận nộp bản giấy"),
    );
    secretary.pressButton("📝 Ghi nhận nộp bản giấy", keyboard);
    const choose = await secretary.waitForMessage(has("Đồng chí chọn đảng viên"));
    secretary.pressButton(name, choose);
    await secretary.waitForMessage(has(`Bản tự kiểm điểm năm 2026 của đồng chí ${name} nộp bằng bản giấy`));
  }

  it("is recorded by the branch's secretary with a photo or without, and then counts as handed in", async () => {
    // X: bad dates first, each refused with nothing written, then a photo of the paper.
    await startPaper(x.name);
    for (const [typed, answer] of [
      ["31/02/2026", "không có trên lịch"],
      ["21/11/2026", "ở tương lai"],
      ["14/11/2026", "trong đợt nộp bản tự kiểm điểm năm 2026: từ ngày 15/11/2026 đến hôm nay"],
      ["20/11/2025", "trong đợt nộp bản tự kiểm điểm năm 2026"],
      ["hôm qua", "không đúng dạng"],
    ] as const) {
      secretary.sendText(typed);
      await secretary.waitForMessage(has(answer));
    }
    expect(await reviewsOf(x.id)).toEqual([]);
    secretary.sendText("18/11/2026");
    await secretary.waitForMessage(has("gửi kèm bản chụp hoặc ảnh chụp"));
    secretary.sendDocument({ fileName: "ban-giay.jpg", mimeType: "image/jpeg", content: PHOTO });
    const sum = createHash("sha256").update(PHOTO).digest("hex");
    await secretary.waitForMessage(
      has(
        `Đã ghi nhận bản tự kiểm điểm năm 2026 của đồng chí ${x.name}: nộp bản giấy ngày 18/11/2026, kèm bản chụp (mã kiểm tra: ${sum.slice(0, 12)}).`,
      ),
    );

    // Y: today, a file whose content does not match its name is refused, then Skip.
    await startPaper(y.name);
    secretary.sendText("20/11/2026");
    const askFile = await secretary.waitForMessage(has("gửi kèm bản chụp hoặc ảnh chụp"));
    secretary.sendDocument({ fileName: "ban-giay.png", content: PDF });
    await secretary.waitForMessage(has("không khớp"));
    expect(await reviewsOf(y.id)).toEqual([]);
    secretary.pressButton("Bỏ qua", askFile);
    await secretary.waitForMessage(
      has(`Đã ghi nhận bản tự kiểm điểm năm 2026 của đồng chí ${y.name}: nộp bản giấy ngày 20/11/2026.`),
    );

    // Stored like the member's own version, dated the day received, audited with who, for whom and when.
    const [paperX] = await reviewsOf(x.id);
    expect(paperX).toMatchObject({
      version: 1,
      year: 2026,
      text: "[paper]",
      submittedAt: new Date("2026-11-17T17:00:00Z"),
      file: { fileName: "ban-giay.jpg", mimeType: "image/jpeg", sha256: sum, size: PHOTO.length },
    });
    expect(readFileSync(join(e2e.config.filesDir, paperX!.file!.path)).equals(PHOTO)).toBe(true);
    const [paperY] = await reviewsOf(y.id);
    expect(paperY).toMatchObject({
      version: 1,
      text: "[paper]",
      file: null,
      submittedAt: new Date("2026-11-19T17:00:00Z"),
    });
    const audit = await e2e.running.store.repos.audit.forEntity("SelfReview", paperX!.id);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "selfReview.recordPaper",
        actorTelegramId: String(SECRETARY),
        actorMemberId: branch.secretaryMemberId,
        after: expect.objectContaining({
          memberId: x.id,
          year: 2026,
          receivedOn: "2026-11-18",
          paper: true,
          sha256: sum,
        }),
      }),
    ]);

    // The list shows them as handed in, on paper; the photo opens in the secretary's private chat.
    secretary.sendText("/tukiemdiem");
    const list = await secretary.waitForMessage(has("đã nộp 2, chưa nộp 2"));
    expect(list.text).toContain(`✅ ${x.name} (lần 1) — nộp bản giấy ngày 18/11/2026`);
    expect(list.text).toContain(`✅ ${y.name} (lần 1) — nộp bản giấy ngày 20/11/2026`);
    expect(list.text).toContain(`⏳ ${z.name}`);
    const keyboard = await secretary.waitForMessage((m) => m.buttons.some((b) => b.text === `📄 ${x.name}`));
    secretary.pressButton(`📄 ${x.name}`, keyboard);
    const opened = await secretary.waitForMessage((m) => m.document !== undefined);
    expect(opened.caption).toContain(`đồng chí ${x.name}: nộp bản giấy ngày 18/11/2026`);
    expect(secretary.receivedDocuments()[0]!.bytes.equals(PHOTO)).toBe(true);
    secretary.pressButton(`📄 ${y.name}`, keyboard);
    await secretary.waitForMessage(has(`đồng chí ${y.name}: nộp bản giấy ngày 20/11/2026, không kèm bản chụp`));

    // The linked member X is not reminded; the secretary, who has not sent theirs, is.
    await queueSelfReviewReminders(e2e.running.app, NOW);
    const reminded = async (memberId: number, telegramId: number) =>
      (await e2e.running.store.repos.outbox.find(
        "self_review_open",
        `member:${memberId}`,
        "2026",
        String(telegramId),
      )) ??
      (await e2e.running.store.repos.outbox.find("self_review_due", `member:${memberId}`, "2026", String(telegramId)));
    expect(await reminded(x.id, MEMBER)).toBeNull();
    expect(await reminded(branch.secretaryMemberId, SECRETARY)).not.toBeNull();

    // After the due date R8 finds the members who did not hand it in, and not X or Y.
    e2e.clock.now = new Date("2026-12-15T03:00:00Z");
    await runRuleScan(e2e.running.app, e2e.clock.now);
    const missing = (await e2e.running.store.repos.findings.open("deployment", 100))
      .filter((f) => f.rule === "R8_SELF_REVIEW_MISSING")
      .map((f) => f.subjectId);
    expect(missing).toEqual(expect.arrayContaining([z.id, branch.secretaryMemberId]));
    expect(missing).not.toContain(x.id);
    expect(missing).not.toContain(y.id);

    // The evaluation sheet says it was handed in on paper, on the day received.
    secretary.pressData(`vm:${x.id}`, welcome.get(SECRETARY)!);
    await secretary.waitForMessage(
      has("4. Bản tự kiểm điểm: nộp bản giấy ngày 18/11/2026, 1 bản, kèm tệp «ban-giay.jpg»."),
    );
    secretary.pressData(`vm:${y.id}`, welcome.get(SECRETARY)!);
    await secretary.waitForMessage(has("4. Bản tự kiểm điểm: nộp bản giấy ngày 20/11/2026, 1 bản."));
  });

  it("is refused to another branch's secretary, the committee and a plain member, and for a member who has sent one", async () => {
    const forbidden = "không có quyền";
    // Forged buttons for a member of Chi bộ Ấp 1.
    expect(await answerTo(other, `rp:${z.id}`)).toContain(forbidden);
    expect(await answerTo(other, `rP:${branch.branchId}:0`)).toContain(forbidden);
    expect(await answerTo(admin, `rp:${z.id}`)).toContain(forbidden);
    expect(await answerTo(admin, `rP:${branch.branchId}:0`)).toContain(forbidden);
    expect(await answerTo(member, `rp:${z.id}`)).toContain(forbidden);
    expect(await answerTo(member, `rP:${branch.branchId}:0`)).toContain(forbidden);
    // No flow was started: a date typed next records nothing.
    for (const user of [other, admin, member]) {
      user.sendText("18/11/2026");
      await user.waitForMessage();
    }
    expect(await reviewsOf(z.id)).toEqual([]);

    // The member's own sending counts; the secretary cannot add a paper one on top.
    member.sendText("/tukiemdiem");
    await member.waitForMessage(has("Bản tự kiểm điểm năm 2026"));
    member.sendText("Bản tự kiểm điểm của tôi");
    await member.waitForMessage(has("Đã nhận bản tự kiểm điểm năm 2026 (lần 1)"));
    expect(await answerTo(secretary, `rp:${x.id}`)).toContain(
      `Đồng chí ${x.name} đã nộp bản tự kiểm điểm năm 2026 rồi.`,
    );
    // A member cannot pass their own sending off as a paper one with the mark's text.
    member.sendText("/tukiemdiem");
    await member.waitForMessage(has("Bản tự kiểm điểm năm 2026"));
    member.sendText("[paper]");
    await member.waitForMessage(has("Nội dung đang trống"));
    expect((await reviewsOf(x.id)).map((r) => r.text)).toEqual(["Bản tự kiểm điểm của tôi"]);

    // Cancelling the flow records nothing either.
    await startPaper(z.name);
    secretary.sendText("/cancel");
    await secretary.waitForMessage(has("Đã hủy"));
    secretary.sendText("18/11/2026");
    await secretary.waitForMessage();
    expect(await reviewsOf(z.id)).toEqual([]);
  });

  it("is refused to an officer for their own review: the deputy or secretary records it, or they send it", async () => {
    // The secretary's own name is not among those to record on paper.
    secretary.sendText("/tukiemdiem");
    secretary.pressButton(
      "📝 Ghi nhận nộp bản giấy",
      await secretary.waitForMessage((m) => m.buttons.some((b) => b.text === "📝 Ghi nhận nộp bản giấy")),
    );
    const choose = await secretary.waitForMessage(has("Đồng chí chọn đảng viên"));
    const ownName = (await e2e.running.store.repos.members.get(branch.secretaryMemberId))!.fullName;
    expect(choose.buttons.map((b) => b.text)).not.toContain(ownName);
    expect(choose.buttons.length).toBeGreaterThan(0);
    const own = await answerTo(secretary, `rp:${branch.secretaryMemberId}`);
    expect(own).toContain("Đồng chí không thể tự ghi nhận bản tự kiểm điểm bản giấy của mình");
    expect(own).toContain("/tukiemdiem");
    // Nothing was asked: a date typed next records nothing.
    secretary.sendText("18/11/2026");
    await secretary.waitForMessage();
    expect(await reviewsOf(branch.secretaryMemberId)).toEqual([]);
    // The use case refuses it too, file or not, and stores no byte.
    const request = { actor: await identifyActor(e2e.running.app, { id: SECRETARY, first_name: "Bí thư" }), now: NOW };
    expect(
      await recordPaperSelfReview(e2e.running.app, request, branch.secretaryMemberId, "2026-11-18", {
        content: PHOTO,
        fileName: "ban-giay.jpg",
      }),
    ).toMatchObject({ ok: false, code: "SELF_REVIEW.PAPER_OWN" });
    expect(existsSync(join(e2e.config.filesDir, storedPath(PHOTO)))).toBe(false);
    expect(await reviewsOf(branch.secretaryMemberId)).toEqual([]);
  });

  it("stores no file when the check inside the transaction refuses (the member sent theirs meanwhile)", async () => {
    const request = { actor: await identifyActor(e2e.running.app, { id: SECRETARY, first_name: "Bí thư" }), now: NOW };
    const { store } = e2e.running;
    // The member's own sending lands between the first check and the transaction.
    const racing: AppDeps = {
      ...e2e.running.app,
      store: {
        ...store,
        transaction: async (work) => {
          const sent = await submitSelfReview(
            e2e.running.app,
            { actor: await identifyActor(e2e.running.app, { id: MEMBER, first_name: "Đảng viên" }), now: NOW },
            { text: "Bản của tôi", file: null },
          );
          if (!sent.ok) throw new Error(sent.code);
          return store.transaction(work);
        },
      },
    };
    const result = await recordPaperSelfReview(racing, request, x.id, "2026-11-18", {
      content: PHOTO,
      fileName: "ban-giay.jpg",
    });
    expect(result).toMatchObject({ ok: false, code: "SELF_REVIEW.ALREADY_SUBMITTED" });
    expect(existsSync(join(e2e.config.filesDir, storedPath(PHOTO)))).toBe(false);
    expect((await reviewsOf(x.id)).map((r) => r.text)).toEqual(["Bản của tôi"]);
  });
});
