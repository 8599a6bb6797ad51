// Receiving a member transferred in, through bot.handleUpdate: the flow asks the arrival date and the dates
// of admission and full membership (or leaves them to complete), and from then on every dues screen and rule
// counts the member from the month of arrival only.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memberDuesYear } from "../../src/app/dues-status.js";
import { gatherFacts } from "../../src/app/rule-scan.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { runRules } from "../../src/domain/rules/index.js";
import { Harness } from "../support/harness.js";
import { seedBranch } from "../support/seed.js";

describe("receiving a member transferred in", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: new Date("2026-08-20T03:00:00Z") });
  });
  afterEach(async () => h.dispose());

  /** A typed date, or "later" (and, for the official date, "probationary"): the buttons of those names. */
  async function receive(join: string, official: string): Promise<string[]> {
    const { secretaryTelegramId: sec } = await seedBranch(h.db.store, {
      name: "Chi bộ Ấp 2",
      secretaryTelegramId: 2001,
    });
    await h.send(sec, "/chuyen");
    await h.press(sec, h.buttonData(sec, "Tiếp nhận"));
    await h.send(sec, "Trần Thị Mai");
    await h.send(sec, "Chi bộ Ấp 5, xã Xuân Tây");
    const texts: string[] = Harness.texts(await h.send(sec, "01/06/2026"));
    texts.push(
      ...Harness.texts(
        join === "later" ? await h.press(sec, h.buttonData(sec, "Bổ sung sau")) : await h.send(sec, join),
      ),
    );
    if (official === "later") texts.push(...Harness.texts(await h.press(sec, h.buttonData(sec, "Bổ sung sau"))));
    else if (official === "probationary")
      texts.push(...Harness.texts(await h.press(sec, h.buttonData(sec, "Đảng viên dự bị"))));
    else texts.push(...Harness.texts(await h.send(sec, official)));
    return texts;
  }

  it("asks the dates, keeps the arrival on the card, and shows no Jan–May debt nor an R2 alert", async () => {
    const texts = await receive("19/05/2015", "19/05/2016");
    const all = texts.join("\n");
    expect(all).toContain("Ngày vào Đảng (ngày/tháng/năm)");
    expect(all).toContain(
      "Đã tiếp nhận đồng chí Trần Thị Mai từ Chi bộ Ấp 5, xã Xuân Tây, sinh hoạt tại chi bộ từ ngày 01/06/2026",
    );
    expect(all).toContain("Ngày vào Đảng: 19/05/2015");
    expect(all).toContain("Ngày chính thức: 19/05/2016");
    expect(all).toContain("Ngày chuyển đến chi bộ: 01/06/2026");
    const member = (await h.db.store.repos.members.page(1, 0, 50)).find((m) => m.fullName === "Trần Thị Mai")!;
    expect((await h.db.store.repos.members.get(member.id))!.arrivalDate).toBe("2026-06-01");
    // A rate set from January 2026: months before the arrival belong to the former branch.
    await h.db.store.repos.dues.setRate({
      memberId: member.id,
      effectiveMonth: "2026-01",
      amount: 50_000,
      basis: "MANUAL",
      basisAmount: null,
      createdByTelegramId: "2001",
    });
    const actor = await identifyActor(h.app, { id: 2001, first_name: "Bí thư" });
    const year = await memberDuesYear(h.app, { actor, now: h.now }, member.id);
    expect(year.ok && year.value.status.months.filter((m) => m.state === "UNPAID").map((m) => m.month)).toEqual([
      "2026-06",
      "2026-07",
      "2026-08",
    ]);
    const findings = runRules(await gatherFacts(h.db.store.repos, "2026-08-20"), "2026-08-20").filter(
      (f) => f.rule === "R2_DUES" && f.subject.id === member.id,
    );
    expect(findings.map((f) => [f.severity, f.facts.months])).toEqual([["warn", ["2026-06", "2026-07"]]]);
  });

  it("lets the letter's dates be completed later, and the card says they are to be completed", async () => {
    const all = (await receive("later", "later")).join("\n");
    expect(all).toContain("Ngày vào Đảng: chưa có (cần bổ sung)");
    expect(all).toContain("Ngày chính thức: chưa có (cần bổ sung)");
    expect(all).not.toContain("Ngày vào Đảng: —");
  });

  it("lets the secretary correct the arrival date on the card (audited)", async () => {
    await receive("19/05/2015", "19/05/2016");
    const member = (await h.db.store.repos.members.page(1, 0, 50)).find((m) => m.fullName === "Trần Thị Mai")!;
    await h.press(2001, `mf:${member.id}:arrivalDate`);
    const card = Harness.texts(await h.send(2001, "15/05/2026")).join("\n");
    expect(card).toContain("Ngày chuyển đến chi bộ: 15/05/2026");
    expect(
      (await h.db.store.repos.audit.forEntity("Member", member.id)).map((a) => [a.action, a.before, a.after]),
    ).toContainEqual(["member.edit", { arrivalDate: "2026-06-01" }, { arrivalDate: "2026-05-15" }]);
  });

  it("saves the member and the transfer once, together: the last press again answers what was saved", async () => {
    await receive("19/05/2015", "later");
    const sec = 2001;
    const count = async () => {
      const roster = (await h.db.store.repos.members.page(1, 0, 50)).filter((m) => m.fullName === "Trần Thị Mai");
      const transfers = (await h.db.store.repos.away.transfersOfBranch(1)).filter(
        (t) => t.direction === "IN" && t.memberName === "Trần Thị Mai",
      );
      return { members: roster.length, transfers: transfers.map((t) => [t.organisation, t.arrivedOn]) };
    };
    expect(await count()).toEqual({ members: 1, transfers: [["Chi bộ Ấp 5, xã Xuân Tây", "2026-06-01"]] });
    const member = (await h.db.store.repos.members.page(1, 0, 50)).find((m) => m.fullName === "Trần Thị Mai")!;
    expect(await h.db.store.repos.members.get(member.id)).toMatchObject({
      arrivalDate: "2026-06-01",
      joinDate: "2015-05-19",
      officialDate: null,
    });
    // "Bổ sung sau" on the official date saved it; pressed again (a double tap, a lost reply), nothing is added.
    const again = Harness.texts(await h.press(sec, h.buttonData(sec, "Bổ sung sau"), h.lastBotMessageId(sec) - 1)).join(
      "\n",
    );
    expect(again).toMatch(
      /^✅ Đã lưu lúc \d\d:\d\d ngày 20\/08\/2026:\nĐã tiếp nhận đồng chí Trần Thị Mai từ Chi bộ Ấp 5, xã Xuân Tây, sinh hoạt tại chi bộ từ ngày 01\/06\/2026/,
    );
    expect(await count()).toEqual({ members: 1, transfers: [["Chi bộ Ấp 5, xã Xuân Tây", "2026-06-01"]] });
  });

  it("records a probationary member as such", async () => {
    const all = (await receive("10/02/2026", "probationary")).join("\n");
    expect(all).toContain("Loại: Dự bị");
  });

  it("refuses an arrival date in the future as soon as it is typed", async () => {
    const { secretaryTelegramId: sec } = await seedBranch(h.db.store, {
      name: "Chi bộ Ấp 2",
      secretaryTelegramId: 2001,
    });
    await h.send(sec, "/chuyen");
    await h.press(sec, h.buttonData(sec, "Tiếp nhận"));
    await h.send(sec, "Trần Thị Mai");
    await h.send(sec, "Chi bộ Ấp 5");
    const refused = Harness.texts(await h.send(sec, "01/09/2026")).join("\n");
    expect(refused).not.toContain("Ngày vào Đảng (ngày/tháng/năm)");
    expect((await h.db.store.repos.members.page(1, 0, 50)).some((m) => m.fullName === "Trần Thị Mai")).toBe(false);
  });
});
