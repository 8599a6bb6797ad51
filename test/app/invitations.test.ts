// Invitation use cases on a real SQLite database: single use under a race, scope, audit.
import { diskFileStore } from "../../src/files/file-store.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/app/deps.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { createInvitation, redeemInvitation, unlinkTelegram } from "../../src/app/invitations.js";
import { deactivateMember, editMemberField } from "../../src/app/members.js";
import type { Actor } from "../../src/domain/roles.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { memberFacts, seedBranch } from "../support/seed.js";
import { vietnameseSortKey } from "../../src/domain/names.js";

const NOW = new Date("2026-03-15T03:00:00Z");
let counter = 0;

describe("invitations and the roster on a real database", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  const actor = (telegramId: number) => identifyActor(deps, { id: telegramId, first_name: `U${telegramId}` });
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = {
      store: db.store,
      timeZone: "Asia/Ho_Chi_Minh",
      adminTelegramIds: ["1000"],
      invitationTtlDays: 7,
      committeeName: "Đảng bộ xã Xuân Đông",
      committeePlace: "Xuân Đông",
      files: diskFileStore(`${db.dir}/files`),
      randomBytes: (size) => Buffer.alloc(size, ++counter),
    };
  });
  afterEach(async () => db.dispose());

  async function addMember(branchId: number, fullName: string): Promise<number> {
    return db.store.transaction(
      async (repos) =>
        (await repos.members.create(branchId, memberFacts({ fullName }), vietnameseSortKey(fullName), "2026-01-01")).id,
    );
  }

  it("lets exactly one of two people racing for one link in", async () => {
    const branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const memberId = await addMember(branch.branchId, "Phạm Văn Dũng");
    const created = await createInvitation(
      deps,
      { actor: await actor(2001), now: NOW },
      { role: "MEMBER", memberId, label: null },
    );
    if (!created.ok) throw new Error(created.code);
    const results = await Promise.all(
      [3001, 3002].map((id) => redeemInvitation(deps, { id, first_name: "X" }, created.value.code, NOW)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "INVITE.USED" });
    const linked = await db.store.repos.members.get(memberId);
    expect(["3001", "3002"]).toContain(linked?.linkedTelegramId);
  });

  it("does not let a secretary invite into another branch, whatever the request names", async () => {
    const one = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    await seedBranch(db.store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002 });
    const memberOfOne = await addMember(one.branchId, "Phạm Văn Dũng");
    const secretaryOfTwo = await actor(2002);
    for (const role of ["MEMBER", "BRANCH_SECRETARY", "BRANCH_DEPUTY", "COMMITTEE_ADMIN"] as const) {
      const result = await createInvitation(
        deps,
        { actor: secretaryOfTwo, now: NOW },
        { role, memberId: memberOfOne, label: "Ai Đó" },
      );
      expect(result).toMatchObject({ ok: false, code: "AUTH.FORBIDDEN" });
    }
    expect(await db.store.repos.invitations.pending("deployment", NOW, 10)).toHaveLength(0);
  });

  it("audits an edit with before and after, and refuses bad values without writing", async () => {
    const branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const memberId = await addMember(branch.branchId, "Phạm Văn Dũng");
    const secretary = await actor(2001);
    expect(await editMemberField(deps, { actor: secretary, now: NOW }, memberId, "phone", "12345")).toMatchObject({
      ok: false,
      code: "MEMBER.PHONE_INVALID",
    });
    expect(
      await editMemberField(deps, { actor: secretary, now: NOW }, memberId, "birthDate", "16/03/2026"),
    ).toMatchObject({ ok: false, code: "DATE.FUTURE" });
    expect(
      await editMemberField(deps, { actor: secretary, now: NOW }, memberId, "joinDate", "01/01/1975"),
    ).toMatchObject({ ok: false, code: "MEMBER.JOIN_BEFORE_ADULT" });
    expect(await db.store.repos.audit.forEntity("Member", memberId)).toHaveLength(0);

    const edited = await editMemberField(deps, { actor: secretary, now: NOW }, memberId, "phone", "0912 345 678");
    expect(edited).toMatchObject({ ok: true, value: { phone: "0912345678" } });
    const audit = await db.store.repos.audit.forEntity("Member", memberId);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "member.edit",
        actorTelegramId: "2001",
        actorMemberId: branch.secretaryMemberId,
        before: { phone: null },
        after: { phone: "0912345678" },
        at: NOW,
      }),
    ]);
  });

  it("ends the link, the branch role and pending links when a secretary leaves the roster; history stays", async () => {
    const branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const admin = await actor(1000);
    const pending = await createInvitation(
      deps,
      { actor: admin, now: NOW },
      { role: "BRANCH_DEPUTY", memberId: branch.secretaryMemberId, label: null },
    );
    expect(pending.ok).toBe(true);
    const result = await deactivateMember(
      deps,
      { actor: admin, now: NOW },
      branch.secretaryMemberId,
      "TRANSFERRED_OUT",
    );
    expect(result).toMatchObject({ ok: true, value: { state: "TRANSFERRED_OUT", stateSince: "2026-03-15" } });
    const former: Actor = await actor(2001);
    expect(former.branchRoles).toEqual([]);
    expect(former.member).toBeNull();
    expect(await db.store.repos.invitations.pending("deployment", NOW, 10)).toHaveLength(0);
    expect(await db.store.repos.members.get(branch.secretaryMemberId)).toMatchObject({
      fullName: expect.any(String),
      state: "TRANSFERRED_OUT",
    });
    expect((await db.store.repos.audit.forEntity("Member", branch.secretaryMemberId)).map((a) => a.action)).toEqual([
      "member.deactivate",
    ]);
    expect(await deactivateMember(deps, { actor: admin, now: NOW }, branch.secretaryMemberId, "REMOVED")).toMatchObject(
      { ok: false, code: "MEMBER.NOT_ON_ROSTER" },
    );
  });

  it("lets a member unlink only themself", async () => {
    const branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const memberId = await addMember(branch.branchId, "Phạm Văn Dũng");
    const link = await createInvitation(
      deps,
      { actor: await actor(2001), now: NOW },
      { role: "MEMBER", memberId, label: null },
    );
    if (!link.ok) throw new Error(link.code);
    expect((await redeemInvitation(deps, { id: 3001, first_name: "D" }, link.value.code, NOW)).ok).toBe(true);
    const member = await actor(3001);
    expect(await unlinkTelegram(deps, { actor: member, now: NOW }, branch.secretaryMemberId)).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect(await unlinkTelegram(deps, { actor: member, now: NOW }, memberId)).toMatchObject({ ok: true });
    expect((await actor(3001)).member).toBeNull();
  });
});
