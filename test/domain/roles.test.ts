import { describe, expect, it } from "vitest";
import {
  audienceOf,
  canAdministerCommune,
  canCreateBranch,
  canInvite,
  canInviteAnyone,
  canManageBranch,
  canActOnPerson,
  canRevokeFor,
  canRevokeInvitation,
  mayActOnCard,
  memberCardActions,
  rankIn,
  rankOf,
  rankOfInvitationRole,
  RANKS,
  canViewBranch,
  canViewMember,
  isStranger,
  managedBranchIds,
  type Actor,
  type BranchRole,
  type CommitteeRole,
  type InvitationRole,
  type ProvinceRole,
  canAdministerProvince,
  isCommittee,
  isProvince,
  scopeOf,
} from "../../src/domain/roles.js";

const B1 = 1;
const B2 = 2;

function actor(
  name: string,
  options: {
    committee?: CommitteeRole[];
    branch?: { branchId: number; role: BranchRole }[];
    member?: { id: number; branchId: number } | null;
    /** The commune of the committee roles: 1 (branches B1, B2) unless said. */
    commune?: { id: number; branchIds: number[] };
    province?: ProvinceRole[];
  } = {},
): Actor {
  const committee = options.committee ?? [];
  const commune = options.commune ?? { id: 1, branchIds: [B1, B2] };
  return {
    telegramId: `tg-${name}`,
    userId: 1,
    displayName: name,
    locale: "vi",
    member: options.member ? { ...options.member, fullName: name } : null,
    committeeRoles: committee,
    committeeId: committee.length > 0 ? commune.id : null,
    communeBranchIds: committee.length > 0 ? commune.branchIds : [],
    branchRoles: options.branch ?? [],
    provinceRoles: options.province ?? [],
  };
}

const admin = actor("admin", { committee: ["COMMITTEE_ADMIN"] });
const office = actor("office", { committee: ["COMMITTEE_OFFICE"], member: { id: 90, branchId: B2 } });
const inspection = actor("inspection", { committee: ["COMMITTEE_INSPECTION"] });
const standing = actor("standing", { committee: ["COMMITTEE_STANDING"] });
const secretary = actor("secretary", {
  branch: [{ branchId: B1, role: "BRANCH_SECRETARY" }],
  member: { id: 10, branchId: B1 },
});
const deputy = actor("deputy", { branch: [{ branchId: B1, role: "BRANCH_DEPUTY" }], member: { id: 11, branchId: B1 } });
const member = actor("member", { member: { id: 12, branchId: B1 } });
const stranger = actor("stranger");

const memberOfB1 = { id: 12, branchId: B1 };
const otherMemberOfB1 = { id: 13, branchId: B1 };
const memberOfB2 = { id: 20, branchId: B2 };

const COMMITTEE_INVITES: InvitationRole[] = [
  "COMMITTEE_ADMIN",
  "COMMITTEE_OFFICE",
  "COMMITTEE_INSPECTION",
  "COMMITTEE_STANDING",
];
const BRANCH_INVITES: InvitationRole[] = ["BRANCH_SECRETARY", "BRANCH_DEPUTY"];

describe("audienceOf", () => {
  it("puts each actor in their widest audience", () => {
    expect(audienceOf(admin)).toBe("committee");
    expect(audienceOf(office)).toBe("committee");
    expect(audienceOf(inspection)).toBe("committee");
    expect(audienceOf(standing)).toBe("committee");
    expect(audienceOf(secretary)).toBe("secretary");
    expect(audienceOf(deputy)).toBe("secretary");
    expect(audienceOf(member)).toBe("member");
    expect(audienceOf(stranger)).toBe("stranger");
  });

  it("lets a committee role win over a branch role and a roster link", () => {
    const both = actor("both", {
      committee: ["COMMITTEE_STANDING"],
      branch: [{ branchId: B1, role: "BRANCH_SECRETARY" }],
      member: { id: 1, branchId: B1 },
    });
    expect(audienceOf(both)).toBe("committee");
  });

  it("isStranger only for an actor with no role and no roster link", () => {
    expect(isStranger(stranger)).toBe(true);
    expect([admin, office, inspection, secretary, deputy, member].some(isStranger)).toBe(false);
  });
});

