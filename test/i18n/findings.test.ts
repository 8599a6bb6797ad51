// Every rule's finding told in words, in Vietnamese and English: produced by the rules themselves from sample
// facts (every phase and variant), then rendered as the notice, the /canhbao line and the withdrawal. None
// may show a raw field name, "undefined", an id or an ISO date.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RULE_PARAMETERS as P,
  RULE_IDS,
  runRules,
  type AllFacts,
  type Finding,
} from "../../src/domain/rules/index.js";
import {
  branchLabel,
  findingRuleName,
  findingSentence,
  findingTitle,
  findingWho,
  type FindingToTell,
} from "../../src/i18n/findings.js";
import { LOCALES, translator } from "../../src/i18n/index.js";

const facts = (today: string): AllFacts => ({
  R1_ABSENCE: [
    {
      memberId: 1,
      branchId: 1,
      regularMeetings: ["2026-01-10", "2026-04-10", "2026-09-10"].map((date) => ({
        date,
        status: "UNEXCUSED" as const,
      })),
    },
  ],
  R2_DUES: [
    {
      memberId: 1,
      branchId: 1,
      unpaidMonths: ["2026-03", "2026-04", "2026-05"],
      deferrals: [{ from: "2026-03", to: "2026-04" }],
    },
    { memberId: 2, branchId: 1, unpaidMonths: [], noRate: true },
    { memberId: 3, branchId: 1, unpaidMonths: [], noRate: true },
  ],
  R3_NO_MEETING: [{ branchId: 1, foundedOn: "2020-01-01", recordsFrom: "2026-01", regularMeetingDates: [] }],
  R4_LOW_ATTENDANCE: [{ meetingId: 9, branchId: 1, kind: "THEMATIC", date: "2026-06-20", expected: 20, present: 12 }],
  R5_EXCUSED_STREAK: [
    {
      memberId: 1,
      branchId: 1,
      attendance: ["2026-07-10", "2026-08-10", "2026-09-10"].map((date) => ({ date, status: "EXCUSED" as const })),
    },
  ],
  R6_TRANSFER_OVERDUE: [
    {
      transferId: 4,
      memberId: 1,
      branchId: 1,
      kind: "OFFICIAL",
      letterDate: "2026-05-04",
      destination: "Đảng bộ phường Tân Định",
    },
    { transferId: 5, memberId: 2, branchId: 1, kind: "TEMPORARY", letterDate: "2026-09-01" },
  ],
  R7_EXEMPTION_ENDING: [
    { exemptionId: 6, memberId: 1, branchId: 1, from: "2026-03-01", to: "2026-10-15", returnCheckin: false },
    { exemptionId: 7, memberId: 2, branchId: 1, from: "2026-01-01", to: "2026-09-30", returnCheckin: false },
  ],
  R8_SELF_REVIEW_MISSING: [{ memberId: 1, branchId: 1, reviewedYears: [] }],
  R9_CHECKIN_MISSING: [
    { memberId: 1, branchId: 1, awaySince: "2026-03-01", lastCheckin: "2026-05-02" },
    { memberId: 2, branchId: 1, awaySince: "2026-05-01", lastCheckin: null },
  ],
  R10_TASK_OVERDUE: [
    {
      taskId: 8,
      memberId: 1,
      branchId: 1,
      meetingId: 9,
      due: "2026-09-30",
      description: "Vận động hộ nghèo đóng góp quỹ",
    },
  ],
  R11_PROBATION_DUE: [
    { memberId: 1, branchId: 1, joinDate: "2025-10-20" },
    { memberId: 2, branchId: 1, joinDate: "2025-09-20" },
    { memberId: 3, branchId: 1, joinDate: "2025-06-01" },
  ],
  R12_QTHEMATIC: [{ branchId: 1, foundedOn: "2020-01-01", recordsFrom: "2026-01", thematicMeetingDates: [] }],
  ...(today > "" ? {} : {}),
});

/** Findings of every rule, and of every phase of each, from a few days of the year. */
function samples(): Finding[] {
  const all = [
    ...runRules(facts("2026-10-05"), "2026-10-05", P),
    ...runRules(facts("2026-12-20"), "2026-12-20", P),
    ...runRules(facts("2026-10-05"), "2026-10-05", { ...P, ruleWindow: "rolling-12" }),
  ];
  return [...new Map(all.map((f) => [`${f.key}|${f.severity}|${JSON.stringify(f.facts)}`, f])).values()];
}

const NAMES = new Map([
  [1, "Nguyễn Văn An"],
  [2, "Trần Thị Bình"],
  [3, "Lê Văn Cường"],
]);

function toTell(f: Finding, branchName: string): FindingToTell {
  const memberId =
    f.subject.kind === "member" ? f.subject.id : typeof f.facts.memberId === "number" ? f.facts.memberId : null;
  return {
    rule: f.rule,
    subjectKind: f.subject.kind,
    period: f.period,
    severity: f.severity,
    facts: f.facts,
    memberName: memberId === null ? "" : NAMES.get(memberId)!,
    branchName,
    memberNames: NAMES,
  };
}

