import { describe, expect, it } from "vitest";
import { DEFAULT_AWAY_PARAMETERS } from "../../../src/domain/away.js";
import {
  checkRuleParameters,
  DEFAULT_RULE_PARAMETERS,
  type RuleParameters,
} from "../../../src/domain/rules/parameters.js";
import { DEFAULT_HOLIDAYS } from "../../../src/domain/working-days.js";

const P = DEFAULT_RULE_PARAMETERS;

describe("DEFAULT_RULE_PARAMETERS", () => {
  it("has the numbers of the rules table", () => {
    expect(P).toMatchObject({
      absenceWarnMonths: 2,
      absenceAlertMonths: 3,
      duesWarnMonths: 2,
      duesAlertMonths: 3,
      ruleWindow: "calendar-year",
      duesGraceDays: 10,
      meetingRecordDays: 2,
      noMeetingEscalationDays: 7,
      attendanceTarget: 0.9,
      excusedStreak: 3,
      transferWorkingDays: 30,
      transferEscalationMonths: 3,
      exemptionEndingDays: 30,
      selfReviewOpens: "11-15",
      selfReviewDue: "12-10",
      checkinEveryMonths: 3,
      probationMonths: 12,
      probationNoticeDays: 30,
      thematicGraceDays: 10,
      reportDueDays: 5,
      reportReminderDays: 3,
      evaluationOpens: "12-01",
    });
    expect(P.holidays).toBe(DEFAULT_HOLIDAYS);
  });

  it("agrees with the away-member parameters it shares", () => {
    for (const key of [
      "transferWorkingDays",
      "exemptionEndingDays",
      "selfReviewOpens",
      "selfReviewDue",
      "checkinEveryMonths",
    ] as const) {
      expect(P[key]).toBe(DEFAULT_AWAY_PARAMETERS[key]);
    }
  });

  it("passes its own check and cannot be changed in place", () => {
    expect(checkRuleParameters(P)).toEqual({ ok: true, value: P });
    expect(Object.isFrozen(P)).toBe(true);
  });
});

describe("checkRuleParameters", () => {
  const bad = (change: Partial<Record<keyof RuleParameters, unknown>>) =>
    checkRuleParameters({ ...P, ...change } as RuleParameters);

  it.each([
    ["absenceWarnMonths", 0],
    ["absenceAlertMonths", 1.5],
    ["duesAlertMonths", -1],
    ["excusedStreak", 0],
    ["transferWorkingDays", 0],
    ["checkinEveryMonths", "3"],
    ["duesGraceDays", -1],
    ["meetingRecordDays", 2.5],
    ["thematicGraceDays", Number.NaN],
    ["probationMonths", 0],
    ["meetingLookbackMonths", 0],
    ["reportDueDays", -1],
    ["reportReminderDays", 1.5],
    ["evaluationOpens", "02-29"],
    ["evaluationOpens", "1-12"],
  ] as const)("refuses %s = %s", (key, value) => {
    expect(bad({ [key]: value })).toEqual({ ok: false, code: "RULES.PARAMS_INVALID", params: { key } });
  });

  it("accepts 0 grace days (flag from the day after)", () => {
    expect(bad({ duesGraceDays: 0, meetingRecordDays: 0, thematicGraceDays: 0 }).ok).toBe(true);
  });

  it("refuses a warn threshold above the alert one, allows them equal", () => {
    expect(bad({ absenceWarnMonths: 4 })).toMatchObject({ ok: false, params: { key: "absenceWarnMonths" } });
    expect(bad({ duesWarnMonths: 4 })).toMatchObject({ ok: false, params: { key: "duesWarnMonths" } });
    expect(bad({ absenceWarnMonths: 3 }).ok).toBe(true);
  });

  it("refuses an alert threshold no 12-month window can reach", () => {
    expect(bad({ absenceAlertMonths: 13 })).toMatchObject({ ok: false, params: { key: "absenceAlertMonths" } });
  });

  it("checks the window, the target rate, the self-review days and the holidays", () => {
    expect(bad({ ruleWindow: "rolling-6" })).toMatchObject({ ok: false, params: { key: "ruleWindow" } });
    expect(bad({ ruleWindow: "rolling-12" }).ok).toBe(true);
    for (const target of [0, 1.2, -0.5, Number.NaN])
      expect(bad({ attendanceTarget: target })).toMatchObject({ ok: false, params: { key: "attendanceTarget" } });
    expect(bad({ attendanceTarget: 1 }).ok).toBe(true);
    expect(bad({ selfReviewOpens: "02-29" })).toMatchObject({ ok: false, params: { key: "selfReviewOpens" } });
    expect(bad({ selfReviewDue: "11-15" })).toMatchObject({ ok: false, params: { key: "selfReviewDue" } });
    expect(bad({ holidays: { dates: ["2026-13-01"], years: [2026] } })).toMatchObject({
      ok: false,
      params: { key: "holidays", value: "2026-13-01" },
    });
    expect(bad({ holidays: { dates: [] } })).toMatchObject({ ok: false, params: { key: "holidays" } });
  });
});
