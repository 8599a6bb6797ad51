// Every action on a member card, for each pair of roles (who presses, whose card): what the card offers,
// and what a press does. Nobody acts on the account or the roster status of someone above them (a deputy
// on the secretary, a member on anyone); the committee and the admin act on anyone. A refused press says
// so and writes nothing (the database is compared before and after). Then the card's flows that change the
// roster status are walked to their end — leaving by a decision, undoing it, deleting a mistaken entry —
// each saved once (the same confirmation pressed again answers "Đã lưu lúc …").
import { queryEach } from "../support/raw-sql.js";
import { afterEach, describe, expect, it } from "vitest";
import { encode } from "../../src/bot/keyboards/callback-data.js";
import type { Store } from "../../src/db/store.js";
import type { BranchRole, CommitteeRole } from "../../src/domain/roles.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { Harness, type RecordedCall } from "../support/harness.js";
import { memberFacts } from "../support/seed.js";

const ADMIN = 1000;
const OFFICE = 3001;
const INSPECTION = 3002;
const STANDING = 3003;
const SECRETARY = 2001;
const DEPUTY = 2002;
const MEMBER = 2003;
const OTHER_SECRETARY = 2101;
const STRANGER = 9999;

type Target = "secretary" | "deputy" | "linkedMember" | "unlinkedMember" | "officeMember" | "invitedSecretary";
type Actor =
  "admin" | "office" | "inspection" | "standing" | "secretary" | "deputy" | "member" | "otherSecretary" | "stranger";

const ACTORS: Record<Actor, number> = {
  admin: ADMIN,
  office: OFFICE,
  inspection: INSPECTION,
  standing: STANDING,
  secretary: SECRETARY,
  deputy: DEPUTY,
  member: MEMBER,
  otherSecretary: OTHER_SECRETARY,
  stranger: STRANGER,
};
const TARGETS: Target[] = ["secretary", "deputy", "linkedMember", "unlinkedMember", "officeMember", "invitedSecretary"];

interface Commune {
  members: Record<Target, number>;
}

/**
 * Branch B1 with its secretary, deputy, a linked and an unlinked member, a committee office member on its
 * roster, and an entry with a pending secretary's invitation (no account, no history: ranked as the secretary
 * it would make); B2 with its secretary.
 */
async function seedCommune(store: Store): Promise<Commune> {
  const at = new Date("2026-01-01T00:00:00Z");
  return store.transaction(async (repos) => {
    const committee = (await repos.committee.get())!;
    const b1 = await repos.branches.create({ committeeId: committee.id, name: "Ấp 1", foundedOn: "2020-01-01" });
    const b2 = await repos.branches.create({ committeeId: committee.id, name: "Ấp 2", foundedOn: "2020-01-01" });
    const entry = async (branchId: number, fullName: string) =>
      (await repos.members.create(branchId, memberFacts({ fullName }), vietnameseSortKey(fullName), "2020-01-01")).id;
    const account = async (
      telegramId: number,
      memberId: number | null,
      roles: { role: CommitteeRole | BranchRole; branchId: number | null }[],
    ) => {
      const user = await repos.users.upsert(String(telegramId), `U${telegramId}`, null);
      if (memberId !== null) await repos.users.linkMember(user.id, memberId, at);
      for (const { role, branchId } of roles) await repos.users.grantRole(user.id, role, branchId, "seed", at);
    };
    const members: Record<Target, number> = {
      secretary: await entry(b1.id, "Nguyễn Văn Bí"),
      deputy: await entry(b1.id, "Trần Văn Phó"),
      linkedMember: await entry(b1.id, "Lê Thị Liên"),
      unlinkedMember: await entry(b1.id, "Phạm Văn Chưa"),
      officeMember: await entry(b1.id, "Võ Thị Văn"),
      invitedSecretary: await entry(b1.id, "Hồ Văn Mời"),
    };
    await repos.invitations.create({
      codeHash: "seed-secretary-invitation",
      role: "BRANCH_SECRETARY",
      branchId: b1.id,
      committeeId: null,
      memberId: members.invitedSecretary,
      label: "Hồ Văn Mời",
      createdByTelegramId: String(ADMIN),
      createdAt: at,
      expiresAt: new Date("2100-01-01T00:00:00Z"),
    });
    await account(SECRETARY, members.secretary, [{ role: "BRANCH_SECRETARY", branchId: b1.id }]);
    await account(DEPUTY, members.deputy, [{ role: "BRANCH_DEPUTY", branchId: b1.id }]);
    await account(MEMBER, members.linkedMember, []);
    await account(OFFICE, members.officeMember, [{ role: "COMMITTEE_OFFICE", branchId: null }]);
    await account(INSPECTION, null, [{ role: "COMMITTEE_INSPECTION", branchId: null }]);
    await account(STANDING, null, [{ role: "COMMITTEE_STANDING", branchId: null }]);
    await account(OTHER_SECRETARY, await entry(b2.id, "Đỗ Văn Khác"), [{ role: "BRANCH_SECRETARY", branchId: b2.id }]);
    return { members };
  });
}

