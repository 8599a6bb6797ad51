import { describe, expect, it } from "vitest";
import {
  DEFAULT_AWAY_PARAMETERS,
  EXEMPTION_ACTIONS,
  EXEMPTION_KINDS,
  EXEMPTION_STATES,
  allowedExemptionActions,
  checkAwayParameters,
  checkExemptionPeriod,
  checkinDue,
  exemptionDecider,
  exemptionTiming,
  isActiveExemption,
  isOpenRequest,
  latestExemptionEnd,
  nextExemptionState,
  overlapsAny,
  selfReviewWindow,
  selfReviewYearFor,
  transferDeadline,
  type ExemptionAction,
  type ExemptionActor,
  type ExemptionKind,
  type ExemptionState,
} from "../../src/domain/away.js";
import { DEFAULT_HOLIDAYS } from "../../src/domain/working-days.js";

const P = DEFAULT_AWAY_PARAMETERS;

describe("DEFAULT_AWAY_PARAMETERS", () => {
  it("has the defaults of the domain reference and passes its own check", () => {
    expect(P).toEqual({
      maxExemptionMonths: 12,
      maxPastDays: 31,
      checkinEveryMonths: 3,
      selfReviewOpens: "11-15",
      selfReviewDue: "12-10",
      transferWorkingDays: 30,
      exemptionEndingDays: 30,
    });
    expect(checkAwayParameters(P).ok).toBe(true);
  });

  it.each([
    [{ maxExemptionMonths: 0 }, "maxExemptionMonths"],
    [{ checkinEveryMonths: 1.5 }, "checkinEveryMonths"],
    [{ maxPastDays: -1 }, "maxPastDays"],
    [{ selfReviewOpens: "11-31" }, "selfReviewOpens"],
    [{ selfReviewDue: "02-29" }, "selfReviewDue"],
    [{ selfReviewDue: "11-15" }, "selfReviewDue"],
  ])("refuses %j", (change, key) => {
    expect(checkAwayParameters({ ...P, ...change })).toEqual({
      ok: false,
      code: "AWAY.PARAMS_INVALID",
      params: { key },
    });
  });
});

describe("checkExemptionPeriod", () => {
  const today = "2026-01-10";

  it("accepts a period within the limits", () => {
    expect(checkExemptionPeriod("2026-02-01", "2026-07-31", today, P)).toEqual({
      ok: true,
      value: { from: "2026-02-01", to: "2026-07-31" },
    });
  });

  it("accepts a one-day period", () => {
    expect(checkExemptionPeriod("2026-02-01", "2026-02-01", today, P).ok).toBe(true);
  });

  it("refuses an end before the start", () => {
    expect(checkExemptionPeriod("2026-03-01", "2026-02-28", today, P)).toEqual({
      ok: false,
      code: "EXEMPTION.RANGE_REVERSED",
      params: { from: "2026-03-01" },
    });
  });

  it("refuses exactly 12 months: 01/01/2026..31/12/2026 (both days included) is a whole year, not under 12 months", () => {
    expect(checkExemptionPeriod("2026-01-01", "2026-12-31", today, P)).toEqual({
      ok: false,
      code: "EXEMPTION.TOO_LONG",
      params: { maxMonths: 12, latest: "2026-12-30" },
    });
    expect(checkExemptionPeriod("2026-01-01", "2027-01-01", today, P).ok).toBe(false);
  });

  it("accepts 11 months and 30 days: 01/01/2026..30/12/2026", () => {
    expect(checkExemptionPeriod("2026-01-01", "2026-12-30", today, P).ok).toBe(true);
  });

  it("counts calendar months from any start day", () => {
    expect(latestExemptionEnd("2026-03-15", P)).toBe("2027-03-13");
    expect(checkExemptionPeriod("2026-01-15", "2027-01-13", today, P).ok).toBe(true);
    expect(checkExemptionPeriod("2026-01-15", "2027-01-14", today, P).ok).toBe(false);
    expect(latestExemptionEnd("2026-01-01", { maxExemptionMonths: 6 })).toBe("2026-06-29"); // 01/01..30/06 is exactly 6 months
  });

  it("refuses a start more than maxPastDays before today, accepts exactly maxPastDays", () => {
    // 10/01/2026 − 31 days = 10/12/2025
    expect(checkExemptionPeriod("2025-12-10", "2026-03-01", today, P).ok).toBe(true);
    expect(checkExemptionPeriod("2025-12-09", "2026-03-01", today, P)).toEqual({
      ok: false,
      code: "EXEMPTION.TOO_OLD",
      params: { maxPastDays: 31, earliest: "2025-12-10" },
    });
  });

  it("accepts a start in the future (members apply before leaving)", () => {
    expect(checkExemptionPeriod("2026-06-01", "2026-09-30", today, P).ok).toBe(true);
  });

  it("refuses malformed dates", () => {
    expect(checkExemptionPeriod("01/02/2026", "2026-03-01", today, P)).toEqual({ ok: false, code: "DATE.FORMAT" });
    expect(checkExemptionPeriod("2026-02-01", "2026-02-30", today, P)).toEqual({ ok: false, code: "DATE.FORMAT" });
  });
});

