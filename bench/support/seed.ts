// Seeds a roster through the real repositories: branches, their members, and the Telegram users
// linked to some of them (a secretary per branch plus a few plain members).
import type { Store } from "../../src/db/store.js";
import type { MemberFacts } from "../../src/domain/members.js";
import { vietnameseSortKey } from "../../src/domain/names.js";

export interface SeedOptions {
  branches: number;
  membersPerBranch: number;
  /** Plain members per branch linked to a Telegram account, besides the secretary. */
  linkedMembersPerBranch: number;
  now: Date;
}

export interface SeededBranch {
  id: number;
  name: string;
  memberIds: number[];
  /** Telegram accounts linked to roster entries: the secretary (first entry, holds BRANCH_SECRETARY), then plain members. */
  linked: LinkedUser[];
}

export interface LinkedUser {
  telegramId: number;
  role: "secretary" | "member";
  branchId: number;
  memberId: number;
  fullName: string;
}

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

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Deterministic, plausible facts for member `i` of branch `b`. */
function memberFacts(b: number, i: number): MemberFacts {
  const k = b * 131 + i * 17;
  const fullName = `${FAMILY[k % FAMILY.length]} ${MIDDLE[(k >> 2) % MIDDLE.length]} ${GIVEN[(b * 7 + i) % GIVEN.length]}`;
  const birthYear = 1950 + ((b * 37 + i * 11) % 50);
  const joinYear = birthYear + 20 + (i % 10);
  const probationary = i % 9 === 4;
  return {
    fullName,
    birthDate: `${birthYear}-${pad((i % 12) + 1)}-${pad((b % 28) + 1)}`,
    joinDate: `${joinYear}-${pad(((i + 3) % 12) + 1)}-15`,
    officialDate: probationary ? null : `${joinYear + 1}-${pad(((i + 3) % 12) + 1)}-15`,
    kind: probationary ? "PROBATIONARY" : "OFFICIAL",
    phone: `09${pad(b, 2)}${pad(i, 6)}`,
    residence: `Ấp ${b + 1}, xã Xuân Đông`,
    workplace: i % 3 === 0 ? "Trường Tiểu học Xuân Đông" : null,
  };
}

export const SECRETARY_TELEGRAM_BASE = 700_000;
export const MEMBER_TELEGRAM_BASE = 800_000;

export async function seedRoster(store: Store, options: SeedOptions): Promise<SeededBranch[]> {
  const committee = await store.repos.committee.get();
  if (!committee) throw new Error("seed: no committee row (ensureCommittee has not run)");
  const today = options.now.toISOString().slice(0, 10);
  const seeded: SeededBranch[] = [];
  for (let b = 0; b < options.branches; b++) {
    seeded.push(
      await store.transaction(async (repos) => {
        const branch = await repos.branches.create({
          committeeId: committee.id,
          name: `Chi bộ Ấp ${b + 1}`,
          foundedOn: `${1975 + b}-09-02`,
        });
        const entries = Array.from({ length: options.membersPerBranch }, (_, i) => {
          const facts = memberFacts(b, i);
          return { facts, sortKey: vietnameseSortKey(facts.fullName) };
        });
        await repos.members.createMany(branch.id, entries, today);
        const roster = await repos.members.page(branch.id, 0, options.membersPerBranch);
        if (roster.length !== options.membersPerBranch)
          throw new Error(`seed: branch ${branch.name} has ${roster.length} members`);

        const linked: LinkedUser[] = [];
        for (let i = 0; i <= options.linkedMembersPerBranch && i < roster.length; i++) {
          const entry = roster[i]!;
          const role = i === 0 ? "secretary" : "member";
          const telegramId = role === "secretary" ? SECRETARY_TELEGRAM_BASE + b : MEMBER_TELEGRAM_BASE + b * 1000 + i;
          const user = await repos.users.upsert(
            String(telegramId),
            role === "secretary" ? `Bí thư ${b + 1}` : `Đảng viên ${b + 1}.${i}`,
            null,
          );
          await repos.users.linkMember(user.id, entry.id, options.now);
          if (role === "secretary")
            await repos.users.grantRole(user.id, "BRANCH_SECRETARY", branch.id, "bench", options.now);
          linked.push({ telegramId, role, branchId: branch.id, memberId: entry.id, fullName: entry.fullName });
        }
        return { id: branch.id, name: branch.name, memberIds: roster.map((m) => m.id), linked };
      }),
    );
  }
  return seeded;
}
