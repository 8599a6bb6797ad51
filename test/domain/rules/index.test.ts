import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS, RULE_IDS, RULES, runRules, type AllFacts } from "../../../src/domain/rules/index.js";

const facts: AllFacts = {
  R1_ABSENCE: [
    {
      memberId: 7,
      branchId: 2,
      regularMeetings: [
        { date: "2026-01-10", status: "UNEXCUSED" },
        { date: "2026-02-10", status: "UNEXCUSED" },
      ],
    },
  ],
  R2_DUES: [{ memberId: 7, branchId: 2, unpaidMonths: ["2026-01", "2026-02", "2026-03"] }],
  R3_NO_MEETING: [{ branchId: 2, foundedOn: "2026-01-01", regularMeetingDates: ["2026-01-10", "2026-02-10"] }],
  R4_LOW_ATTENDANCE: [{ meetingId: 31, branchId: 2, kind: "REGULAR", date: "2026-02-10", expected: 10, present: 5 }],
  R5_EXCUSED_STREAK: [
    {
      memberId: 8,
      branchId: 2,
      attendance: ["2026-01-10", "2026-02-10", "2026-03-10"].map((date) => ({ date, status: "EXCUSED" as const })),
    },
  ],
  R6_TRANSFER_OVERDUE: [{ transferId: 12, memberId: 9, branchId: 2, kind: "OFFICIAL", letterDate: "2026-02-10" }],
  R7_EXEMPTION_ENDING: [
    { exemptionId: 5, memberId: 10, branchId: 2, from: "2026-01-01", to: "2026-04-30", returnCheckin: false },
  ],
  R8_SELF_REVIEW_MISSING: [{ memberId: 7, branchId: 2, reviewedYears: [] }],
  R9_CHECKIN_MISSING: [{ memberId: 10, branchId: 2, awaySince: "2026-01-01", lastCheckin: null }],
  R10_TASK_OVERDUE: [{ taskId: 40, memberId: 7, branchId: 2, meetingId: 31, due: "2026-03-01" }],
  R11_PROBATION_DUE: [{ memberId: 11, branchId: 2, joinDate: "2025-05-01" }],
  R12_QTHEMATIC: [{ branchId: 2, foundedOn: "2026-01-01", thematicMeetingDates: [] }],
};

describe("rules registry", () => {
  it("has one function per rule id, in table order", () => {
    expect(RULE_IDS).toEqual([
      "R1_ABSENCE",
      "R2_DUES",
      "R3_NO_MEETING",
      "R4_LOW_ATTENDANCE",
      "R5_EXCUSED_STREAK",
      "R6_TRANSFER_OVERDUE",
      "R7_EXEMPTION_ENDING",
      "R8_SELF_REVIEW_MISSING",
      "R9_CHECKIN_MISSING",
      "R10_TASK_OVERDUE",
      "R11_PROBATION_DUE",
      "R12_QTHEMATIC",
    ]);
    for (const id of RULE_IDS) expect(typeof RULES[id]).toBe("function");
  });
});

describe("runRules", () => {
  it("combines every rule's findings on one day", () => {
    const findings = runRules(facts, "2026-04-11", DEFAULT_RULE_PARAMETERS);
    expect(findings.map((f) => [f.key, f.severity])).toEqual([
      ["R1_ABSENCE:member:7:2026", "warn"],
      ["R2_DUES:member:7:2026", "alert"],
      ["R3_NO_MEETING:branch:2:2026-03", "alert"],
      ["R4_LOW_ATTENDANCE:meeting:31:2026-02", "warn"],
      ["R5_EXCUSED_STREAK:member:8:2026-01-10", "warn"],
      ["R6_TRANSFER_OVERDUE:transfer:12:2026-03-31", "warn"],
      ["R7_EXEMPTION_ENDING:exemption:5:2026-04-30", "warn"],
      ["R9_CHECKIN_MISSING:member:10:2026-04-01", "warn"],
      ["R10_TASK_OVERDUE:task:40:2026-03-01", "warn"],
      ["R11_PROBATION_DUE:member:11:2026-05-01", "warn"],
      ["R12_QTHEMATIC:branch:2:2026-Q1", "warn"],
    ]);
    for (const f of findings) expect(f.key).toBe(`${f.rule}:${f.subject.kind}:${f.subject.id}:${f.period}`);
  });

  it("runs only the rules whose facts are given, and uses the default parameters when none are passed", () => {
    expect(runRules({ R10_TASK_OVERDUE: facts.R10_TASK_OVERDUE }, "2026-04-11").map((f) => f.rule)).toEqual([
      "R10_TASK_OVERDUE",
    ]);
    expect(runRules({}, "2026-04-11")).toEqual([]);
  });

  it("is deterministic: same input → identical findings and keys, unique keys", () => {
    const a = runRules(facts, "2026-04-11", DEFAULT_RULE_PARAMETERS);
    const b = runRules(facts, "2026-04-11", DEFAULT_RULE_PARAMETERS);
    expect(b).toEqual(a);
    expect(new Set(a.map((f) => f.key)).size).toBe(a.length);
  });

  it("a rolling window names R1 and R2 findings by their rolling period", () => {
    const keys = runRules({ R1_ABSENCE: facts.R1_ABSENCE, R2_DUES: facts.R2_DUES }, "2026-04-11", {
      ...DEFAULT_RULE_PARAMETERS,
      ruleWindow: "rolling-12",
    }).map((f) => f.key);
    expect(keys).toEqual(["R1_ABSENCE:member:7:2025-04..2026-03", "R2_DUES:member:7:2025-04..2026-03"]);
  });
});