describe("overlapsAny", () => {
  const existing = [
    { from: "2026-01-01", to: "2026-03-31" },
    { from: "2026-06-01", to: "2026-06-30" },
  ];

  it("sees an overlap when a single day is shared (inclusive bounds)", () => {
    expect(overlapsAny({ from: "2026-03-31", to: "2026-04-30" }, existing)).toBe(true);
    expect(overlapsAny({ from: "2026-05-01", to: "2026-06-01" }, existing)).toBe(true);
  });

  it("sees a period inside or around another", () => {
    expect(overlapsAny({ from: "2026-06-10", to: "2026-06-12" }, existing)).toBe(true);
    expect(overlapsAny({ from: "2025-12-01", to: "2026-12-31" }, existing)).toBe(true);
  });

  it("sees no overlap between adjacent or separate periods", () => {
    expect(overlapsAny({ from: "2026-04-01", to: "2026-05-31" }, existing)).toBe(false);
    expect(overlapsAny({ from: "2026-07-01", to: "2026-07-31" }, existing)).toBe(false);
    expect(overlapsAny({ from: "2026-04-01", to: "2026-05-31" }, [])).toBe(false);
  });

  it("treats a null end as still running", () => {
    expect(overlapsAny({ from: "2027-01-01", to: "2027-01-31" }, [{ from: "2026-01-01", to: null }])).toBe(true);
    expect(overlapsAny({ from: "2026-07-01", to: null }, existing)).toBe(false);
    expect(overlapsAny({ from: "2026-03-01", to: null }, existing)).toBe(true);
  });
});

