import { describe, expect, it } from "vitest";
import {
  MAX_NAME_LENGTH,
  MAX_TEXT_FIELD_LENGTH,
  checkMemberFacts,
  checkLeavingDate,
  INACTIVE_STATES,
  leavingPaper,
  mayUndoLeaving,
  parseDecisionNumber,
  isOnRoster,
  parseFreeText,
  parseFullName,
  parseMemberDate,
  parseMemberKind,
  parsePhone,
  type MemberFacts,
} from "../../src/domain/members.js";

const TODAY = "2026-04-01";

describe("parseFullName", () => {
  it("normalises spacing and keeps Vietnamese letters", () => {
    expect(parseFullName("  Nguyễn   Văn  An ")).toEqual({ ok: true, value: "Nguyễn Văn An" });
    expect(parseFullName("Đỗ Thị Hương")).toEqual({ ok: true, value: "Đỗ Thị Hương" });
  });

  it("accepts hyphens and apostrophes inside names (ethnic minority names)", () => {
    expect(parseFullName("Y-Moan Niê")).toEqual({ ok: true, value: "Y-Moan Niê" });
    expect(parseFullName("H'Hen Niê")).toEqual({ ok: true, value: "H'Hen Niê" });
  });

  it("returns the composed (NFC) form for decomposed input", () => {
    const result = parseFullName("Nguyễn Văn Ánh".normalize("NFD"));
    expect(result).toEqual({ ok: true, value: "Nguyễn Văn Ánh".normalize("NFC") });
  });

  it("refuses an empty or blank name", () => {
    expect(parseFullName("")).toEqual({ ok: false, code: "MEMBER.NAME_EMPTY" });
    expect(parseFullName(" \t\n ")).toEqual({ ok: false, code: "MEMBER.NAME_EMPTY" });
  });

  it("refuses a single word", () => {
    expect(parseFullName("An")).toEqual({ ok: false, code: "MEMBER.NAME_INVALID" });
    expect(parseFullName("Nguyễn-Văn-An")).toEqual({ ok: false, code: "MEMBER.NAME_INVALID" });
  });

  it.each(["Nguyễn Văn 3", "Nguyễn Văn An!", "-Nguyễn Văn", "'Lê Hoa", "Trần Thị @Hoa", "Lê, Hoa"])(
    "refuses %j (digits or symbols)",
    (raw) => {
      expect(parseFullName(raw)).toEqual({ ok: false, code: "MEMBER.NAME_INVALID" });
    },
  );

  it(`accepts ${MAX_NAME_LENGTH} characters and refuses one more, with the limit as a parameter`, () => {
    const exact = `Nguyễn ${"a".repeat(MAX_NAME_LENGTH - "Nguyễn ".length)}`;
    expect(exact.length).toBe(MAX_NAME_LENGTH);
    expect(parseFullName(exact)).toEqual({ ok: true, value: exact });
    expect(parseFullName(`${exact}a`)).toEqual({
      ok: false,
      code: "MEMBER.NAME_TOO_LONG",
      params: { max: MAX_NAME_LENGTH },
    });
  });

  it("measures the length after collapsing spaces", () => {
    const exact = `Nguyễn ${"a".repeat(MAX_NAME_LENGTH - "Nguyễn ".length)}`;
    expect(parseFullName(`   ${exact.replace(" ", "        ")}   `)).toEqual({ ok: true, value: exact });
  });
});

describe("parseMemberDate", () => {
  it("parses a typed date in the past", () => {
    expect(parseMemberDate("5/3/1980", TODAY)).toEqual({ ok: true, value: "1980-03-05" });
  });

  it("accepts today and refuses tomorrow", () => {
    expect(parseMemberDate("01/04/2026", TODAY)).toEqual({ ok: true, value: "2026-04-01" });
    expect(parseMemberDate("02/04/2026", TODAY)).toEqual({ ok: false, code: "DATE.FUTURE" });
  });

  it("passes on the format, impossible-date and too-old problems", () => {
    expect(parseMemberDate("5/3/80", TODAY)).toEqual({ ok: false, code: "DATE.FORMAT" });
    expect(parseMemberDate("31/02/2020", TODAY)).toEqual({ ok: false, code: "DATE.IMPOSSIBLE" });
    expect(parseMemberDate("31/12/1899", TODAY)).toEqual({ ok: false, code: "DATE.TOO_OLD" });
  });
});

