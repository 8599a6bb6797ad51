import { describe, expect, it } from "vitest";
import { IMPORT_COLUMNS, MAX_IMPORT_ROWS, matchHeader, previewRosterImport, rosterKey, type ImportPreview } from "../../src/domain/roster-import.js";
import { en } from "../../src/i18n/en.js";
import { vi } from "../../src/i18n/vi.js";

const TODAY = "2026-04-01";
const NONE = new Set<string>();
const HEADER = ["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Loại", "Số điện thoại", "Nơi cư trú", "Nơi làm việc"];

function okPreview(preview: ImportPreview) {
  if (!preview.ok) throw new Error(`expected a preview, got ${JSON.stringify(preview)}`);
  return preview;
}

describe("matchHeader", () => {
  it("maps every column of the standard Vietnamese header to its index", () => {
    expect(matchHeader([HEADER])).toEqual({
      headerIndex: 0,
      columns: { fullName: 1, birthDate: 2, joinDate: 3, officialDate: 4, kind: 5, phone: 6, residence: 7, workplace: 8 },
    });
  });

  it("matches headers without diacritics and in any case", () => {
    expect(matchHeader([["HO VA TEN", "ngay sinh", "NGÀY VÀO ĐẢNG", "sđt", "Dia Chi"]])).toEqual({
      headerIndex: 0,
      columns: { fullName: 0, birthDate: 1, joinDate: 2, phone: 3, residence: 4 },
    });
  });

  it("ignores a byte order mark on the first cell", () => {
    expect(matchHeader([["\uFEFFHọ và tên", "Ngày sinh"]])).toEqual({ headerIndex: 0, columns: { fullName: 0, birthDate: 1 } });
  });

  it("ignores punctuation, stars and extra white space around header text", () => {
    expect(matchHeader([["  Họ  và\ntên (*) ", "Ngày sinh:", "Điện thoại."]])).toEqual({
      headerIndex: 0,
      columns: { fullName: 0, birthDate: 1, phone: 2 },
    });
  });

  it("finds the header below title rows", () => {
    const table = [["DANH SÁCH ĐẢNG VIÊN CHI BỘ ẤP 3"], [""], ["STT", "Họ tên", "Ngày sinh"], ["1", "Nguyễn Văn An", "05/03/1980"]];
    expect(matchHeader(table)).toEqual({ headerIndex: 2, columns: { fullName: 1, birthDate: 2 } });
  });

  it("looks no further than the first five rows", () => {
    const titles = Array.from({ length: 5 }, (_, i) => [`Dòng tiêu đề ${i + 1}`]);
    expect(matchHeader([...titles, ["Họ và tên"]])).toBeNull();
    expect(matchHeader([...titles.slice(0, 4), ["Họ và tên"]])?.headerIndex).toBe(4);
  });

  it("needs a name column; other columns alone are not a header", () => {
    expect(matchHeader([["Ngày sinh", "Số điện thoại"]])).toBeNull();
    expect(matchHeader([])).toBeNull();
  });

  it("keeps the first of two columns with the same meaning", () => {
    expect(matchHeader([["Họ và tên", "Tên"]])?.columns.fullName).toBe(0);
  });

  it("recognises the column names the bot itself tells people to use, in both languages", () => {
    for (const catalog of [vi, en]) {
      const labels = IMPORT_COLUMNS.map((column) => catalog.import.columns[column]);
      const header = matchHeader([labels]);
      expect(header, labels.join(", ")).not.toBeNull();
      expect(header!.columns).toEqual(Object.fromEntries(IMPORT_COLUMNS.map((column, index) => [column, index])));
    }
  });
});

describe("rosterKey", () => {
  it("folds accents, case and spacing of the name and appends the birth date", () => {
    expect(rosterKey("Nguyễn Văn An", "1980-03-05")).toBe("nguyen van an|1980-03-05");
    expect(rosterKey("  NGUYEN   van  an ", "1980-03-05")).toBe(rosterKey("Nguyễn Văn An", "1980-03-05"));
    expect(rosterKey("Đỗ Đạt", null)).toBe("do dat|");
  });

  it("distinguishes the same name with different birth dates", () => {
    expect(rosterKey("Nguyễn Văn An", "1980-03-05")).not.toBe(rosterKey("Nguyễn Văn An", "1981-03-05"));
  });
});

