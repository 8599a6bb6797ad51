// Stored enum words read back as the domain's types: a known word comes back as is, an unknown one throws
// (a repository never hands the rest of the code a value outside the type).
import { describe, expect, it } from "vitest";
import { parseMeetingKind, parseRecordedStatus } from "../../src/domain/attendance.js";
import {
  parseExemptionKind,
  parseExemptionState,
  parseTransferDirection,
  parseTransferKind,
  parseTransferState,
} from "../../src/domain/away.js";
import { parseReliefKind } from "../../src/domain/dues.js";
import { enumParser } from "../../src/domain/enum-values.js";
import { parseMemberState, parseStoredMemberKind } from "../../src/domain/members.js";
import { parseNoticeKind } from "../../src/domain/preferences.js";
import { parseBranchRole, parseInvitationRole } from "../../src/domain/roles.js";
import {
  parseFindingStatus,
  parseRuleId,
  parseSeverity,
  parseSubjectKind,
  RULE_IDS,
} from "../../src/domain/rules/index.js";

const parsers: [string, (value: string) => string, string][] = [
  ["meeting kind", parseMeetingKind, "THEMATIC"],
  ["attendance status", parseRecordedStatus, "TRANSFERRED"],
  ["attendance status", parseRecordedStatus, "UNEXCUSED"],
  ["exemption kind", parseExemptionKind, "WORK_AWAY"],
  ["exemption state", parseExemptionState, "FORWARDED"],
  ["transfer direction", parseTransferDirection, "OUT"],
  ["transfer kind", parseTransferKind, "TEMPORARY"],
  ["transfer state", parseTransferState, "RETURNED"],
  ["dues relief kind", parseReliefKind, "REDUCED"],
  ["member kind", parseStoredMemberKind, "PROBATIONARY"],
  ["member state", parseMemberState, "TRANSFERRED_OUT"],
  ["notice kind", parseNoticeKind, "REPORTS"],
  ["branch role", parseBranchRole, "BRANCH_DEPUTY"],
  ["invitation role", parseInvitationRole, "MEMBER"],
  ["invitation role", parseInvitationRole, "COMMITTEE_STANDING"],
  ["rule", parseRuleId, "R12_QTHEMATIC"],
  ["finding subject kind", parseSubjectKind, "selfReview"],
  ["finding severity", parseSeverity, "alert"],
  ["finding status", parseFindingStatus, "HANDLED"],
];

describe("enum parsers", () => {
  it.each(parsers)("reads a known %s back as is (%#)", (_what, parse, known) => {
    expect(parse(known)).toBe(known);
  });

  it.each(parsers)("throws on an unknown %s, naming it (%#)", (what, parse, known) => {
    expect(() => parse(known.toLowerCase() === known ? known.toUpperCase() : known.toLowerCase())).toThrow(
      `Unknown ${what}: `,
    );
    expect(() => parse("")).toThrow(`Unknown ${what}: ""`);
    expect(() => parse(`${known} `)).toThrow(`Unknown ${what}`);
  });

  it("knows every rule, and nothing a role is", () => {
    for (const rule of RULE_IDS) expect(parseRuleId(rule)).toBe(rule);
    expect(() => parseBranchRole("COMMITTEE_ADMIN")).toThrow('Unknown branch role: "COMMITTEE_ADMIN"');
    expect(() => parseRuleId("R13_DUES_QUARTER")).toThrow('Unknown rule: "R13_DUES_QUARTER"');
  });

  it("builds a parser over any list", () => {
    const parseColour = enumParser("colour", ["RED", "GREEN"] as const);
    expect(parseColour("GREEN")).toBe("GREEN");
    expect(() => parseColour("BLUE")).toThrow('Unknown colour: "BLUE"');
  });
});