const RANK: Record<Actor, number> = {
  admin: 3,
  office: 3,
  inspection: 3,
  standing: 3,
  secretary: 2,
  deputy: 1,
  member: 0,
  otherSecretary: -1,
  stranger: -1,
};
const TARGET_RANK: Record<Target, number> = {
  officeMember: 3,
  secretary: 2,
  invitedSecretary: 2,
  deputy: 1,
  linkedMember: 0,
  unlinkedMember: 0,
};
const isCommittee = (a: Actor) => RANK[a] === 3;
/** Reads and keeps the record up to date: the committee, and the officers of B1. */
const manages = (a: Actor) => isCommittee(a) || a === "secretary" || a === "deputy";
/** Acts on the account and the roster status: a manager who does not stand below the person. */
const ranks = (a: Actor, t: Target) => manages(a) && (isCommittee(a) || RANK[a] >= TARGET_RANK[t]);
const linked = (t: Target) => t !== "unlinkedMember" && t !== "invitedSecretary";
/** No history at all (no account, attendance, dues…): a mistaken entry that may be deleted. */
const deletable = (t: Target) => !linked(t);
const self = (a: Actor, t: Target) =>
  (a === "secretary" && t === "secretary") ||
  (a === "deputy" && t === "deputy") ||
  (a === "member" && t === "linkedMember") ||
  (a === "office" && t === "officeMember");

/** What the card offers each pair: the button texts. */
function expectedButtons(a: Actor, t: Target): string[] {
  if (!manages(a)) return [];
  const buttons = ["✏️ Sửa"];
  if (ranks(a, t)) buttons.push("🚫 Thôi sinh hoạt");
  if (ranks(a, t) && deletable(t)) buttons.push("🗑 Xóa (nhập nhầm)");
  buttons.push("🧳 Đi làm ăn xa");
  if (!linked(t) && ranks(a, t)) buttons.push("✉️ Tạo đường dẫn mời");
  if (linked(t) && ranks(a, t)) buttons.push("🔓 Hủy liên kết Telegram");
  buttons.push("◀️ Danh sách");
  return buttons;
}

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

/** Everything a press could write (the roster, accounts, roles, invitations, flows, the audit log), read back to compare. */
async function snapshot(url: string): Promise<string> {
  const tables = ["Member", "User", "RoleAssignment", "Invitation", "ConversationState", "AuditLog"];
  return JSON.stringify(
    await queryEach(
      url,
      tables.map((table) => `SELECT * FROM "${table}" ORDER BY 1`),
    ),
  );
}

const refused = (calls: RecordedCall[]) =>
  calls.some((c) => c.method === "answerCallbackQuery" && /không có quyền/.test(String(c.payload.text)));