describe("managedBranchIds / canManageBranch", () => {
  it("gives every committee role all branches of its commune, and no other branch", () => {
    for (const a of [admin, office, inspection, standing]) {
      expect(managedBranchIds(a)).toBe("all");
      expect(canManageBranch(a, B1)).toBe(true);
      expect(canManageBranch(a, B2)).toBe(true);
      expect(canManageBranch(a, 999)).toBe(false);
    }
  });

  it("gives a secretary or deputy their own branch only", () => {
    for (const a of [secretary, deputy]) {
      expect(managedBranchIds(a)).toEqual([B1]);
      expect(canManageBranch(a, B1)).toBe(true);
      expect(canManageBranch(a, B2)).toBe(false);
    }
  });

  it("lists each branch once when an actor holds two roles in it", () => {
    const twice = actor("twice", {
      branch: [
        { branchId: B1, role: "BRANCH_SECRETARY" },
        { branchId: B1, role: "BRANCH_DEPUTY" },
        { branchId: B2, role: "BRANCH_DEPUTY" },
      ],
    });
    expect(managedBranchIds(twice)).toEqual([B1, B2]);
  });

  it("gives a member and a stranger no branch to manage, not even the member's own", () => {
    expect(managedBranchIds(member)).toEqual([]);
    expect(managedBranchIds(stranger)).toEqual([]);
    expect(canManageBranch(member, B1)).toBe(false);
    expect(canManageBranch(stranger, B1)).toBe(false);
  });
});

describe("canViewBranch", () => {
  it("lets a member see their own branch but not another", () => {
    expect(canViewBranch(member, B1)).toBe(true);
    expect(canViewBranch(member, B2)).toBe(false);
    expect(canViewBranch(secretary, B2)).toBe(false);
    expect(canViewBranch(inspection, B2)).toBe(true);
    expect(canViewBranch(stranger, B1)).toBe(false);
  });
});

describe("canViewMember", () => {
  it("lets the committee see any member", () => {
    for (const a of [admin, office, inspection, standing]) {
      expect(canViewMember(a, memberOfB1)).toBe(true);
      expect(canViewMember(a, memberOfB2)).toBe(true);
    }
  });

  it("lets a secretary or deputy see members of their branch only", () => {
    for (const a of [secretary, deputy]) {
      expect(canViewMember(a, memberOfB1)).toBe(true);
      expect(canViewMember(a, otherMemberOfB1)).toBe(true);
      expect(canViewMember(a, memberOfB2)).toBe(false);
    }
  });

  it("lets a member see only themself", () => {
    expect(canViewMember(member, memberOfB1)).toBe(true);
    expect(canViewMember(member, otherMemberOfB1)).toBe(false);
    expect(canViewMember(member, memberOfB2)).toBe(false);
  });

  it("lets a stranger see no one", () => {
    expect(canViewMember(stranger, memberOfB1)).toBe(false);
    expect(canViewMember(stranger, memberOfB2)).toBe(false);
  });
});

describe("canInvite", () => {
  it("lets only the admin invite committee members", () => {
    for (const role of COMMITTEE_INVITES) {
      expect(canInvite(admin, role, null)).toBe(true);
      for (const a of [office, inspection, standing, secretary, deputy, member, stranger]) {
        expect(canInvite(a, role, null), `${a.displayName} inviting ${role}`).toBe(false);
      }
    }
  });

  it("lets the admin and the office invite secretaries and deputies of a given branch", () => {
    for (const role of BRANCH_INVITES) {
      for (const a of [admin, office]) {
        expect(canInvite(a, role, B1)).toBe(true);
        expect(canInvite(a, role, B2)).toBe(true);
        expect(canInvite(a, role, null), "a branch role needs a branch").toBe(false);
      }
    }
  });

  it("does not let inspection or standing invite secretaries or deputies", () => {
    for (const role of BRANCH_INVITES) {
      for (const a of [inspection, standing]) {
        expect(canInvite(a, role, B1), `${a.displayName} inviting ${role}`).toBe(false);
      }
    }
  });

  it("does not let a secretary or deputy appoint officers, even in their own branch", () => {
    for (const role of BRANCH_INVITES) {
      expect(canInvite(secretary, role, B1)).toBe(false);
      expect(canInvite(deputy, role, B1)).toBe(false);
    }
  });

  it("lets a secretary or deputy invite members of their own branch only", () => {
    for (const a of [secretary, deputy]) {
      expect(canInvite(a, "MEMBER", B1)).toBe(true);
      expect(canInvite(a, "MEMBER", B2)).toBe(false);
      expect(canInvite(a, "MEMBER", null)).toBe(false);
    }
  });

  it("lets the committee invite members of any branch", () => {
    for (const a of [admin, office, inspection]) {
      expect(canInvite(a, "MEMBER", B2)).toBe(true);
    }
  });

  it("lets a member and a stranger invite no one", () => {
    for (const role of [...COMMITTEE_INVITES, ...BRANCH_INVITES, "MEMBER" as const]) {
      expect(canInvite(member, role, B1)).toBe(false);
      expect(canInvite(stranger, role, B1)).toBe(false);
    }
  });
});

