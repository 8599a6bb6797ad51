// Invitation codes: single use, expiring, bound to one roster entry and role. The code is 128 random
// bits in base64url (fits Telegram's deep-link start parameter); only its hash is stored.
import type { InvitationRole } from "./roles.js";

export const INVITATION_CODE_BYTES = 16;
const CODE_SHAPE = /^[A-Za-z0-9_-]{22}$/;

export function isWellFormedCode(code: string): boolean {
  return CODE_SHAPE.test(code);
}

export function encodeInvitationCode(random: Buffer): string {
  return random.subarray(0, INVITATION_CODE_BYTES).toString("base64url");
}

export function deepLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername}?start=${code}`;
}

export type InvitationStatus = "usable" | "used" | "revoked" | "expired";

export function invitationStatus(
  invitation: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationStatus {
  if (invitation.revokedAt) return "revoked";
  if (invitation.usedAt) return "used";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "usable";
}

export function expiryOf(createdAt: Date, ttlDays: number): Date {
  return new Date(createdAt.getTime() + ttlDays * 24 * 60 * 60 * 1000);
}

/** Invitations bound to a roster entry: everyone but committee members, who may have none. */
export function needsRosterEntry(role: InvitationRole): boolean {
  return role === "MEMBER" || role === "BRANCH_SECRETARY" || role === "BRANCH_DEPUTY";
}
