import { describe, expect, it } from "vitest";
import { memberYearStatus } from "../../src/domain/dues.js";
import {
  admittedTooRecently,
  checkGrade,
  composeEvidence,
  evaluationSeason,
  exemptionForYear,
  exemptionSpanOf,
  gradesFor,
  GRADES,
  monthRuns,
  parseEvaluationNote,
  periodTouchesYear,
  tallyTotals,
  emptyGradeCounts,
  EVIDENCE_RULES,
  MEMBER_EVIDENCE_RULES,
  type EvidenceFacts,
} from "../../src/domain/evaluation.js";
import { thresholdLevel } from "../../src/domain/rules/common.js";
import { DEFAULT_RULE_PARAMETERS } from "../../src/domain/rules/parameters.js";
import { taskOverdueRule } from "../../src/domain/rules/r10-task-overdue.js";
import { selfReviewRule } from "../../src/domain/rules/r8-self-review.js";
import { checkinRule } from "../../src/domain/rules/r9-checkin.js";

describe("evaluationSeason", () => {
  it.each([
    // [today, year, open, late, closesOn]
    ["2026-11-30", 2025, false, false, null],
    ["2026-12-01", 2026, true, false, "2027-03-31"],
    ["2026-12-31", 2026, true, false, "2027-03-31"],
    ["2027-01-01", 2026, true, true, "2027-03-31"],
    ["2027-03-31", 2026, true, true, "2027-03-31"],
    ["2027-04-01", 2026, false, false, null],
    ["2027-07-15", 2026, false, false, null],
  ] as const)(
    "with the default opening 12-01, %s is year %i (open %s, late %s)",
    (today, year, open, late, closesOn) => {
      const season = evaluationSeason(today, "12-01");
      expect(season).toEqual({ year, open, late, closesOn, opensOn: `${today.slice(0, 4)}-12-01` });
    },
  );

  it("ends the late period on the eve of an opening that comes before 31 March", () => {
    expect(evaluationSeason("2027-02-28", "03-01")).toMatchObject({
      year: 2026,
      open: true,
      late: true,
      closesOn: "2027-02-28",
    });
    expect(evaluationSeason("2027-03-01", "03-01")).toMatchObject({
      year: 2027,
      open: true,
      late: false,
      closesOn: "2028-02-29",
    });
  });

  it("opens the whole year when the evaluation opens on 1 January", () => {
    expect(evaluationSeason("2026-01-01", "01-01")).toMatchObject({
      year: 2026,
      open: true,
      late: false,
      closesOn: "2026-12-31",
    });
    expect(evaluationSeason("2026-06-30", "01-01")).toMatchObject({ year: 2026, open: true });
  });
});

describe("exemptionForYear", () => {
  const active = { state: "ACTIVE" as const, stateSince: null };

  it("is not exempted without exemptions", () => {
    expect(exemptionForYear(2026, { ...active, spans: [] })).toEqual({
      exempted: false,
      days: 0,
      daysInYear: 365,
      permanent: false,
      permanentSince: null,
      months: [],
    });
  });

  it("needs more than half of the year's days", () => {
    // 1 January to 2 July 2026 is 183 days of 365: more than half.
    expect(exemptionForYear(2026, { ...active, spans: [{ from: "2026-01-01", to: "2026-07-02" }] })).toMatchObject({
      exempted: true,
      days: 183,
    });
    // To 1 July: 182 days, not more than half.
    expect(exemptionForYear(2026, { ...active, spans: [{ from: "2026-01-01", to: "2026-07-01" }] })).toMatchObject({
      exempted: false,
      days: 182,
    });
    // A leap year has 366 days: 183 is exactly half, not more.
    expect(exemptionForYear(2028, { ...active, spans: [{ from: "2028-01-01", to: "2028-07-01" }] })).toMatchObject({
      exempted: false,
      days: 183,
      daysInYear: 366,
    });
  });

  it("clips periods to the year and counts overlapping days once", () => {
    const facts = {
      ...active,
      spans: [
        { from: "2025-09-01", to: "2026-03-31" },
        { from: "2026-03-01", to: "2026-05-31" },
        { from: "2026-12-15", to: "2027-06-30" },
      ],
    };
    // January–May 2026 (151 days) and 15–31 December (17 days).
    expect(exemptionForYear(2026, facts)).toMatchObject({ exempted: false, days: 168 });
    expect(exemptionForYear(2025, facts)).toMatchObject({ exempted: false, days: 122 });
  });

  it("counts a member the branch exempted without an end from the day of the decision", () => {
    expect(exemptionForYear(2026, { state: "EXEMPT", stateSince: "2026-03-01", spans: [] })).toMatchObject({
      exempted: true,
      days: 306,
      permanent: true,
      permanentSince: "2026-03-01",
    });
    expect(exemptionForYear(2026, { state: "EXEMPT", stateSince: "2026-11-01", spans: [] })).toMatchObject({
      exempted: false,
      days: 61,
      permanent: true,
    });
    expect(exemptionForYear(2026, { state: "EXEMPT", stateSince: null, spans: [] })).toMatchObject({
      exempted: true,
      days: 365,
      permanentSince: null,
    });
    // Exempted since before the year: the whole year.
    expect(exemptionForYear(2026, { state: "EXEMPT", stateSince: "2019-05-05", spans: [] })).toMatchObject({
      exempted: true,
      days: 365,
    });
  });
});