const RAW = [
  [/undefined|NaN|null|\[object/, "a missing value"],
  [/\d{4}-\d{2}/, "an ISO date or month"],
  [/\b[a-z]+[A-Z][A-Za-z]*\b/, "a field name"],
  [/[{}]/, "a placeholder"],
  [/#\d/, "an id"],
  [/\b(R\d+|[A-Z]+_[A-Z_]+)\b/, "a rule or code"],
] as const;

describe("findings in words", () => {
  const found = samples();

  it("the samples cover every rule and every phase", () => {
    expect(new Set(found.map((f) => f.rule))).toEqual(new Set(RULE_IDS));
    const phases = new Set(
      found.map(
        (f) =>
          `${f.rule}:${f.severity}:${String(f.facts.phase ?? "")}:${f.subject.kind}:${f.period.includes("..") ? "rolling" : ""}`,
      ),
    );
    for (const wanted of [
      "R2_DUES:warn::branch:",
      "R7_EXEMPTION_ENDING:warn:ENDING:exemption:",
      "R7_EXEMPTION_ENDING:alert:ENDED:exemption:",
      "R11_PROBATION_DUE:warn:DUE_SOON:member:",
      "R11_PROBATION_DUE:warn:CONSIDER:member:",
      "R11_PROBATION_DUE:alert:LATE:member:",
      "R1_ABSENCE:alert::member:rolling",
    ]) {
      expect([...phases], wanted).toContain(wanted);
    }
  });

  for (const locale of LOCALES) {
    it(`renders every finding as a sentence in ${locale}, with no raw key, undefined or ISO date`, () => {
      const t = translator(locale);
      for (const f of found) {
        for (const branchName of ["Ấp 3", "Chi bộ Ấp 3"]) {
          const tell = toTell(f, branchName);
          const texts = [
            t("alerts.message", {
              severity: t(`alerts.severity.${f.severity}`),
              rule: findingRuleName(t, tell),
              sentence: findingSentence(t, locale, tell),
            }),
            t("alerts.resolved", { title: findingTitle(t, locale, tell) }),
            t("alerts.lowered", { rule: findingRuleName(t, tell), sentence: findingSentence(t, locale, tell) }),
            t("alerts.item", {
              n: 1,
              severity: t(`alerts.severity.${f.severity}`),
              title: findingTitle(t, locale, tell),
              sentence: findingSentence(t, locale, tell),
            }),
          ];
          for (const text of texts) {
            for (const [pattern, what] of RAW)
              expect(text, `${f.key} (${locale}) shows ${what}: ${text}`).not.toMatch(pattern);
            expect(text, `${f.key} (${locale}) names nobody`).toMatch(tell.memberName ? tell.memberName : /Ấp 3/);
            expect(text, `${f.key} (${locale}) says "Chi bộ" twice`).not.toMatch(/Chi bộ Chi bộ|Ấp 3 \(Chi bộ Ấp 3\)/);
          }
        }
      }
    });
  }

  it("names months and dates the Vietnamese way", () => {
    const t = translator("vi");
    const r1 = found.find((f) => f.rule === "R1_ABSENCE" && f.period === "2026")!;
    expect(findingSentence(t, "vi", toTell(r1, "Ấp 3"))).toBe(
      "Đồng chí Nguyễn Văn An (Chi bộ Ấp 3) vắng sinh hoạt thường kỳ không lý do 3 tháng trong năm 2026: tháng 1/2026, tháng 4/2026, tháng 9/2026 (mức cảnh báo 3 tháng). Đề nghị chi bộ xem xét theo quy định và báo cáo Đảng ủy.",
    );
    const r7 = found.find((f) => f.rule === "R7_EXEMPTION_ENDING" && f.facts.phase === "ENDING")!;
    expect(findingSentence(t, "vi", toTell(r7, "Ấp 5"))).toContain(
      "Thời gian miễn sinh hoạt của đồng chí Nguyễn Văn An (Chi bộ Ấp 5) từ 01/03/2026 đến 15/10/2026 còn 10 ngày",
    );
    const r4 = found.find((f) => f.rule === "R4_LOW_ATTENDANCE")!;
    expect(findingWho(t, "vi", toTell(r4, "Ấp 3"))).toBe("Chi bộ Ấp 3, buổi sinh hoạt ngày 20/06/2026");
  });

  it("prefixes a branch's name with 'Chi bộ' once", () => {
    expect(branchLabel("Ấp 3", "vi")).toBe("Chi bộ Ấp 3");
    expect(branchLabel("Chi bộ Ấp 3", "vi")).toBe("Chi bộ Ấp 3");
    expect(branchLabel("chi bộ Thôn Xuân Đông", "vi")).toBe("chi bộ Thôn Xuân Đông");
    expect(branchLabel("Chi bộ", "vi")).toBe("Chi bộ");
  });
});
