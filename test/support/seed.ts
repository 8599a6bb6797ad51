// Builders that put a commune in the database directly, for tests whose subject is not onboarding.
import type { Store } from "../../src/db/store.js";
import type { MemberFacts } from "../../src/domain/members.js";
import { vietnameseSortKey } from "../../src/domain/names.js";

export function memberFacts(overrides: Partial<MemberFacts> = {}): MemberFacts {
  return {
    fullName: "Nguyễn Văn An",
    birthDate: "1970-01-01",
    joinDate: "1995-01-01",
    officialDate: "1996-01-01",
    kind: "OFFICIAL",
    phone: null,
    residence: null,
    workplace: null,
    ...overrides,
  };
}

export interface SeededBranch {
  branchId: number;
  secretaryMemberId: number;
  secretaryTelegramId: number;
}

/** A branch with a linked secretary (and `members` more unlinked members). */
export async function seedBranch(
  store: Store,
  options: { name: string; secretaryTelegramId: number; members?: number; at?: Date },
): Promise<SeededBranch> {
  const at = options.at ?? new Date("2026-01-01T00:00:00Z");
  return store.transaction(async (repos) => {
    const committee =
      (await repos.committee.get()) ?? (await repos.committee.create("Đảng bộ xã Xuân Đông", "Xuân Đông"));
    const branch = await repos.branches.create({
      committeeId: committee.id,
      name: options.name,
      foundedOn: "2020-01-01",
    });
    const secretaryFacts = memberFacts({ fullName: `Bí Thư ${options.name.split(" ").pop()} Một` });
    const secretary = await repos.members.create(
      branch.id,
      secretaryFacts,
      vietnameseSortKey(secretaryFacts.fullName),
      "2020-01-01",
    );
    const user = await repos.users.upsert(String(options.secretaryTelegramId), "Bí thư", null);
    await repos.users.linkMember(user.id, secretary.id, at);
    await repos.users.grantRole(user.id, "BRANCH_SECRETARY", branch.id, "seed", at);
    const others = Array.from({ length: options.members ?? 0 }, (_, i) => {
      const facts = memberFacts({ fullName: `Đảng Viên Số ${String.fromCharCode(65 + (i % 26))}${i}` });
      return { facts, sortKey: vietnameseSortKey(facts.fullName) };
    });
    if (others.length > 0) await repos.members.createMany(branch.id, others, "2020-01-01");
    return { branchId: branch.id, secretaryMemberId: secretary.id, secretaryTelegramId: options.secretaryTelegramId };
  });
}

/** A member of the branch whose roster entry is linked to this Telegram account (no role): the entry's id. */
export async function seedLinkedMember(
  store: Store,
  branchId: number,
  telegramId: number,
  fullName: string,
  at = new Date("2026-01-01T00:00:00Z"),
): Promise<number> {
  return store.transaction(async (repos) => {
    const facts = memberFacts({ fullName });
    const member = await repos.members.create(branchId, facts, vietnameseSortKey(facts.fullName), "2020-01-01");
    const user = await repos.users.upsert(String(telegramId), fullName, null);
    await repos.users.linkMember(user.id, member.id, at);
    return member.id;
  });
}