describe("exemptionSpanOf", () => {
  it("takes an approved request's dates", () => {
    expect(exemptionSpanOf({ state: "APPROVED", fromDate: "2026-02-01", toDate: "2026-10-31", endedOn: null })).toEqual(
      { from: "2026-02-01", to: "2026-10-31" },
    );
  });
  it("ends an ended request the day before it was ended, if that came first", () => {
    expect(
      exemptionSpanOf({ state: "ENDED", fromDate: "2026-02-01", toDate: "2026-10-31", endedOn: "2026-05-10" }),
    ).toEqual({ from: "2026-02-01", to: "2026-05-09" });
    expect(
      exemptionSpanOf({ state: "ENDED", fromDate: "2026-02-01", toDate: "2026-10-31", endedOn: "2026-11-05" }),
    ).toEqual({ from: "2026-02-01", to: "2026-10-31" });
    expect(
      exemptionSpanOf({ state: "ENDED", fromDate: "2026-02-01", toDate: "2026-10-31", endedOn: "2026-02-01" }),
    ).toBeNull();
  });
  it.each(["SUBMITTED", "FORWARDED", "REJECTED", "RETURNED", "WITHDRAWN"])("ignores a %s request", (state) => {
    expect(exemptionSpanOf({ state, fromDate: "2026-02-01", toDate: "2026-10-31", endedOn: null })).toBeNull();
  });
});

describe("grades", () => {
  it("offers only 'not graded' to an exempted member", () => {
    expect(gradesFor(true)).toEqual(["NOT_GRADED"]);
    expect(gradesFor(false)).toEqual([...GRADES]);
  });

  it("refuses a grade for an exempted member, and an unknown grade", () => {
    for (const grade of ["EXCELLENT", "GOOD", "COMPLETED", "NOT_COMPLETED"])
      expect(checkGrade(grade, true, "ghi chú")).toEqual({ ok: false, code: "EVALUATION.EXEMPT_NOT_GRADED" });
    expect(checkGrade("NOT_GRADED", true, null)).toEqual({ ok: true, value: "NOT_GRADED" });
    expect(checkGrade("AVERAGE", false, null)).toEqual({ ok: false, code: "EVALUATION.GRADE_INVALID" });
  });

  it("asks for a reason to leave a member who is not exempted ungraded", () => {
    expect(checkGrade("NOT_GRADED", false, null)).toEqual({ ok: false, code: "EVALUATION.REASON_REQUIRED" });
    expect(checkGrade("NOT_GRADED", false, "Ốm dài ngày, điều trị từ tháng 3")).toEqual({
      ok: true,
      value: "NOT_GRADED",
    });
    expect(checkGrade("GOOD", false, null)).toEqual({ ok: true, value: "GOOD" });
  });

  it("takes notes up to 500 characters", () => {
    expect(parseEvaluationNote("  Căn cứ biên bản   họp chi bộ  ")).toEqual({
      ok: true,
      value: "Căn cứ biên bản họp chi bộ",
    });
    expect(parseEvaluationNote("a".repeat(500)).ok).toBe(true);
    expect(parseEvaluationNote("a".repeat(501))).toEqual({ ok: false, code: "TEXT.TOO_LONG", params: { max: 500 } });
    expect(parseEvaluationNote("   ")).toEqual({ ok: false, code: "TEXT.EMPTY" });
  });

  it("sums a tally", () => {
    const a = {
      branchId: 1,
      branchName: "A",
      members: 5,
      grades: { ...emptyGradeCounts(), GOOD: 3, NOT_GRADED: 1 },
      pending: 1,
    };
    const b = {
      branchId: 2,
      branchName: "B",
      members: 2,
      grades: { ...emptyGradeCounts(), EXCELLENT: 1, GOOD: 1 },
      pending: 0,
    };
    expect(tallyTotals([a, b])).toEqual({
      members: 7,
      grades: { EXCELLENT: 1, GOOD: 4, COMPLETED: 0, NOT_COMPLETED: 0, NOT_GRADED: 1 },
      pending: 1,
    });
  });
});

