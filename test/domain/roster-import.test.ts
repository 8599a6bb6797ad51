import { describe, expect, it } from "vitest";
import {
  IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  matchHeader,
  previewRosterImport,
  readyToWrite,
  restoreLeadingZero,
  rosterKey,
  type ImportPreview,
  type RosterEntry,
} from "../../src/domain/roster-import.js";
import { en } from "../../src/i18n/en.js";
import { vi } from "../../src/i18n/vi.js";

const TODAY = "2026-04-01";
const NONE: RosterEntry[] = [];
const HEADER = [
  "STT",
  "Họ và tên",
  "Ngày sinh",
  "Ngày vào Đảng",
  "Ngày chính thức",
  "Loại",
  "Số điện thoại",
  "Nơi cư trú",
  "Nơi làm việc",
];

function okPreview(preview: ImportPreview) {
  if (!preview.ok) throw new Error(`expected a preview, got ${JSON.stringify(preview)}`);
  return preview;
}

describe("matchHeader", () => {
  it("maps every column of the standard Vietnamese header to its index", () => {
    expect(matchHeader([HEADER])).toEqual({
      headerIndex: 0,
      columns: {
        fullName: 1,
        birthDate: 2,
        joinDate: 3,
        officialDate: 4,
        kind: 5,
        phone: 6,
        residence: 7,
        workplace: 8,
      },
    });
  });

  it("matches headers without diacritics and in any case", () => {
    expect(matchHeader([["HO VA TEN", "ngay sinh", "NGÀY VÀO ĐẢNG", "sđt", "Dia Chi"]])).toEqual({
      headerIndex: 0,
      columns: { fullName: 0, birthDate: 1, joinDate: 2, phone: 3, residence: 4 },
    });
  });

  it("ignores a byte order mark on the first cell", () => {
    expect(matchHeader([["\uFEFFHọ và tên", "Ngày sinh"]])).toEqual({
      headerIndex: 0,
      columns: { fullName: 0, birthDate: 1 },
    });
  });

  it("ignores punctuation, stars and extra white space around header text", () => {
    expect(matchHeader([["  Họ  và\ntên (*) ", "Ngày sinh:", "Điện thoại."]])).toEqual({
      headerIndex: 0,
      columns: { fullName: 0, birthDate: 1, phone: 2 },
    });
  });

  it("finds the header below title rows", () => {
    const table = [
      ["DANH SÁCH ĐẢNG VIÊN CHI BỘ ẤP 3"],
      [""],
      ["STT", "Họ tên", "Ngày sinh"],
      ["1", "Nguyễn Văn An", "05/03/1980"],
    ];
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
        plan: { action: "create" },
        rate: null,
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
        plan: { action: "create" },
        rate: null,
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
    expect(
      preview.rows.map((row) => ({ line: row.line, problems: row.problems, hasFacts: row.facts !== null })),
    ).toEqual([
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
          { column: "residence", problem: "MEMBER.TEXT_TOO_LONG", params: { max: 200 } },
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
    const preview = okPreview(
      previewRosterImport(
        [
          ["Họ và tên", "Ngày sinh"],
          ["Nguyễn Văn An", "02/04/2026"],
        ],
        TODAY,
        NONE,
      ),
    );
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

  it("never guesses 'dự bị' for an admission older than a probation with no official date: it asks", () => {
    // Admitted in 1990, no official date, no kind: a "dự bị" guess would raise R11 (probation overdue since 1991).
    const table = [
      ["Họ và tên", "Ngày vào Đảng"],
      ["Hoàng Văn Lão", "01/06/1990"],
    ];
    const fresh = okPreview(previewRosterImport(table, TODAY, NONE));
    expect(fresh.rows[0]!.problems).toEqual([{ column: "kind", problem: "IMPORT.KIND_UNKNOWN" }]);
    expect(fresh.counts.invalid).toBe(1);
    // Already on the roster: the entry keeps its own kind, the file changes nothing about it.
    const known = okPreview(previewRosterImport(table, TODAY, [entry(7, "Hoàng Văn Lão", { joinDate: "1990-06-01" })]));
    expect(known.rows[0]!.problems).toEqual([]);
    expect(known.rows[0]!.plan).toMatchObject({ action: "update", memberId: 7, changes: [] });
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

    const withoutKindColumn = okPreview(
      previewRosterImport(
        [
          ["Họ và tên", "Ngày vào Đảng"],
          ["Trần Văn Bình", "03/02/2026"],
        ],
        TODAY,
        NONE,
      ),
    );
    expect(withoutKindColumn.rows[0]!.facts?.kind).toBe("PROBATIONARY");
  });

  it("treats missing trailing cells as empty", () => {
    const preview = okPreview(previewRosterImport([HEADER, ["1", "Nguyễn Văn An"]], TODAY, NONE));
    expect(preview.rows[0]!.problems).toEqual([]);
    expect(preview.rows[0]!.facts).toMatchObject({
      fullName: "Nguyễn Văn An",
      birthDate: null,
      phone: null,
      kind: "OFFICIAL",
    });
  });

  it("refuses a table without a name header", () => {
    expect(previewRosterImport([["Ngày sinh"], ["05/03/1980"]], TODAY, NONE)).toEqual({
      ok: false,
      problem: "IMPORT.NO_HEADER",
      missing: ["fullName"],
    });
    expect(previewRosterImport([], TODAY, NONE)).toMatchObject({ ok: false, problem: "IMPORT.NO_HEADER" });
  });

  it("refuses a table with a header and no data rows, blank lines not counting", () => {
    expect(previewRosterImport([HEADER], TODAY, NONE)).toEqual({ ok: false, problem: "IMPORT.NO_ROWS" });
    expect(previewRosterImport([HEADER, ["", " "], []], TODAY, NONE)).toEqual({ ok: false, problem: "IMPORT.NO_ROWS" });
  });

  it(`accepts ${MAX_IMPORT_ROWS} rows and refuses ${MAX_IMPORT_ROWS + 1}`, () => {
    const rows = (count: number) =>
      Array.from({ length: count }, (_, i) => [
        `Nguyễn Văn ${"A".repeat(1 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
      ]);
    const full = okPreview(previewRosterImport([["Họ và tên"], ...rows(MAX_IMPORT_ROWS)], TODAY, NONE));
    expect(full.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(full.invalidCount).toBe(0);
    expect(previewRosterImport([["Họ và tên"], ...rows(MAX_IMPORT_ROWS + 1)], TODAY, NONE)).toEqual({
      ok: false,
      problem: "IMPORT.TOO_MANY_ROWS",
    });
  });

  it("does not count blank lines towards the row limit", () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => [
      `Nguyễn Văn ${"A".repeat(1 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    ]);
    const blanks = Array.from({ length: 50 }, () => [""]);
    const preview = okPreview(previewRosterImport([["Họ và tên"], ...rows, ...blanks], TODAY, NONE));
    expect(preview.rows).toHaveLength(MAX_IMPORT_ROWS);
  });
});

function entry(id: number, fullName: string, overrides: Partial<RosterEntry> = {}): RosterEntry {
  return {
    id,
    fullName,
    birthDate: null,
    joinDate: null,
    officialDate: null,
    kind: "OFFICIAL",
    phone: null,
    residence: null,
    workplace: null,
    rates: [],
    ...overrides,
  };
}

describe("previewRosterImport merging with the roster", () => {
  it("matches an entry without a birth date (created by an invitation) to the single row of that name, filling its fields", () => {
    const invited = entry(7, "Nguyễn Văn Bình");
    const table = [
      ["Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Loại", "Số điện thoại"],
      ["NGUYỄN  VĂN BÌNH", "12/05/1970", "03/02/1995", "Chính thức", "0912345678"],
      ["Trần Thị Hoa", "01/01/1980", "", "", ""],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, [invited]));
    expect(preview.counts).toEqual({ created: 1, updated: 1, unchanged: 0, choose: 0, invalid: 0 });
    expect(preview.rows[0]!.plan).toEqual({
      action: "update",
      memberId: 7,
      name: "Nguyễn Văn Bình",
      fills: [
        { field: "birthDate", before: null, after: "1970-05-12" },
        { field: "joinDate", before: null, after: "1995-02-03" },
        { field: "phone", before: null, after: "0912345678" },
      ],
      // The kind was stated and equals the entry's: nothing to change; the name is never rewritten.
      changes: [],
      values: { birthDate: "1970-05-12", joinDate: "1995-02-03", phone: "0912345678" },
      rateChanged: false,
    });
    expect(preview.rows[1]!.plan).toEqual({ action: "create" });
    expect(readyToWrite(preview)).toBe(true);
  });

  it("matches by name and birth date, shows the fields the file changes, and counts a row with nothing new as unchanged", () => {
    const roster = [
      entry(1, "Nguyễn Văn An", { birthDate: "1980-03-05", phone: "0911111111", residence: "Ấp 1" }),
      entry(2, "Lê Thị Hoa", { birthDate: "1990-01-01" }),
    ];
    const table = [
      ["Họ và tên", "Ngày sinh", "Số điện thoại", "Nơi cư trú"],
      ["nguyễn văn an", "05/03/1980", "0922222222", "Ấp 1"],
      ["Lê Thị Hoa", "01/01/1990", "", ""],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, roster));
    expect(preview.rows[0]!.plan).toMatchObject({
      action: "update",
      memberId: 1,
      fills: [],
      changes: [{ field: "phone", before: "0911111111", after: "0922222222" }],
    });
    expect(preview.counts).toEqual({ created: 0, updated: 1, unchanged: 1, choose: 0, invalid: 0 });
  });

  it("asks the officer to choose for namesakes, and follows the choice", () => {
    const roster = [
      entry(1, "Nguyễn Văn An", { birthDate: "1965-05-05" }),
      entry(2, "Nguyễn Văn An"),
      entry(3, "Phạm Thị Lan", { birthDate: "1970-01-01" }),
    ];
    const table = [
      ["Họ và tên", "Ngày sinh"],
      ["Nguyễn Văn An", "05/03/1980"],
      // Same name, different birth date: a namesake or a typo — the officer decides.
      ["Phạm Thị Lan", "02/01/1970"],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, roster));
    expect(preview.rows.map((row) => row.plan?.action)).toEqual(["choose", "choose"]);
    expect(preview.rows[0]!.plan).toMatchObject({ candidates: [{ id: 1 }, { id: 2 }] });
    expect(preview.counts.choose).toBe(2);
    expect(readyToWrite(preview)).toBe(false);

    const chosen = okPreview(previewRosterImport(table, TODAY, roster, { 2: 2, 3: 0 }));
    expect(chosen.rows[0]!.plan).toMatchObject({
      action: "update",
      memberId: 2,
      fills: [{ field: "birthDate", after: "1980-03-05" }],
    });
    expect(chosen.rows[1]!.plan).toEqual({ action: "create" });
    expect(readyToWrite(chosen)).toBe(true);

    // A choice naming someone who is not one of the row's namesakes (a forged button) decides nothing.
    const forged = okPreview(previewRosterImport(table, TODAY, roster, { 2: 3 }));
    expect(forged.rows[0]!.plan?.action).toBe("choose");
  });

  it("matches a name typed without accents to the roster's accented name", () => {
    const preview = okPreview(
      previewRosterImport(
        [
          ["Họ và tên", "Ngày sinh"],
          ["Nguyen Van Binh", "12/05/1970"],
        ],
        TODAY,
        [entry(4, "Nguyễn Văn Bình")],
      ),
    );
    expect(preview.rows[0]!.plan).toMatchObject({ action: "update", memberId: 4 });
    // Accents typed differently are different names.
    const other = okPreview(
      previewRosterImport([["Họ và tên"], ["Nguyễn Văn Bính"]], TODAY, [entry(4, "Nguyễn Văn Bình")]),
    );
    expect(other.rows[0]!.plan).toEqual({ action: "create" });
  });

  it("refuses two rows that resolve to the same roster entry", () => {
    const table = [
      ["Họ và tên", "Ngày sinh"],
      ["Trần Văn Tư", "01/01/1960"],
      ["Trần Văn Tư", ""],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, [entry(9, "Trần Văn Tư")]));
    expect(preview.rows[1]!.problems).toEqual([{ column: null, problem: "IMPORT.DUPLICATE_IN_FILE" }]);
  });

  it("checks the merged record: a join date before the entry's 18th birthday is refused", () => {
    const preview = okPreview(
      previewRosterImport(
        [
          ["Họ và tên", "Ngày vào Đảng"],
          ["Trần Văn Tư", "01/01/1970"],
        ],
        TODAY,
        [entry(9, "Trần Văn Tư", { birthDate: "1960-01-01" })],
      ),
    );
    expect(preview.rows[0]!.problems).toEqual([{ column: null, problem: "MEMBER.JOIN_BEFORE_ADULT" }]);
  });

  it("has nothing to write when every row is already on the roster unchanged", () => {
    const preview = okPreview(
      previewRosterImport(
        [
          ["Họ và tên", "Ngày sinh"],
          ["Trần Văn Tư", "01/01/1960"],
        ],
        TODAY,
        [entry(9, "Trần Văn Tư", { birthDate: "1960-01-01" })],
      ),
    );
    expect(preview.counts).toMatchObject({ unchanged: 1, created: 0, updated: 0 });
    expect(readyToWrite(preview)).toBe(false);
  });
});

describe("previewRosterImport dues amount columns", () => {
  const HEAD = ["Họ và tên", "Mức đảng phí", "Từ tháng"];

  it("reads the monthly amount and the month it applies from, this month by default", () => {
    const table = [
      HEAD,
      ["Nguyễn Văn An", "30.000", "1/2026"],
      ["Trần Văn Bình", "50k", ""],
      ["Lê Văn Cường", "", ""],
      ["Phạm Văn Dũng", "20000", "15/03/2026"],
    ];
    const preview = okPreview(previewRosterImport(table, TODAY, NONE));
    expect(preview.rows.map((row) => row.rate)).toEqual([
      { amount: 30000, from: "2026-01" },
      { amount: 50000, from: "2026-04" },
      null,
      { amount: 20000, from: "2026-03" },
    ]);
  });

  it("refuses a bad amount, a month without an amount and a month over 12 months ahead", () => {
    const table = [
      HEAD,
      ["Nguyễn Văn An", "0", ""],
      ["Trần Văn Bình", "", "3/2026"],
      ["Lê Văn Cường", "30000", "5/2027"],
      ["Phạm Văn Dũng", "6000000", ""],
    ];
    const problems = okPreview(previewRosterImport(table, TODAY, NONE)).rows.map((row) =>
      row.problems.map((p) => p.problem),
    );
    expect(problems).toEqual([
      ["DUES.AMOUNT_NOT_POSITIVE"],
      ["IMPORT.RATE_MONTH_WITHOUT_AMOUNT"],
      ["DUES.MONTH_TOO_FAR_AHEAD"],
      ["DUES.AMOUNT_OVER_CAP"],
    ]);
  });

  it("marks an update's amount as a change only when it differs from the amount in effect that month", () => {
    const roster = [
      entry(1, "Nguyễn Văn An", { rates: [{ effectiveMonth: "2026-01", amount: 30000 }] }),
      entry(2, "Trần Văn Bình", { rates: [{ effectiveMonth: "2026-01", amount: 30000 }] }),
    ];
    const table = [HEAD, ["Nguyễn Văn An", "30000", "3/2026"], ["Trần Văn Bình", "40000", "3/2026"]];
    const preview = okPreview(previewRosterImport(table, TODAY, roster));
    expect(preview.rows.map((row) => row.plan?.action === "update" && row.plan.rateChanged)).toEqual([false, true]);
    expect(preview.counts).toMatchObject({ updated: 1, unchanged: 1 });
  });
});

describe("restoreLeadingZero", () => {
  it("gives back the 0 Excel drops from a phone number stored as a number", () => {
    expect(restoreLeadingZero("912345678")).toBe("0912345678");
    expect(restoreLeadingZero("2513812345")).toBe("02513812345");
    expect(restoreLeadingZero("0912345678")).toBe("0912345678");
    expect(restoreLeadingZero("12345")).toBe("12345");
    expect(restoreLeadingZero("9123456789")).toBe("9123456789");
  });

  it("lets a 9-digit phone cell through the import", () => {
    const preview = okPreview(
      previewRosterImport(
        [
          ["Họ và tên", "Số điện thoại"],
          ["Nguyễn Văn An", "912345678"],
        ],
        TODAY,
        NONE,
      ),
    );
    expect(preview.rows[0]!.facts?.phone).toBe("0912345678");
  });
});
