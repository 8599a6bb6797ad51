import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  INVITATION_CODE_BYTES,
  deepLink,
  encodeInvitationCode,
  expiryOf,
  invitationStatus,
  isWellFormedCode,
  needsRosterEntry,
} from "../../src/domain/invitations.js";

const CREATED = new Date("2026-03-25T10:00:00.000Z");
const EXPIRES = new Date("2026-04-01T10:00:00.000Z");
const at = (iso: string) => new Date(iso);

describe("invitationStatus", () => {
  const pending = { usedAt: null, revokedAt: null, expiresAt: EXPIRES };

  it("is usable until the last millisecond before expiry", () => {
    expect(invitationStatus(pending, CREATED)).toBe("usable");
    expect(invitationStatus(pending, new Date(EXPIRES.getTime() - 1))).toBe("usable");
  });

  it("is expired at the expiry instant itself and after", () => {
    expect(invitationStatus(pending, new Date(EXPIRES.getTime()))).toBe("expired");
    expect(invitationStatus(pending, new Date(EXPIRES.getTime() + 1))).toBe("expired");
  });

  it("reports a used invitation as used, even after it has expired", () => {
    const used = { ...pending, usedAt: at("2026-03-26T00:00:00Z") };
    expect(invitationStatus(used, CREATED)).toBe("used");
    expect(invitationStatus(used, at("2027-01-01T00:00:00Z"))).toBe("used");
  });

  it("reports a revoked invitation as revoked, before used and expired", () => {
    const revoked = { usedAt: at("2026-03-26T00:00:00Z"), revokedAt: at("2026-03-27T00:00:00Z"), expiresAt: EXPIRES };
    expect(invitationStatus(revoked, CREATED)).toBe("revoked");
    expect(invitationStatus(revoked, at("2027-01-01T00:00:00Z"))).toBe("revoked");
    expect(invitationStatus({ ...pending, revokedAt: at("2026-03-26T00:00:00Z") }, CREATED)).toBe("revoked");
  });
});

describe("expiryOf", () => {
  it("adds whole days of 24 hours", () => {
    expect(expiryOf(CREATED, 7).toISOString()).toBe(EXPIRES.toISOString());
    expect(expiryOf(CREATED, 1).getTime() - CREATED.getTime()).toBe(86_400_000);
    expect(expiryOf(CREATED, 0).getTime()).toBe(CREATED.getTime());
  });

  it("returns a new Date and leaves the input untouched", () => {
    const created = new Date(CREATED);
    const expiry = expiryOf(created, 3);
    expect(expiry).not.toBe(created);
    expect(created.getTime()).toBe(CREATED.getTime());
  });

  it("makes a fresh invitation usable until exactly ttl days later", () => {
    const expiresAt = expiryOf(CREATED, 7);
    const invitation = { usedAt: null, revokedAt: null, expiresAt };
    expect(invitationStatus(invitation, new Date(expiresAt.getTime() - 1))).toBe("usable");
    expect(invitationStatus(invitation, expiresAt)).toBe("expired");
  });
});

describe("encodeInvitationCode / isWellFormedCode", () => {
  it("encodes 16 random bytes as 22 base64url characters that decode back to them", () => {
    for (let i = 0; i < 50; i++) {
      const random = randomBytes(INVITATION_CODE_BYTES);
      const code = encodeInvitationCode(random);
      expect(code).toHaveLength(22);
      expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(isWellFormedCode(code)).toBe(true);
      expect(Buffer.from(code, "base64url").equals(random)).toBe(true);
    }
  });

  it("uses only the first 16 bytes of a longer buffer", () => {
    const random = randomBytes(32);
    expect(encodeInvitationCode(random)).toBe(encodeInvitationCode(random.subarray(0, 16)));
    expect(encodeInvitationCode(random)).toHaveLength(22);
  });

  it("never uses the characters of plain base64 or padding", () => {
    const code = encodeInvitationCode(Buffer.alloc(16, 0xff));
    expect(code).toBe("_____________________w");
    expect(code).not.toMatch(/[+/=]/);
  });

  it.each([
    "",
    "abc",
    "A".repeat(21),
    "A".repeat(23),
    `${"A".repeat(21)}+`,
    `${"A".repeat(21)}/`,
    `${"A".repeat(20)}==`,
    `${"A".repeat(21)} `,
    ` ${"A".repeat(22)}`,
    `${"A".repeat(21)}đ`,
  ])("refuses the malformed code %j", (code) => {
    expect(isWellFormedCode(code)).toBe(false);
  });
});

describe("deepLink", () => {
  it("builds a t.me start link", () => {
    const code = encodeInvitationCode(Buffer.alloc(16, 7));
    expect(deepLink("chibo_bot", code)).toBe(`https://t.me/chibo_bot?start=${code}`);
  });
});

describe("needsRosterEntry", () => {
  it("binds member, secretary and deputy invitations to a roster entry, and not committee ones", () => {
    expect(needsRosterEntry("MEMBER")).toBe(true);
    expect(needsRosterEntry("BRANCH_SECRETARY")).toBe(true);
    expect(needsRosterEntry("BRANCH_DEPUTY")).toBe(true);
    expect(needsRosterEntry("COMMITTEE_ADMIN")).toBe(false);
    expect(needsRosterEntry("COMMITTEE_OFFICE")).toBe(false);
    expect(needsRosterEntry("COMMITTEE_INSPECTION")).toBe(false);
    expect(needsRosterEntry("COMMITTEE_STANDING")).toBe(false);
  });
});