describe("nextExemptionState", () => {
  const ALL_KINDS = EXEMPTION_KINDS;
  const COMMITTEE_KINDS: ExemptionKind[] = ["WORK_AWAY", "OTHER"];
  const BRANCH_KINDS: ExemptionKind[] = ["ILLNESS", "AGE"];

  // Every allowed step: [from, action, by, kinds, to]. Anything not listed must be refused.
  const ALLOWED: [ExemptionState, ExemptionAction, ExemptionActor, readonly ExemptionKind[], ExemptionState][] = [
    ["SUBMITTED", "WITHDRAW", "MEMBER", ALL_KINDS, "WITHDRAWN"],
    ["FORWARDED", "WITHDRAW", "MEMBER", ALL_KINDS, "WITHDRAWN"],
    ["RETURNED", "WITHDRAW", "MEMBER", ALL_KINDS, "WITHDRAWN"],
    ["RETURNED", "RESUBMIT", "MEMBER", ALL_KINDS, "SUBMITTED"],
    ["SUBMITTED", "FORWARD", "BRANCH", COMMITTEE_KINDS, "FORWARDED"],
    ["SUBMITTED", "RETURN", "BRANCH", ALL_KINDS, "RETURNED"],
    ["SUBMITTED", "APPROVE", "BRANCH", BRANCH_KINDS, "APPROVED"],
    ["SUBMITTED", "REJECT", "BRANCH", BRANCH_KINDS, "REJECTED"],
    ["FORWARDED", "APPROVE", "COMMITTEE", COMMITTEE_KINDS, "APPROVED"],
    ["FORWARDED", "REJECT", "COMMITTEE", COMMITTEE_KINDS, "REJECTED"],
    ["FORWARDED", "RETURN", "COMMITTEE", ALL_KINDS, "RETURNED"],
    ["APPROVED", "END", "BRANCH", ALL_KINDS, "ENDED"],
    ["APPROVED", "END", "COMMITTEE", ALL_KINDS, "ENDED"],
  ];

  const cases = ALLOWED.flatMap(([from, action, by, kinds, to]) =>
    kinds.map((kind) => [from, action, by, kind, to] as const),
  );

  it.each(cases)("%s --%s by %s (%s)--> %s", (from, action, by, kind, to) => {
    expect(nextExemptionState(from, action, kind, by)).toEqual({ ok: true, value: to });
  });

  it("refuses every other combination of state, action, kind and actor", () => {
    const allowed = new Set(cases.map(([from, action, by, kind]) => `${from}|${action}|${by}|${kind}`));
    let refused = 0;
    for (const state of EXEMPTION_STATES)
      for (const action of EXEMPTION_ACTIONS)
        for (const kind of EXEMPTION_KINDS)
          for (const by of ["BRANCH", "COMMITTEE", "MEMBER"] as const) {
            if (allowed.has(`${state}|${action}|${by}|${kind}`)) continue;
            expect(nextExemptionState(state, action, kind, by), `${state} ${action} ${kind} ${by}`).toEqual({
              ok: false,
              code: "EXEMPTION.NOT_ALLOWED",
              params: { state, action },
            });
            refused++;
          }
    expect(refused).toBe(7 * 7 * 4 * 3 - cases.length);
  });

  const refuse = (state: ExemptionState, action: ExemptionAction, kind: ExemptionKind, by: ExemptionActor) =>
    expect(nextExemptionState(state, action, kind, by).ok).toBe(false);

  it("a member cannot decide on their own request", () => {
    for (const kind of EXEMPTION_KINDS) {
      refuse("SUBMITTED", "APPROVE", kind, "MEMBER");
      refuse("FORWARDED", "APPROVE", kind, "MEMBER");
      refuse("SUBMITTED", "FORWARD", kind, "MEMBER");
      refuse("APPROVED", "END", kind, "MEMBER");
    }
  });

  it("the branch cannot approve a work-away request, submitted or forwarded: the committee decides", () => {
    refuse("SUBMITTED", "APPROVE", "WORK_AWAY", "BRANCH");
    refuse("FORWARDED", "APPROVE", "WORK_AWAY", "BRANCH");
    refuse("FORWARDED", "REJECT", "OTHER", "BRANCH");
  });

  it("the committee cannot approve a submitted work-away request: the branch forwards it first", () => {
    refuse("SUBMITTED", "APPROVE", "WORK_AWAY", "COMMITTEE");
    refuse("SUBMITTED", "REJECT", "WORK_AWAY", "COMMITTEE");
    refuse("SUBMITTED", "RETURN", "WORK_AWAY", "COMMITTEE");
    refuse("SUBMITTED", "FORWARD", "WORK_AWAY", "COMMITTEE");
  });

  it("the committee does not decide illness or age exemptions, and the branch cannot forward them", () => {
    refuse("SUBMITTED", "APPROVE", "ILLNESS", "COMMITTEE");
    refuse("FORWARDED", "APPROVE", "AGE", "COMMITTEE");
    refuse("SUBMITTED", "FORWARD", "ILLNESS", "BRANCH");
    refuse("SUBMITTED", "FORWARD", "AGE", "BRANCH");
  });

  it("nothing but END applies to an approved exemption", () => {
    for (const action of EXEMPTION_ACTIONS.filter((a) => a !== "END"))
      for (const by of ["BRANCH", "COMMITTEE", "MEMBER"] as const) refuse("APPROVED", action, "WORK_AWAY", by);
  });

  it("rejected, withdrawn and ended requests are final", () => {
    for (const state of ["REJECTED", "WITHDRAWN", "ENDED"] as const)
      for (const kind of EXEMPTION_KINDS)
        for (const by of ["BRANCH", "COMMITTEE", "MEMBER"] as const)
          expect(allowedExemptionActions(state, kind, by)).toEqual([]);
  });

  it("lists the buttons each actor may press", () => {
    expect(allowedExemptionActions("SUBMITTED", "WORK_AWAY", "BRANCH")).toEqual(["FORWARD", "RETURN"]);
    expect(allowedExemptionActions("SUBMITTED", "ILLNESS", "BRANCH")).toEqual(["RETURN", "APPROVE", "REJECT"]);
    expect(allowedExemptionActions("FORWARDED", "OTHER", "COMMITTEE")).toEqual(["RETURN", "APPROVE", "REJECT"]);
    expect(allowedExemptionActions("RETURNED", "AGE", "MEMBER")).toEqual(["WITHDRAW", "RESUBMIT"]);
    expect(allowedExemptionActions("APPROVED", "AGE", "BRANCH")).toEqual(["END"]);
  });

  it("says who decides each kind", () => {
    expect(EXEMPTION_KINDS.map(exemptionDecider)).toEqual(["COMMITTEE", "BRANCH", "BRANCH", "COMMITTEE"]);
  });

  it("classifies states", () => {
    expect(EXEMPTION_STATES.filter(isActiveExemption)).toEqual(["APPROVED"]);
    expect(EXEMPTION_STATES.filter(isOpenRequest)).toEqual(["SUBMITTED", "FORWARDED"]);
  });
});

