import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { checkinRule, type AwayMemberFacts } from "../../../src/domain/rules/r9-checkin.js";

const away = (extra: Partial<AwayMemberFacts> = {}): AwayMemberFacts => ({
  memberId: 7,
  branchId: 2,
  awaySince: "2026-01-15",
  lastCheckin: null,
  ...extra,
});

describe("R9 check-in missing", () => {
  it("reminds the member once 3 months have passed since they went away", () => {
    expect(checkinRule([away()], "2026-04-14", P)).toEqual([]);
    expect(checkinRule([away()], "2026-04-15", P)).toEqual([
      {
        rule: "R9_CHECKIN_MISSING",
        key: "R9_CHECKIN_MISSING:member:7:2026-04-15",
        subject: { kind: "member", id: 7, branchId: 2 },
        period: "2026-04-15",
        severity: "warn",
        audience: ["member"],
        facts: { dueSince: "2026-04-15", everyMonths: 3, awaySince: "2026-01-15" },
      },
    ]);
  });

  it("tells the secretary too after 14 more days, under the same key", () => {
    expect(checkinRule([away()], "2026-04-29", P)[0]).toMatchObject({ severity: "warn", audience: ["member"] });
    expect(checkinRule([away()], "2026-04-30", P)[0]).toMatchObject({
      key: "R9_CHECKIN_MISSING:member:7:2026-04-15",
      severity: "alert",
      audience: ["member", "secretary"],
    });
  });

  it("counts from the latest check-in; a new check-in starts a new finding", () => {
    expect(checkinRule([away({ lastCheckin: "2026-04-20" })], "2026-05-01", P)).toEqual([]);
    const next = checkinRule([away({ lastCheckin: "2026-04-20" })], "2026-07-20", P);
    expect(next.map((f) => f.key)).toEqual(["R9_CHECKIN_MISSING:member:7:2026-07-20"]);
    expect(next[0]!.facts.lastCheckin).toBe("2026-04-20");
  });

  it("a check-in from before they left does not count", () => {
    expect(checkinRule([away({ lastCheckin: "2025-12-01" })], "2026-04-15", P)[0]!.period).toBe("2026-04-15");
  });

  it("nothing to count from: nothing due", () => {
    expect(checkinRule([away({ awaySince: null })], "2027-01-01", P)).toEqual([]);
  });

  it("stable keys", () => {
    const run = () => checkinRule([away(), away({ memberId: 8 })], "2026-05-01", P).map((f) => f.key);
    expect(run()).toEqual(run());
    expect(run()).toEqual(["R9_CHECKIN_MISSING:member:7:2026-04-15", "R9_CHECKIN_MISSING:member:8:2026-04-15"]);
  });
});