describe("parseMemberKind", () => {
  it.each([
    "chính thức",
    "Chính thức",
    "CHÍNH THỨC",
    "chinh thuc",
    "Chinh Thuc",
    "  chính   thức ",
    "ct",
    "CT",
    "official",
    "Official",
  ])("reads %j as OFFICIAL", (raw) => {
    expect(parseMemberKind(raw)).toEqual({ ok: true, value: "OFFICIAL" });
  });

  it.each(["dự bị", "Dự bị", "DỰ BỊ", "du bi", "Du Bi", " dự\tbị ", "db", "DB", "probationary"])(
    "reads %j as PROBATIONARY",
    (raw) => {
      expect(parseMemberKind(raw)).toEqual({ ok: true, value: "PROBATIONARY" });
    },
  );

  it("reads decomposed (NFD) Vietnamese text", () => {
    expect(parseMemberKind("Chính thức".normalize("NFD"))).toEqual({ ok: true, value: "OFFICIAL" });
    expect(parseMemberKind("Dự bị".normalize("NFD"))).toEqual({ ok: true, value: "PROBATIONARY" });
  });

  it.each(["", "chính", "dự", "x", "OFFICIALS", "đảng viên", "1"])("refuses %j", (raw) => {
    expect(parseMemberKind(raw)).toEqual({ ok: false, code: "MEMBER.KIND_INVALID" });
  });
});

describe("parsePhone", () => {
  it.each([
    ["0912345678", "0912345678"],
    ["0912 345 678", "0912345678"],
    ["0912.345.678", "0912345678"],
    ["0912-345-678", "0912345678"],
    ["+84912345678", "0912345678"],
    ["+84 912 345 678", "0912345678"],
    ["02838123456", "02838123456"],
    ["(091) 234 5678", "0912345678"],
    ["+84 0912 345 678", "0912345678"],
  ])("reads %j as %s", (raw, phone) => {
    expect(parsePhone(raw)).toEqual({ ok: true, value: phone });
  });

  it.each([
    "",
    "091234567",
    "912345678",
    "091234567890",
    "+8491234567",
    "+84912345678901",
    "0912abc678",
    "00912345678",
    "+1 912 345 678",
    "0912_345_678",
  ])("refuses %j", (raw) => {
    expect(parsePhone(raw)).toEqual({ ok: false, code: "MEMBER.PHONE_INVALID" });
  });

  it("never produces a number starting with 00 (e.g. from '+84 0912 345 678' or '00912345678')", () => {
    // After +84 the trunk 0 must not be kept; a Vietnamese number's second digit is never 0.
    for (const raw of ["+84 0912 345 678", "+840912345678", "00912345678"]) {
      const result = parsePhone(raw);
      expect(result.ok && result.value.startsWith("00"), `${raw} -> ${JSON.stringify(result)}`).toBe(false);
    }
  });
});

describe("parseFreeText", () => {
  it("collapses white space and trims", () => {
    expect(parseFreeText("  Ấp 3,\n  xã   Xuân Đông ")).toEqual({ ok: true, value: "Ấp 3, xã Xuân Đông" });
  });

  it(`accepts ${MAX_TEXT_FIELD_LENGTH} characters and refuses one more`, () => {
    expect(parseFreeText("x".repeat(MAX_TEXT_FIELD_LENGTH))).toEqual({
      ok: true,
      value: "x".repeat(MAX_TEXT_FIELD_LENGTH),
    });
    expect(parseFreeText("x".repeat(MAX_TEXT_FIELD_LENGTH + 1))).toEqual({
      ok: false,
      code: "MEMBER.TEXT_TOO_LONG",
      params: { max: MAX_TEXT_FIELD_LENGTH },
    });
  });

  it("counts the length after collapsing white space", () => {
    const text = `a${" ".repeat(500)}b`;
    expect(parseFreeText(text)).toEqual({ ok: true, value: "a b" });
  });
});