describe("previewRosterImport", () => {
  it("turns a valid table into member facts", () => {
    const table = [
      HEADER,
      ["1", "Nguyễn Văn An", "05/03/1980", "19/05/2000", "19/05/2001", "Chính thức", "0912 345 678", "Ấp 3", "UBND xã"],
      ["2", " Trần  Thị Bình ", "1.2.1995", "03-02-2025", "", "dự bị", "+84987654321", "", ""],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, NONE));
    expect(preview.validCount).toBe(2);
    expect(preview.invalidCount).toBe(0);
    expect(preview.rows).toEqual([
      {
        line: 2,
        rawName: "Nguyễn Văn An",
        problems: [],
        facts: {
          fullName: "Nguyễn Văn An",
          birthDate: "1980-03-05",
          joinDate: "2000-05-19",
          officialDate: "2001-05-19",
          kind: "OFFICIAL",
          phone: "0912345678",
          residence: "Ấp 3",
          workplace: "UBND xã",
        },
      },
      {
        line: 3,
        rawName: "Trần  Thị Bình",
        problems: [],
        facts: {
          fullName: "Trần Thị Bình",
          birthDate: "1995-02-01",
          joinDate: "2025-02-03",
          officialDate: null,
          kind: "PROBATIONARY",
          phone: "0987654321",
          residence: null,
          workplace: null,
        },
      },
    ]);
  });

  it("reports every problem of every row, with its column, and keeps no facts for bad rows", () => {
    const table = [
      HEADER,
      ["1", "Nguyễn Văn An", "31/02/1980", "", "", "", "", "", ""],
      ["2", "Lê Văn Cường", "05/03/1980", "", "", "", "12345", "", ""],
      ["3", "", "05/03/1980", "", "", "", "", "", ""],
      ["4", "Phạm 3", "5/3/80", "", "", "dang vien", "abc", "x".repeat(201), ""],
      ["5", "Hoàng Văn Em", "05/03/1980", "", "", "", "", "", ""],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, NONE));
    expect(preview.rows.map((row) => ({ line: row.line, problems: row.problems, hasFacts: row.facts !== null }))).toEqual([
      { line: 2, problems: [{ column: "birthDate", problem: "DATE.IMPOSSIBLE" }], hasFacts: false },
      { line: 3, problems: [{ column: "phone", problem: "MEMBER.PHONE_INVALID" }], hasFacts: false },
      { line: 4, problems: [{ column: "fullName", problem: "MEMBER.NAME_EMPTY" }], hasFacts: false },
      {
        line: 5,
        problems: [
          { column: "fullName", problem: "MEMBER.NAME_INVALID" },
          { column: "birthDate", problem: "DATE.FORMAT" },
          { column: "kind", problem: "MEMBER.KIND_INVALID" },
          { column: "phone", problem: "MEMBER.PHONE_INVALID" },
          { column: "residence", problem: "MEMBER.TEXT_TOO_LONG" },
        ],
        hasFacts: false,
      },
      { line: 6, problems: [], hasFacts: true },
    ]);
    expect(preview.validCount).toBe(1);
    expect(preview.invalidCount).toBe(4);
    expect(preview.rows[2]!.rawName).toBe("");
    expect(preview.rows[3]!.rawName).toBe("Phạm 3");
  });

  it("refuses future dates in a row", () => {
    const preview = okPreview(previewRosterImport([["Họ và tên", "Ngày sinh"], ["Nguyễn Văn An", "02/04/2026"]], TODAY, NONE));
    expect(preview.rows[0]!.problems).toEqual([{ column: "birthDate", problem: "DATE.FUTURE" }]);
  });

  it("applies the cross-field checks, reported without a column", () => {
    const table = [
      ["Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức"],
      ["Nguyễn Văn An", "05/03/1980", "04/03/1998", ""],
      ["Trần Văn Bình", "05/03/1980", "19/05/2000", "18/05/2000"],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, NONE));
    expect(preview.rows.map((row) => row.problems)).toEqual([
      [{ column: null, problem: "MEMBER.JOIN_BEFORE_ADULT" }],
      [{ column: null, problem: "MEMBER.OFFICIAL_BEFORE_JOIN" }],
    ]);
    expect(preview.rows.every((row) => row.facts === null)).toBe(true);
  });

  it("flags a later row duplicating an earlier one (same folded name and birth date), not the first", () => {
    const table = [
      ["Họ và tên", "Ngày sinh"],
      ["Nguyễn Văn An", "05/03/1980"],
      ["Nguyễn Văn An", "05/03/1981"],
      ["NGUYEN VAN AN", "5/3/1980"],
      ["Lê Thị Hoa", ""],
      ["Lê  Thị Hoa", ""],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, NONE));
    expect(preview.rows.map((row) => row.problems)).toEqual([
      [],
      [],
      [{ column: null, problem: "IMPORT.DUPLICATE_IN_FILE" }],
      [],
      [{ column: null, problem: "IMPORT.DUPLICATE_IN_FILE" }],
    ]);
    expect(preview.rows[2]!.facts).toBeNull();
    expect(preview.validCount).toBe(3);
    expect(preview.invalidCount).toBe(2);
  });

  it("flags rows already on the branch roster, by rosterKey", () => {
    const existing = new Set([rosterKey("Nguyễn Văn An", "1980-03-05"), rosterKey("Lê Thị Hoa", null)]);
    const table = [
      ["Họ và tên", "Ngày sinh"],
      ["nguyễn văn an", "05/03/1980"],
      ["Nguyễn Văn An", "06/03/1980"],
      ["Lê Thị Hoa", ""],
      ["Lê Thị Hoa", "01/01/1990"],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, existing));
    expect(preview.rows.map((row) => row.problems)).toEqual([
      [{ column: null, problem: "IMPORT.ALREADY_ON_ROSTER" }],
      [],
      [{ column: null, problem: "IMPORT.ALREADY_ON_ROSTER" }],
      [],
    ]);
  });

  it("numbers rows as the spreadsheet does: header and skipped blank lines included", () => {
    const table = [
      ["DANH SÁCH ĐẢNG VIÊN"],
      ["Họ và tên", "Ngày sinh"],
      ["Nguyễn Văn An", "05/03/1980"],
      ["", ""],
      ["   ", "\t"],
      [],
      ["Trần Văn Bình", "05/03/1981"],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, NONE));
    expect(preview.rows.map((row) => [row.line, row.rawName])).toEqual([
      [3, "Nguyễn Văn An"],
      [7, "Trần Văn Bình"],
    ]);
  });

  it("defaults the kind from the dates when the kind cell is empty or the column absent", () => {
    const table = [
      ["Họ và tên", "Ngày vào Đảng", "Ngày chính thức", "Loại"],
      ["Nguyễn Văn An", "19/05/2000", "19/05/2001", ""],
      ["Trần Văn Bình", "03/02/2026", "", ""],
      ["Lê Văn Cường", "", "", ""],
      ["Phạm Văn Dũng", "03/02/2026", "", "chính thức"],
    ];
    const kinds = okPreview(previewRosterImport(table, TODAY, NONE)).rows.map((row) => row.facts?.kind);
    expect(kinds).toEqual(["OFFICIAL", "PROBATIONARY", "OFFICIAL", "OFFICIAL"]);

    const withoutKindColumn = okPreview(previewRosterImport([["Họ và tên", "Ngày vào Đảng"], ["Trần Văn Bình", "03/02/2026"]], TODAY, NONE));
    expect(withoutKindColumn.rows[0]!.facts?.kind).toBe("PROBATIONARY");
  });

  it("treats missing trailing cells as empty", () => {
    const preview = okPreview(previewRosterImport([HEADER, ["1", "Nguyễn Văn An"]], TODAY, NONE));
    expect(preview.rows[0]!.problems).toEqual([]);
    expect(preview.rows[0]!.facts).toMatchObject({ fullName: "Nguyễn Văn An", birthDate: null, phone: null, kind: "OFFICIAL" });
  });

  it("refuses a table without a name header", () => {
    expect(previewRosterImport([["Ngày sinh"], ["05/03/1980"]], TODAY, NONE)).toEqual({ ok: false, problem: "IMPORT.NO_HEADER", missing: ["fullName"] });
    expect(previewRosterImport([], TODAY, NONE)).toMatchObject({ ok: false, problem: "IMPORT.NO_HEADER" });
  });

  it("refuses a table with a header and no data rows, blank lines not counting", () => {
    expect(previewRosterImport([HEADER], TODAY, NONE)).toEqual({ ok: false, problem: "IMPORT.NO_ROWS" });
    expect(previewRosterImport([HEADER, ["", " "], []], TODAY, NONE)).toEqual({ ok: false, problem: "IMPORT.NO_ROWS" });
  });

  it(`accepts ${MAX_IMPORT_ROWS} rows and refuses ${MAX_IMPORT_ROWS + 1}`, () => {
    const rows = (count: number) => Array.from({ length: count }, (_, i) => [`Nguyễn Văn ${"A".repeat(1 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`]);
    const full = okPreview(previewRosterImport([["Họ và tên"], ...rows(MAX_IMPORT_ROWS)], TODAY, NONE));
    expect(full.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(full.invalidCount).toBe(0);
    expect(previewRosterImport([["Họ và tên"], ...rows(MAX_IMPORT_ROWS + 1)], TODAY, NONE)).toEqual({ ok: false, problem: "IMPORT.TOO_MANY_ROWS" });
  });

  it("does not count blank lines towards the row limit", () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => [`Nguyễn Văn ${"A".repeat(1 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`]);
    const blanks = Array.from({ length: 50 }, () => [""]);
    const preview = okPreview(previewRosterImport([["Họ và tên"], ...rows, ...blanks], TODAY, NONE));
    expect(preview.rows).toHaveLength(MAX_IMPORT_ROWS);
  });
});