describe("canRevokeFor", () => {
  it("lets the admin and the office revoke anything, including committee invitations (no branch)", () => {
    for (const a of [admin, office]) {
      expect(canRevokeFor(a, null)).toBe(true);
      expect(canRevokeFor(a, B1)).toBe(true);
      expect(canRevokeFor(a, B2)).toBe(true);
    }
  });

  it("lets inspection revoke within branches but not committee invitations", () => {
    expect(canRevokeFor(inspection, B1)).toBe(true);
    expect(canRevokeFor(inspection, null)).toBe(false);
  });

  it("lets a secretary or deputy revoke for their own branch only", () => {
    for (const a of [secretary, deputy]) {
      expect(canRevokeFor(a, B1)).toBe(true);
      expect(canRevokeFor(a, B2)).toBe(false);
      expect(canRevokeFor(a, null)).toBe(false);
    }
  });

  it("lets a member and a stranger revoke nothing", () => {
    for (const a of [member, stranger]) {
      expect(canRevokeFor(a, B1)).toBe(false);
      expect(canRevokeFor(a, null)).toBe(false);
    }
  });
});

describe("canAdministerCommune / canCreateBranch / canInviteAnyone", () => {
  it("reserves commune administration and branch creation to the admin and the office", () => {
    expect(
      [admin, office, inspection, standing, secretary, deputy, member, stranger].map(canAdministerCommune),
    ).toEqual([true, true, false, false, false, false, false, false]);
    expect([admin, office, inspection, standing, secretary, deputy, member, stranger].map(canCreateBranch)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("shows the invitation command to those who can invite someone", () => {
    expect(canInviteAnyone(admin)).toBe(true);
    expect(canInviteAnyone(office)).toBe(true);
    expect(canInviteAnyone(secretary)).toBe(true);
    expect(canInviteAnyone(deputy)).toBe(true);
    expect(canInviteAnyone(member)).toBe(false);
    expect(canInviteAnyone(stranger)).toBe(false);
  });
});

describe("the ranking: nobody acts on the account or roster status of someone above them", () => {
  const person = (roles: { committee?: CommitteeRole[]; branch?: BranchRole[] } = {}, branchId = B1) => ({
    branchId,
    committeeRoles: roles.committee ?? [],
    branchRoles: (roles.branch ?? []).map((role) => ({ branchId, role })),
  });
  const theSecretary = person({ branch: ["BRANCH_SECRETARY"] });
  const theDeputy = person({ branch: ["BRANCH_DEPUTY"] });
  const aMember = person();
  const anOfficeMember = person({ committee: ["COMMITTEE_OFFICE"] });
  const memberOfOtherBranch = person({}, B2);

  it("ranks the committee above the secretary, above the deputy, above a member, within the person's branch", () => {
    expect([anOfficeMember, theSecretary, theDeputy, aMember].map(rankOf)).toEqual([
      RANKS.committee,
      RANKS.secretary,
      RANKS.deputy,
      RANKS.member,
    ]);
    // A secretary of another branch is a plain member here.
    expect(
      rankOf({ branchId: B2, committeeRoles: [], branchRoles: [{ branchId: B1, role: "BRANCH_SECRETARY" }] }),
    ).toBe(RANKS.member);
    expect([admin, secretary, deputy, member].map((a) => rankIn(a, B1))).toEqual([
      RANKS.committee,
      RANKS.secretary,
      RANKS.deputy,
      RANKS.member,
    ]);
    expect(rankIn(secretary, B2)).toBe(RANKS.member);
  });

  it("lets the secretary act on the deputy and members, and on themself; not the deputy on the secretary", () => {
    expect([theSecretary, theDeputy, aMember].map((p) => canActOnPerson(secretary, p))).toEqual([true, true, true]);
    expect([theSecretary, theDeputy, aMember].map((p) => canActOnPerson(deputy, p))).toEqual([false, true, true]);
  });

  it("lets no branch officer act on a committee member on their roster; the committee acts on anyone", () => {
    expect(canActOnPerson(secretary, anOfficeMember)).toBe(false);
    expect(canActOnPerson(deputy, anOfficeMember)).toBe(false);
    for (const a of [admin, office, inspection, standing]) {
      expect(
        [anOfficeMember, theSecretary, theDeputy, aMember, memberOfOtherBranch].every((p) => canActOnPerson(a, p)),
        a.displayName,
      ).toBe(true);
    }
  });

  it("lets a member and a stranger act on nobody, and an officer on nobody outside their branch", () => {
    for (const a of [member, stranger])
      expect([theSecretary, theDeputy, aMember].some((p) => canActOnPerson(a, p))).toBe(false);
    expect(canActOnPerson(secretary, memberOfOtherBranch)).toBe(false);
  });

  it("counts the rank an invitation would give: a deputy cannot revoke the secretary's pending link", () => {
    expect(rankOfInvitationRole("BRANCH_SECRETARY")).toBe(RANKS.secretary);
    expect(canRevokeInvitation(deputy, { role: "BRANCH_SECRETARY", branchId: B1, committeeId: null })).toBe(false);
    expect(canRevokeInvitation(deputy, { role: "BRANCH_DEPUTY", branchId: B1, committeeId: null })).toBe(true);
    expect(canRevokeInvitation(deputy, { role: "MEMBER", branchId: B1, committeeId: null })).toBe(true);
    expect(canRevokeInvitation(secretary, { role: "BRANCH_SECRETARY", branchId: B1, committeeId: null })).toBe(true);
    expect(canRevokeInvitation(office, { role: "BRANCH_SECRETARY", branchId: B2, committeeId: null })).toBe(true);
    expect(
      canRevokeInvitation(office, {
        role: "COMMITTEE_INSPECTION",
        branchId: null,
        committeeId: 1,
      }),
    ).toBe(false);
    expect(
      canRevokeInvitation(admin, {
        role: "COMMITTEE_INSPECTION",
        branchId: null,
        committeeId: 1,
      }),
    ).toBe(true);
  });

  it("offers on a member card the record to any manager, the account and the roster status by rank", () => {
    const card = (a: Actor, p: ReturnType<typeof person>, linked = true) =>
      memberCardActions(a, { ...p, onRoster: true, linked, deletable: false, undoable: false });
    expect(card(deputy, theSecretary)).toEqual(["edit", "awayProfile"]);
    expect(card(secretary, theDeputy)).toEqual(["edit", "awayProfile", "offRoster", "unlink"]);
    expect(card(deputy, aMember, false)).toEqual(["edit", "awayProfile", "offRoster", "invite"]);
    expect(card(office, theSecretary)).toEqual(["edit", "awayProfile", "offRoster", "unlink"]);
    expect(card(member, aMember)).toEqual([]);
    expect(
      memberCardActions(secretary, { ...aMember, onRoster: false, linked: false, deletable: false, undoable: false }),
    ).toEqual([]);
  });

  it("offers deleting a mistaken entry and undoing a departure by rank too, where they apply", () => {
    const entry = (
      p: ReturnType<typeof person>,
      facts: { onRoster: boolean; deletable: boolean; undoable: boolean },
    ) => ({ ...p, linked: false, ...facts });
    // An entry with no history (the secretary's pending invitation still ranks it as the secretary's).
    const mistake = { onRoster: true, deletable: true, undoable: false };
    expect(memberCardActions(deputy, entry(aMember, mistake))).toContain("delete");
    expect(memberCardActions(deputy, entry(theSecretary, mistake))).not.toContain("delete");
    expect(memberCardActions(office, entry(theSecretary, mistake))).toContain("delete");
    // Off the roster today by this officer: only the undo, and only for someone not above them.
    const left = { onRoster: false, deletable: false, undoable: true };
    expect(memberCardActions(secretary, entry(theDeputy, left))).toEqual(["undo"]);
    expect(memberCardActions(deputy, entry(theSecretary, left))).toEqual([]);
    expect(memberCardActions(member, entry(aMember, left))).toEqual([]);
    // The one check behind each use case says the same as the card.
    expect(mayActOnCard(deputy, theSecretary, "delete")).toBe(false);
    expect(mayActOnCard(deputy, theSecretary, "undo")).toBe(false);
    expect(mayActOnCard(deputy, theSecretary, "edit")).toBe(true);
    expect(mayActOnCard(secretary, memberOfOtherBranch, "edit")).toBe(false);
  });
});

describe("communes as tenants", () => {
  // Commune 2 holds branches B3 and B4; commune 1 holds B1 and B2.
  const B3 = 3;
  const B4 = 4;
  const commune2 = { id: 2, branchIds: [B3, B4] };
  const admin2 = actor("admin2", { committee: ["COMMITTEE_ADMIN"], commune: commune2 });
  const office2 = actor("office2", { committee: ["COMMITTEE_OFFICE"], commune: commune2 });
  const inspection2 = actor("inspection2", { committee: ["COMMITTEE_INSPECTION"], commune: commune2 });
  const provinceOffice = actor("province", { province: ["PROVINCE_ORGANISATION"] });
  const provinceAdmin = actor("provinceAdmin", { province: ["PROVINCE_ADMIN"] });

  it("gives a committee every branch of its own commune and none of another's", () => {
    for (const a of [admin2, office2, inspection2]) {
      expect(scopeOf(a)).toEqual([B3, B4]);
      expect(canManageBranch(a, B3)).toBe(true);
      expect(canViewBranch(a, B4)).toBe(true);
      expect(canManageBranch(a, B1)).toBe(false);
      expect(canViewBranch(a, B2)).toBe(false);
      expect(canViewMember(a, memberOfB1)).toBe(false);
      expect(canViewMember(a, { id: 30, branchId: B3 })).toBe(true);
    }
    expect(scopeOf(admin)).toEqual([B1, B2]);
    expect(canManageBranch(admin, B3)).toBe(false);
  });

  it("lets a commune's admin and office invite and revoke only within their commune", () => {
    expect(canInvite(office2, "BRANCH_SECRETARY", B3)).toBe(true);
    expect(canInvite(office2, "BRANCH_SECRETARY", B1)).toBe(false);
    expect(canInvite(admin2, "MEMBER", B1)).toBe(false);
    expect(canInvite(admin2, "COMMITTEE_OFFICE", null)).toBe(true);
    expect(canRevokeFor(office2, B1)).toBe(false);
    expect(canRevokeFor(office2, B3)).toBe(true);
    expect(canRevokeInvitation(admin2, { role: "COMMITTEE_OFFICE", branchId: null, committeeId: 1 })).toBe(false);
    expect(canRevokeInvitation(admin2, { role: "COMMITTEE_OFFICE", branchId: null, committeeId: 2 })).toBe(true);
    expect(canRevokeInvitation(admin, { role: "COMMITTEE_OFFICE", branchId: null, committeeId: 2 })).toBe(false);
    expect(canActOnPerson(admin2, { branchId: B1, committeeRoles: [], branchRoles: [] })).toBe(false);
    expect(mayActOnCard(admin2, { branchId: B1, committeeRoles: [], branchRoles: [] }, "edit")).toBe(false);
  });

  it("keeps province roles off every commune's data: they manage, invite and see no branch", () => {
    for (const a of [provinceOffice, provinceAdmin]) {
      expect(isProvince(a)).toBe(true);
      expect(isCommittee(a)).toBe(false);
      expect(audienceOf(a)).toBe("province");
      for (const b of [B1, B2, B3, B4]) {
        expect(canManageBranch(a, b)).toBe(false);
        expect(canViewBranch(a, b)).toBe(false);
        expect(canInvite(a, "MEMBER", b)).toBe(false);
      }
      expect(canInvite(a, "COMMITTEE_ADMIN", null)).toBe(false);
      expect(canCreateBranch(a)).toBe(false);
    }
    expect(canAdministerProvince(provinceAdmin)).toBe(true);
    expect(canAdministerProvince(provinceOffice)).toBe(false);
  });

  it("does not count committee roles without a commune", () => {
    const orphan: Actor = { ...admin, committeeId: null, communeBranchIds: [] };
    expect(isCommittee(orphan)).toBe(false);
    expect(canManageBranch(orphan, B1)).toBe(false);
    expect(canAdministerCommune(orphan)).toBe(false);
  });
});
