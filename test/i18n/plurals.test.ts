// English counts agree with their nouns ("1 day", "2 days") in findings and /caidat values.
import { describe, expect, it } from "vitest";
import { findingSentence, findingSentenceToMember } from "../../src/i18n/findings.js";
import { translator } from "../../src/i18n/index.js";

const t = translator("en");
const base = { subjectKind: "member", severity: "warn" as const, memberName: "Lê Văn Lâm", branchName: "Ấp 1" };

describe("English plurals", () => {
  it("says 1 day and 1 month, and 2 days", () => {
    const ending = {
      ...base,
      rule: "R7_EXEMPTION_ENDING" as const,
      period: "2026-05-31",
      facts: { phase: "ENDING", from: "2026-03-01", to: "2026-05-31", daysLeft: 1 },
    };
    expect(findingSentence(t, "en", ending)).toContain("ends in 1 day;");
    expect(findingSentenceToMember(t, "en", { ...ending, facts: { ...ending.facts, daysLeft: 2 } })).toContain(
      "ends in 2 days;",
    );
    const checkin = {
      ...base,
      rule: "R9_CHECKIN_MISSING" as const,
      period: "2026-03-01",
      facts: { dueSince: "2026-03-01", everyMonths: 1 },
    };
    expect(findingSentence(t, "en", checkin)).toContain("every 1 month,");
    expect(t("settings.units.days", { count: 1 })).toBe("1 day");
    expect(t("settings.units.months", { count: 3 })).toBe("3 months");
  });
});