describe("checkMemberFacts", () => {
  const facts = (overrides: Partial<MemberFacts>): MemberFacts => ({
    fullName: "Nguyễn Văn An",
    birthDate: "1980-03-05",
    joinDate: "2000-05-19",
    officialDate: "2001-05-19",
    kind: "OFFICIAL",
    phone: null,
    residence: null,
    workplace: null,
    ...overrides,
  });

  it("accepts consistent facts and returns them unchanged", () => {
    const value = facts({});
    expect(checkMemberFacts(value)).toEqual({ ok: true, value });
  });

  it("refuses joining the day before the 18th birthday and accepts on the birthday", () => {
    expect(checkMemberFacts(facts({ joinDate: "1998-03-04", officialDate: null }))).toEqual({
      ok: false,
      code: "MEMBER.JOIN_BEFORE_ADULT",
    });
    expect(checkMemberFacts(facts({ joinDate: "1998-03-05", officialDate: null })).ok).toBe(true);
  });

  it("refuses joining years before adulthood", () => {
    expect(checkMemberFacts(facts({ joinDate: "1990-01-01", officialDate: null }))).toEqual({
      ok: false,
      code: "MEMBER.JOIN_BEFORE_ADULT",
    });
  });

  it("refuses an official date before the join date and accepts the same day", () => {
    expect(checkMemberFacts(facts({ officialDate: "2000-05-18" }))).toEqual({
      ok: false,
      code: "MEMBER.OFFICIAL_BEFORE_JOIN",
    });
    expect(checkMemberFacts(facts({ officialDate: "2000-05-19" })).ok).toBe(true);
  });

  it("skips a check when one of its dates is unknown", () => {
    expect(checkMemberFacts(facts({ birthDate: null, joinDate: "1990-01-01" })).ok).toBe(true);
    expect(checkMemberFacts(facts({ joinDate: null, officialDate: "1985-01-01" })).ok).toBe(true);
    expect(checkMemberFacts(facts({ birthDate: null, joinDate: null, officialDate: null })).ok).toBe(true);
  });
});

describe("isOnRoster", () => {
  it("keeps active and exempt members on the roster, and no one else", () => {
    expect(isOnRoster("ACTIVE")).toBe(true);
    expect(isOnRoster("EXEMPT")).toBe(true);
    expect(isOnRoster("TRANSFERRED_OUT")).toBe(false);
    expect(isOnRoster("REMOVED")).toBe(false);
    expect(isOnRoster("DECEASED")).toBe(false);
  });
});

describe("leaving the roster", () => {
  it("keeps xóa tên and khai trừ apart, each with its decision; chuyển đi has a letter, từ trần no paper", () => {
    expect(INACTIVE_STATES).toEqual(["TRANSFERRED_OUT", "REMOVED", "EXPELLED", "DECEASED"]);
    expect(INACTIVE_STATES.map(leavingPaper)).toEqual(["LETTER", "DECISION", "DECISION", null]);
    expect(isOnRoster("EXPELLED")).toBe(false);
    expect(isOnRoster("EXEMPT")).toBe(true);
  });

  it("takes a leaving date up to today and not before the member joined, naming the join date", () => {
    expect(checkLeavingDate("2026-03-15", "2026-03-15", "1995-01-01")).toEqual({ ok: true, value: "2026-03-15" });
    expect(checkLeavingDate("2026-03-16", "2026-03-15", null)).toEqual({ ok: false, code: "DATE.FUTURE" });
    expect(checkLeavingDate("1994-12-31", "2026-03-15", "1995-01-01")).toEqual({
      ok: false,
      code: "MEMBER.LEFT_BEFORE_JOIN",
      params: { earliest: "1995-01-01" },
    });
  });

  it("lets only the officer who recorded a departure undo it, and only that day", () => {
    const recorded = { byTelegramId: "2001", on: "2026-03-15" };
    expect(mayUndoLeaving(recorded, "2001", "2026-03-15")).toBe(true);
    expect(mayUndoLeaving(recorded, "2003", "2026-03-15")).toBe(false);
    expect(mayUndoLeaving(recorded, "2001", "2026-03-16")).toBe(false);
  });

  it("reads a decision number as one short line", () => {
    expect(parseDecisionNumber("  15-QĐ/ĐU ")).toEqual({ ok: true, value: "15-QĐ/ĐU" });
    expect(parseDecisionNumber(" ")).toMatchObject({ ok: false, code: "TEXT.EMPTY" });
    expect(parseDecisionNumber("x".repeat(41))).toMatchObject({ ok: false, code: "TEXT.TOO_LONG" });
  });
});