describe("periodTouchesYear", () => {
  it.each([
    ["2026", 2026, true],
    ["2025", 2026, false],
    ["2026-03", 2026, true],
    ["2026-03-15", 2026, true],
    ["2026-Q1", 2026, true],
    ["2025-04..2026-03", 2026, true],
    ["2025-04..2026-03", 2025, true],
    ["2025-04..2026-03", 2027, false],
    ["garbage", 2026, false],
  ] as const)("%s concerns %i: %s", (period, year, expected) => {
    expect(periodTouchesYear(period, year)).toBe(expected);
  });
});

describe("monthRuns", () => {
  it("groups consecutive months", () => {
    expect(monthRuns([7, 1, 2, 3, 5, 8, 3])).toEqual([
      [1, 3],
      [5, 5],
      [7, 8],
    ]);
    expect(monthRuns([])).toEqual([]);
  });
});

describe("composeEvidence", () => {
  const facts: EvidenceFacts = {
    year: 2026,
    view: "full",
    today: "2026-12-05",
    member: { id: 7, fullName: "Trần Thị Bình", kind: "OFFICIAL", branchName: "Chi bộ Ấp 1" },
    exemption: { state: "ACTIVE", stateSince: null, spans: [{ from: "2026-08-01", to: "2026-08-31" }] },
    attendance: [
      { kind: "REGULAR", date: "2026-01-10", status: "PRESENT", reason: null },
      { kind: "REGULAR", date: "2026-02-10", status: "EXCUSED", reason: "Ốm" },
      { kind: "REGULAR", date: "2026-03-10", status: "UNEXCUSED", reason: null },
      { kind: "THEMATIC", date: "2026-03-20", status: "UNEXCUSED", reason: null },
      { kind: "REGULAR", date: "2026-04-10", status: "UNEXCUSED", reason: null },
      { kind: "THEMATIC", date: "2026-06-20", status: "PRESENT", reason: null },
      { kind: "REGULAR", date: "2026-08-10", status: "EXEMPT", reason: null },
      { kind: "EXTRAORDINARY", date: "2026-09-02", status: "PRESENT", reason: null },
    ],
    dues: memberYearStatus(
      2026,
      "2026-12",
      [{ effectiveMonth: "2026-01", amount: 50_000 }],
      [],
      [
        {
          id: 1,
          kind: "PAYMENT",
          months: ["2026-01", "2026-02", "2026-03", "2026-05"],
          amount: 200_000,
          paidOn: "2026-05-10",
        },
      ],
      "1995-01",
      null,
    ),
    tasks: [
      { description: "Vận động hộ nghèo", dueDate: "2026-03-31", doneOn: "2026-03-20" },
      { description: "Báo cáo tình hình an ninh", dueDate: "2026-06-30", doneOn: "2026-07-15" },
      { description: "Thu quỹ khuyến học", dueDate: "2026-09-30", doneOn: null },
      { description: "Tổng kết năm", dueDate: "2026-12-20", doneOn: null },
    ],
    selfReviews: [
      {
        version: 2,
        submittedOn: "2026-12-03",
        hasText: false,
        fileName: "tu-kiem-diem-v2.pdf",
        reviewedOn: null,
        reviewComment: null,
      },
      {
        version: 1,
        submittedOn: "2026-11-20",
        hasText: true,
        fileName: null,
        reviewedOn: "2026-11-25",
        reviewComment: "Nghiêm túc",
      },
    ],
    selfReviewDue: "2026-12-10",
    residenceComments: [{ branchName: "Chi bộ Ấp 2", workplaceOrg: "Trường THCS", text: "Gương mẫu ở khu dân cư" }],
    namesakes: 1,
    findings: [
      { id: 9, rule: "R2_DUES", period: "2026", severity: "warn", status: "OPEN", decision: null, note: null },
      {
        id: 4,
        rule: "R1_ABSENCE",
        period: "2026",
        severity: "warn",
        status: "HANDLED",
        decision: "REMINDED",
        note: "Đã gặp",
      },
    ],
  };
  const ownFindings: EvidenceFacts["findings"] = [
    {
      id: 3,
      rule: "R1_ABSENCE",
      period: "2025-04..2026-03",
      severity: "alert",
      status: "HANDLED",
      decision: "PROPOSE_REMOVAL",
      note: "Chi ủy họp ngày 10/04",
    },
    { id: 5, rule: "R2_DUES", period: "2026", severity: "warn", status: "OPEN", decision: null, note: null },
    {
      id: 6,
      rule: "R5_EXCUSED_STREAK",
      period: "2026-02-10",
      severity: "warn",
      status: "OPEN",
      decision: null,
      note: null,
    },
    {
      id: 8,
      rule: "R8_SELF_REVIEW_MISSING",
      period: "2026",
      severity: "warn",
      status: "HANDLED",
      decision: "REMINDED",
      note: "Đã gọi điện",
    },
    {
      id: 11,
      rule: "R10_TASK_OVERDUE",
      period: "2026-09-30",
      severity: "warn",
      status: "OPEN",
      decision: null,
      note: null,
    },
    {
      id: 12,
      rule: "R9_CHECKIN_MISSING",
      period: "2026-05-01",
      severity: "warn",
      status: "RESOLVED",
      decision: null,
      note: null,
    },
  ];

  it("counts meetings by status and kind, leaving out those not expected", () => {
    const sheet = composeEvidence(facts);
    expect(sheet.meetings).toEqual({
      expected: 7,
      present: 3,
      excused: 1,
      unexcused: 3,
      notExpected: 1,
      rate: 3 / 7,
      byKind: {
        REGULAR: { expected: 4, present: 1 },
        THEMATIC: { expected: 2, present: 1 },
        EXTRAORDINARY: { expected: 1, present: 1 },
      },
      unexcusedMonths: [3, 4],
    });
  });

  it("lists dues months paid and unpaid up to the current month", () => {
    expect(composeEvidence(facts).dues).toEqual({
      paid: [1, 2, 3, 5],
      unpaid: [4, 6, 7, 8, 9, 10, 11, 12],
      exempt: [],
      notYetDue: [],
      paidAmount: 200_000,
      owed: 400_000,
    });
    const november = composeEvidence({
      ...facts,
      dues: memberYearStatus(2026, "2026-11", [{ effectiveMonth: "2026-01", amount: 50_000 }], [], [], null, null),
    }).dues;
    expect(november.notYetDue).toEqual([12]);
    expect(november.unpaid).toHaveLength(11);
  });

  it("sorts tasks into done, done late, overdue and open", () => {
    expect(composeEvidence(facts).tasks).toEqual({
      total: 4,
      done: 2,
      doneLate: 1,
      overdue: [{ description: "Thu quỹ khuyến học", dueDate: "2026-09-30" }],
      open: 1,
    });
  });

  it("keeps the first sending's date and the latest review", () => {
    expect(composeEvidence(facts).selfReview).toEqual({
      versions: 2,
      submittedOn: "2026-11-20",
      late: false,
      hasText: false,
      fileName: "tu-kiem-diem-v2.pdf",
      reviewedOn: "2026-11-25",
      reviewComment: "Nghiêm túc",
    });
    expect(composeEvidence({ ...facts, selfReviews: [] }).selfReview).toBeNull();
    expect(
      composeEvidence({
        ...facts,
        selfReviews: [
          {
            version: 1,
            submittedOn: "2026-12-11",
            hasText: true,
            fileName: null,
            reviewedOn: null,
            reviewComment: null,
          },
        ],
      }).selfReview,
    ).toMatchObject({ late: true, reviewedOn: null });
  });

  it("counts alerts by how they were handled, in order", () => {
    const alerts = composeEvidence(facts).alerts;
    expect(alerts).toMatchObject({ open: 1, handled: 1, resolved: 0 });
    expect(alerts.items.map((f) => f.id)).toEqual([4, 9]);
  });

  it("reports a short exemption without exempting the member", () => {
    expect(composeEvidence(facts).exemption).toMatchObject({ exempted: false, days: 31 });
  });

  it("gives officers every finding with its decision and note", () => {
    const alerts = composeEvidence({ ...facts, findings: ownFindings }).alerts;
    expect(alerts.items.map((f) => f.rule)).toEqual([
      "R1_ABSENCE",
      "R2_DUES",
      "R5_EXCUSED_STREAK",
      "R8_SELF_REVIEW_MISSING",
      "R10_TASK_OVERDUE",
      "R9_CHECKIN_MISSING",
    ]);
    expect(alerts.items[0]).toMatchObject({ decision: "PROPOSE_REMOVAL", note: "Chi ủy họp ngày 10/04" });
  });

  it("gives the member's own view only the findings sent to the member, without any decision or note", () => {
    const alerts = composeEvidence({ ...facts, view: "own", findings: ownFindings }).alerts;
    expect(alerts.items).toEqual([
      {
        id: 8,
        rule: "R8_SELF_REVIEW_MISSING",
        period: "2026",
        severity: "warn",
        status: "HANDLED",
        decision: null,
        note: null,
      },
      {
        id: 11,
        rule: "R10_TASK_OVERDUE",
        period: "2026-09-30",
        severity: "warn",
        status: "OPEN",
        decision: null,
        note: null,
      },
      {
        id: 12,
        rule: "R9_CHECKIN_MISSING",
        period: "2026-05-01",
        severity: "warn",
        status: "RESOLVED",
        decision: null,
        note: null,
      },
    ]);
    expect(alerts).toMatchObject({ open: 1, handled: 1, resolved: 1 });
  });

  it("shows name-matched residence comments to officers only, and none when the name is shared", () => {
    expect(composeEvidence(facts).residence).toEqual({ kind: "byName", comments: facts.residenceComments });
    expect(composeEvidence({ ...facts, view: "own" }).residence).toEqual({ kind: "hidden" });
    expect(composeEvidence({ ...facts, namesakes: 2 }).residence).toEqual({
      kind: "namesakes",
      comments: 1,
      namesakes: 2,
    });
    expect(composeEvidence({ ...facts, view: "own", namesakes: 3 }).residence).toEqual({ kind: "hidden" });
    expect(composeEvidence({ ...facts, namesakes: 2, residenceComments: [] }).residence).toEqual({
      kind: "byName",
      comments: [],
    });
  });
});