describe("exemptionTiming (R7)", () => {
  const period = { from: "2026-01-01", to: "2026-06-30" };
  it.each([
    ["2025-12-31", "NOT_STARTED"],
    ["2026-01-01", "RUNNING"],
    ["2026-05-30", "RUNNING"],
    ["2026-05-31", "ENDING"], // 30 days before 30/06
    ["2026-06-30", "ENDING"],
    ["2026-07-01", "ENDED"],
  ])("on %s it is %s", (today, timing) => {
    expect(exemptionTiming(period, today, P)).toBe(timing);
  });
});

describe("transferDeadline (R6)", () => {
  it("is 30 working days after the introduction letter", () => {
    expect(transferDeadline("2026-02-10", DEFAULT_HOLIDAYS, P)).toBe("2026-03-31");
  });
});

describe("self-review season (R8)", () => {
  it("opens on 15/11 and is due on 10/12 of the year", () => {
    expect(selfReviewWindow(2026, P)).toEqual({ opens: "2026-11-15", due: "2026-12-10" });
  });

  it.each([
    ["2026-01-05", { year: 2026, open: false, beforeDue: true }],
    ["2026-11-14", { year: 2026, open: false, beforeDue: true }],
    ["2026-11-15", { year: 2026, open: true, beforeDue: true }],
    ["2026-12-10", { year: 2026, open: true, beforeDue: true }],
    ["2026-12-11", { year: 2026, open: true, beforeDue: false }],
    ["2026-12-31", { year: 2026, open: true, beforeDue: false }],
  ])("on %s: %j", (today, expected) => {
    expect(selfReviewYearFor(today, P)).toEqual(expected);
  });

  it("handles a due date in the next year: early January still belongs to last year's season", () => {
    const params = { selfReviewOpens: "12-15", selfReviewDue: "01-10" };
    expect(selfReviewWindow(2026, params)).toEqual({ opens: "2026-12-15", due: "2027-01-10" });
    expect(selfReviewYearFor("2026-12-20", params)).toEqual({ year: 2026, open: true, beforeDue: true });
    expect(selfReviewYearFor("2027-01-10", params)).toEqual({ year: 2026, open: true, beforeDue: true });
    expect(selfReviewYearFor("2027-01-11", params)).toEqual({ year: 2027, open: false, beforeDue: true });
  });
});

describe("checkinDue (R9)", () => {
  it("is due 3 months after the last check-in", () => {
    expect(checkinDue("2026-01-15", "2025-10-01", "2026-04-14", P)).toEqual({
      due: false,
      dueSince: null,
      nextDue: "2026-04-15",
    });
    expect(checkinDue("2026-01-15", "2025-10-01", "2026-04-15", P)).toEqual({
      due: true,
      dueSince: "2026-04-15",
      nextDue: "2026-04-15",
    });
    expect(checkinDue("2026-01-15", "2025-10-01", "2026-06-01", P)).toEqual({
      due: true,
      dueSince: "2026-04-15",
      nextDue: "2026-04-15",
    });
  });

  it("counts from the day the member went away when that is later than the last check-in or there is none", () => {
    expect(checkinDue("2025-06-01", "2026-02-01", "2026-04-30", P)).toEqual({
      due: false,
      dueSince: null,
      nextDue: "2026-05-01",
    });
    expect(checkinDue(null, "2026-02-01", "2026-05-01", P)).toEqual({
      due: true,
      dueSince: "2026-05-01",
      nextDue: "2026-05-01",
    });
  });

  it("clamps to the end of shorter months", () => {
    expect(checkinDue("2025-11-30", null, "2026-02-28", P)).toEqual({
      due: true,
      dueSince: "2026-02-28",
      nextDue: "2026-02-28",
    });
  });

  it("is never due with nothing to count from", () => {
    expect(checkinDue(null, null, "2026-06-01", P)).toEqual({ due: false, dueSince: null, nextDue: null });
  });
});