describe("a member card, for each pair of roles", () => {
  for (const actor of Object.keys(ACTORS) as Actor[]) {
    for (const target of TARGETS) {
      it(`${actor} on the ${target}`, async () => {
        h = await Harness.create({ admins: [String(ADMIN)] });
        const { members } = await seedCommune(h.app.store);
        const from = ACTORS[actor];
        const memberId = members[target];
        const card = await h.press(from, encode("mv", memberId));
        const viewable = manages(actor) || self(actor, target);
        expect(refused(card), "the card itself").toBe(!viewable);
        const shown = card.flatMap((c) => c.payload.reply_markup?.inline_keyboard?.flat().map((b) => b.text) ?? []);
        expect(shown, "buttons on the card").toEqual(expectedButtons(actor, target));

        // Every action, pressed whether the card shows it or not (callback data is never trusted).
        const presses: { data: string; allowed: boolean; writes: boolean }[] = [
          { data: encode("me", memberId), allowed: manages(actor), writes: false },
          { data: encode("mf", memberId, "phone"), allowed: manages(actor), writes: false },
          { data: encode("wP", memberId), allowed: manages(actor), writes: false },
          { data: encode("mx", memberId), allowed: ranks(actor, target), writes: false },
          // Deleting asks a confirmation first (a flow): only an entry without history, by rank.
          { data: encode("mz", memberId), allowed: ranks(actor, target) && deletable(target), writes: true },
          // Nothing to undo on the roster: refused for everyone.
          { data: encode("mR", memberId), allowed: false, writes: false },
          { data: encode("mu", memberId), allowed: ranks(actor, target) && linked(target), writes: false },
          { data: encode("mi", memberId, "MEMBER"), allowed: ranks(actor, target) && !linked(target), writes: true },
          // Anyone may unlink their own account (as /huylienket does).
          {
            data: encode("mU", memberId),
            allowed: (ranks(actor, target) || self(actor, target)) && linked(target),
            writes: true,
          },
          // An officer who just unlinked their own account holds no branch role any more.
          {
            data: encode("ms", memberId, "REMOVED"),
            allowed: ranks(actor, target) && !(self(actor, target) && (actor === "secretary" || actor === "deputy")),
            writes: true,
          },
        ];
        for (const press of presses) {
          const before = await snapshot(h.db.url);
          const calls = await h.press(from, press.data);
          const after = await snapshot(h.db.url);
          if (press.allowed) {
            expect(refused(calls), `${press.data} is allowed`).toBe(false);
            if (press.writes) expect(after, `${press.data} writes`).not.toEqual(before);
          } else {
            expect(
              calls.some((c) => c.method === "answerCallbackQuery" && c.payload.show_alert === true),
              `${press.data} is refused with an alert`,
            ).toBe(true);
            expect(after, `${press.data} writes nothing`).toEqual(before);
          }
        }
        // A member's own field typed into a flow the press did not start goes nowhere.
        const member = await h.app.store.repos.members.get(memberId);
        if (!manages(actor)) expect(member?.phone ?? null).toBeNull();
      });
    }
  }
});

/** The Member row, its audit entries of one action, and the flows saved: what a repeated press must not change. */
async function records(url: string, memberId: number, action: string): Promise<string> {
  return JSON.stringify(
    await queryEach(url, [
      `SELECT "id", "state", "stateSince", "statePaper" FROM "Member" WHERE "id" = ${Number(memberId)}`,
      `SELECT COUNT(*) AS n FROM "AuditLog" WHERE "action" = '${action.replace(/'/g, "''")}' AND "entityId" = '${Number(memberId)}'`,
      `SELECT COUNT(*) AS n FROM "FlowSave"`,
    ]),
  );
}

const alreadySaved = (calls: RecordedCall[]) => Harness.texts(calls).some((t) => t.startsWith("✅ Đã lưu lúc"));