describe("evidence rules", () => {
  it("leave out R7: an exemption running out says nothing about the member's conduct", () => {
    expect(EVIDENCE_RULES).not.toContain("R7_EXEMPTION_ENDING");
    expect(MEMBER_EVIDENCE_RULES).not.toContain("R7_EXEMPTION_ENDING");
  });

  it("show the member only rules whose findings always go to the member", () => {
    const P = DEFAULT_RULE_PARAMETERS;
    const audiences = [
      ...["2026-11-15", "2026-12-11", "2026-12-18"].flatMap((today) =>
        selfReviewRule([{ memberId: 7, branchId: 2, reviewedYears: [] }], today, P),
      ),
      ...["2026-04-15", "2026-04-30"].flatMap((today) =>
        checkinRule([{ memberId: 7, branchId: 2, awaySince: "2026-01-15", lastCheckin: null }], today, P),
      ),
      ...taskOverdueRule([{ taskId: 40, memberId: 7, branchId: 2, meetingId: 31, due: "2026-03-10" }], "2026-03-11", P),
    ];
    expect(new Set(audiences.map((f) => f.rule))).toEqual(new Set(MEMBER_EVIDENCE_RULES));
    for (const finding of audiences) expect(finding.audience, finding.rule).toContain("member");
    // The rest (R1 and R2 by threshold, R5 and R6) go to the branch and the committee only.
    expect(EVIDENCE_RULES.filter((rule) => !(MEMBER_EVIDENCE_RULES as readonly string[]).includes(rule))).toEqual([
      "R1_ABSENCE",
      "R2_DUES",
      "R5_EXCUSED_STREAK",
      "R6_TRANSFER_OVERDUE",
    ]);
    for (const level of [thresholdLevel(1, 1, 2), thresholdLevel(2, 1, 2)])
      expect(level!.audience).not.toContain("member");
  });
});

describe("who is graded", () => {
  const params = { evaluationOpens: "12-01", gradingMinMonths: 6 };

  it("a member admitted less than 6 months before the evaluation (01/12) writes the self-review but is not graded", () => {
    expect(admittedTooRecently("2026-06-02", 2026, params)).toBe(true);
    expect(admittedTooRecently("2026-11-20", 2026, params)).toBe(true);
    expect(admittedTooRecently("2026-06-01", 2026, params)).toBe(false);
    expect(admittedTooRecently("2025-12-15", 2026, params)).toBe(false);
    expect(admittedTooRecently(null, 2026, params)).toBe(false);
    // A parameter: the 2025 guidance may say otherwise.
    expect(admittedTooRecently("2026-06-02", 2026, { ...params, gradingMinMonths: 3 })).toBe(false);
  });

  it("a member exempted for part of the year is graded, with the months exempted noted", () => {
    const part = exemptionForYear(2026, {
      state: "ACTIVE",
      stateSince: null,
      spans: [{ from: "2026-03-10", to: "2026-05-20" }],
    });
    expect(part).toMatchObject({ exempted: false, months: [3, 4, 5] });
    expect(gradesFor(part.exempted)).toContain("GOOD");
  });
});
