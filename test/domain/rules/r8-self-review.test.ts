import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { selfReviewRule } from "../../../src/domain/rules/r8-self-review.js";

const members = (reviewedYears: number[] = []) => [{ memberId: 7, branchId: 2, reviewedYears }];
const at = (today: string, params = P, facts = members()) => selfReviewRule(facts, today, params);

describe("R8 self-review missing", () => {
  it("nothing before the season opens (15/11)", () => {
    expect(at("2026-11-14")).toEqual([]);
  });

  it("finds nothing missing while the season is open, up to and including the due date (the reminders speak then)", () => {
    expect(at("2026-11-15")).toEqual([]);
    expect(at("2026-12-10")).toEqual([]);
  });

  it("tells the member and the secretary from the day after the due date, the committee 7 days later, under one key", () => {
    expect(at("2026-12-11")).toEqual([
      {
        rule: "R8_SELF_REVIEW_MISSING",
        key: "R8_SELF_REVIEW_MISSING:member:7:2026",
        subject: { kind: "member", id: 7, branchId: 2 },
        period: "2026",
        severity: "warn",
        audience: ["member", "secretary"],
        facts: { year: 2026, opens: "2026-11-15", due: "2026-12-10", phase: "LATE" },
      },
    ]);
    expect(at("2026-12-17")[0]).toMatchObject({ severity: "warn" });
    expect(at("2026-12-18")[0]).toMatchObject({
      key: "R8_SELF_REVIEW_MISSING:member:7:2026",
      severity: "alert",
      audience: ["member", "secretary", "committee"],
    });
  });

  it("stops once the review is in, and when the season is over (new calendar year)", () => {
    expect(at("2026-12-20", P, members([2025, 2026]))).toEqual([]);
    expect(at("2027-01-02")).toEqual([]);
  });

  it("a review for another year does not count", () => {
    expect(at("2026-12-20", P, members([2025]))).toHaveLength(1);
  });

  it("a due date in the next year closes the season on the due date: nothing is ever late, so nothing is found", () => {
    // Follows selfReviewYearFor (which files submissions): after 10/01 a 2026 review can no longer be filed.
    const params = { ...P, selfReviewOpens: "12-15", selfReviewDue: "01-10" };
    for (const day of ["2026-12-14", "2027-01-05", "2027-01-10", "2027-01-11"]) expect(at(day, params)).toEqual([]);
  });

  it("stable keys; each year its own key", () => {
    expect(at("2026-12-20").map((f) => f.key)).toEqual(at("2026-12-20").map((f) => f.key));
    expect(at("2025-12-20")[0]!.key).toBe("R8_SELF_REVIEW_MISSING:member:7:2025");
  });
});

describe("R8 and exemptions from party work and meetings", () => {
  it("does not ask a member exempted for age or health (Charter art. 7) on the due date; no finding, no escalation", () => {
    const ageExempt = [{ memberId: 7, branchId: 2, reviewedYears: [], article7: [{ from: "2024-03-01", to: null }] }];
    expect(selfReviewRule(ageExempt, "2026-12-11", P)).toEqual([]);
    expect(selfReviewRule(ageExempt, "2026-12-31", P)).toEqual([]);
  });

  it("still asks a member whose art. 7 exemption ended before the due date, and a member away on a work-away tạm miễn", () => {
    const ended = [
      { memberId: 7, branchId: 2, reviewedYears: [], article7: [{ from: "2026-01-01", to: "2026-06-30" }] },
    ];
    expect(selfReviewRule(ended, "2026-12-11", P)).toHaveLength(1);
    // Work away is not art. 7: the facts builder gives no art. 7 span, and the member is asked as usual.
    expect(selfReviewRule([{ memberId: 8, branchId: 2, reviewedYears: [] }], "2026-12-11", P)).toHaveLength(1);
  });

  it("looks at a closed season again for a finding still open (after 1 January)", () => {
    expect(selfReviewRule(members(), "2027-01-05", P)).toEqual([]);
    expect(selfReviewRule(members(), "2027-01-05", P, 2026)).toMatchObject([
      { key: "R8_SELF_REVIEW_MISSING:member:7:2026", severity: "alert" },
    ]);
    expect(selfReviewRule(members([2026]), "2027-01-05", P, 2026)).toEqual([]);
  });
});