describe("the card's flows that change the roster status, for each pair of roles", () => {
  for (const actor of Object.keys(ACTORS) as Actor[]) {
    for (const target of TARGETS) {
      // An officer taking themself off the roster loses the branch role that let them: nothing to undo then.
      const selfOfficer = self(actor, target) && (actor === "secretary" || actor === "deputy");
      it(`${actor} on the ${target}`, async () => {
        h = await Harness.create({ admins: [String(ADMIN)] });
        const { members } = await seedCommune(h.app.store);
        const from = ACTORS[actor];
        const memberId = members[target];
        const state = async () => (await h!.app.store.repos.members.get(memberId))?.state;

        if (!ranks(actor, target)) {
          // The flows cannot even start: refused, with nothing written.
          for (const data of [encode("ms", memberId, "EXPELLED"), encode("mz", memberId)]) {
            const before = await snapshot(h.db.url);
            const calls = await h.press(from, data);
            expect(
              calls.some((c) => c.method === "answerCallbackQuery" && c.payload.show_alert === true),
              `${data} is refused`,
            ).toBe(true);
            expect(await snapshot(h.db.url), `${data} writes nothing`).toEqual(before);
          }
          // Someone allowed takes the person off the roster: this actor sees no undo and cannot force one.
          await h.press(ADMIN, encode("ms", memberId, "REMOVED"));
          await h.press(ADMIN, h.buttonData(ADMIN, /Hôm nay/));
          await h.press(ADMIN, h.buttonData(ADMIN, "Bỏ qua"));
          await h.press(ADMIN, h.buttonData(ADMIN, "✅ Xác nhận"));
          expect(await state()).toBe("REMOVED");
          const card = await h.press(from, encode("mv", memberId));
          expect(JSON.stringify(card.map((c) => c.payload.reply_markup ?? null))).not.toContain("Hoàn tác");
          const before = await snapshot(h.db.url);
          const undo = await h.press(from, encode("mR", memberId));
          expect(undo.some((c) => c.method === "answerCallbackQuery" && c.payload.show_alert === true)).toBe(true);
          expect(await snapshot(h.db.url)).toEqual(before);
          return;
        }

        // Leaving by a decision: the date, the number, the confirmation; the same confirmation again saves nothing.
        await h.press(from, encode("ms", memberId, "REMOVED"));
        await h.press(from, h.buttonData(from, /Hôm nay/));
        await h.send(from, "12-QĐ/ĐU");
        const leave = h.buttonData(from, "✅ Xác nhận");
        expect(Harness.texts(await h.press(from, leave)).join()).toContain("Đã ghi: ");
        expect(await h.app.store.repos.members.get(memberId)).toMatchObject({
          state: "REMOVED",
          statePaper: "12-QĐ/ĐU",
        });
        const left = await records(h.db.url, memberId, "member.deactivate");
        // An officer who took themself off is no longer anyone the bot knows: the press writes nothing either way.
        const repeated = await h.press(from, leave);
        if (!selfOfficer)
          expect(alreadySaved(repeated), "a repeated confirmation is answered with the save").toBe(true);
        expect(await records(h.db.url, memberId, "member.deactivate")).toEqual(left);

        if (!selfOfficer) {
          // Undone the same day by the officer who recorded it: offered on the card, confirmed, saved once.
          const card = await h.press(from, encode("mv", memberId));
          expect(JSON.stringify(card.map((c) => c.payload.reply_markup ?? null))).toContain("↩️ Hoàn tác");
          await h.press(from, encode("mR", memberId));
          const undo = h.buttonData(from, "✅ Xác nhận");
          expect(Harness.texts(await h.press(from, undo)).join()).toContain("Đã hoàn tác");
          expect(await state()).toBe("ACTIVE");
          const restored = await records(h.db.url, memberId, "member.restore");
          const again = await h.press(from, undo);
          expect(alreadySaved(again)).toBe(true);
          expect(Harness.texts(again).join()).toContain("Đã hoàn tác việc ghi");
          expect(await records(h.db.url, memberId, "member.restore")).toEqual(restored);
        }

        if (deletable(target) && !selfOfficer && (await state()) === "ACTIVE") {
          // A mistaken entry: deleted after a confirmation, once.
          await h.press(from, encode("mz", memberId));
          const confirm = h.buttonData(from, "✅ Xác nhận");
          expect(Harness.texts(await h.press(from, confirm)).join()).toContain("Đã xóa hồ sơ nhập nhầm");
          expect(await h.app.store.repos.members.get(memberId)).toBeNull();
          const deleted = await records(h.db.url, memberId, "member.delete");
          expect(alreadySaved(await h.press(from, confirm))).toBe(true);
          expect(await records(h.db.url, memberId, "member.delete")).toEqual(deleted);
        }
      });
    }
  }
});
