// Which kinds of notices a committee member receives. Defaults follow their role (the inspection
// committee follows violations, the office reminders and reports, the Standing Committee reports);
// each member may turn a kind on or off for themself.
import { enumParser } from "./enum-values.js";
import type { CommitteeRole } from "./roles.js";

export const NOTICE_KINDS = ["VIOLATIONS", "REMINDERS", "REPORTS"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const parseNoticeKind = enumParser("notice kind", NOTICE_KINDS);

const ROLE_DEFAULTS: Record<CommitteeRole, readonly NoticeKind[]> = {
  COMMITTEE_ADMIN: ["VIOLATIONS"],
  COMMITTEE_INSPECTION: ["VIOLATIONS"],
  COMMITTEE_OFFICE: ["REMINDERS", "REPORTS"],
  COMMITTEE_STANDING: ["REPORTS"],
};

export function defaultNoticeKinds(roles: readonly CommitteeRole[]): Set<NoticeKind> {
  return new Set(roles.flatMap((role) => ROLE_DEFAULTS[role]));
}

/** The kinds in effect: the role's defaults, with the member's own choices on top. */
export function effectiveNoticeKinds(
  roles: readonly CommitteeRole[],
  choices: ReadonlyMap<NoticeKind, boolean>,
): Set<NoticeKind> {
  const kinds = defaultNoticeKinds(roles);
  for (const [kind, enabled] of choices) {
    if (enabled) kinds.add(kind);
    else kinds.delete(kind);
  }
  return kinds;
}
