// Reading a roster file with bounded memory: an XLSX is checked before it is unpacked (entries, declared and
// real unpacked sizes), then read as a stream within the sheet's row and column limits; a CSV likewise.
import { describe, expect, it } from "vitest";
import { checkZip } from "../../src/files/zip-guard.js";
import {
  isTable,
  MAX_SHEET_COLUMNS,
  MAX_SHEET_ROWS,
  readRosterTable,
  XLSX_LIMITS,
} from "../../src/files/roster-file.js";
import { ROSTER_HEADER, rosterXlsx, unzipEntries, zipBombXlsx, zipOf } from "../support/xlsx-files.js";

describe("a roster XLSX", () => {
  it("reads a real roster of 300 rows, dates as dd/mm/yyyy", async () => {
    const table = await readRosterTable(await rosterXlsx(300));
    expect(table.ok).toBe(true);
    if (!table.ok || !isTable(table.value)) throw new Error("not a table");
    expect(table.value).toHaveLength(301);
    expect(table.value[0]).toEqual(ROSTER_HEADER);
    expect(table.value[1]).toEqual([
      "Nguyễn Văn An Aa",
      "01/01/1940",
      "15/05/1995",
      "15/05/1996",
      "Chính thức",
      "0910000000",
      "Ấp 1, xã Xuân Đông",
      "Làm nông",
    ]);
  });

  it("refuses a zip bomb by the sizes it declares, without unpacking it", async () => {
    const bomb = await zipBombXlsx(60);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(await checkZip(bomb, XLSX_LIMITS)).toEqual({ ok: false, problem: "too-large" });
    expect(await readRosterTable(bomb)).toMatchObject({ ok: false, code: "IMPORT.FILE_UNPACKS_TOO_LARGE" });
  });

  it("refuses a zip bomb that lies about its sizes, stopping at the limit", async () => {
    const bomb = await zipBombXlsx(40, { lie: true });
    expect(await readRosterTable(bomb)).toMatchObject({ ok: false, code: "IMPORT.FILE_UNPACKS_TOO_LARGE" });
  });

  it("refuses an archive of too many entries", async () => {
    const entries = await unzipEntries(await rosterXlsx(1));
    const padded = [
      ...entries,
      ...Array.from({ length: XLSX_LIMITS.maxEntries }, (_, i) => ({
        name: `customXml/item${i}.xml`,
        data: Buffer.from("<a/>"),
      })),
    ];
    expect(await readRosterTable(zipOf(padded))).toMatchObject({ ok: false, code: "IMPORT.FILE_UNPACKS_TOO_LARGE" });
  });

  it(`refuses a sheet past ${MAX_SHEET_ROWS} rows or ${MAX_SHEET_COLUMNS} columns, rather than cut it`, async () => {
    expect(await readRosterTable(await rosterXlsx(MAX_SHEET_ROWS))).toMatchObject({
      ok: false,
      code: "IMPORT.SHEET_TOO_LARGE",
    });
    const entries = await unzipEntries(await rosterXlsx(1));
    const sheet = entries.find((e) => e.name === "xl/worksheets/sheet1.xml")!;
    sheet.data = Buffer.from(
      sheet.data
        .toString("utf8")
        .replace("</sheetData>", `<row r="3"><c r="AZ3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>`),
    );
    expect(await readRosterTable(zipOf(entries))).toMatchObject({ ok: false, code: "IMPORT.SHEET_TOO_LARGE" });
  });

  it("says a damaged archive cannot be read", async () => {
    expect(await readRosterTable(Buffer.from("PK\u0003\u0004 not really a zip"))).toMatchObject({
      ok: false,
      code: "IMPORT.FILE_UNREADABLE",
    });
  });
});

describe("a roster CSV", () => {
  const csv = (lines: string[]) => Buffer.from(lines.join("\n"), "utf8");

  it("reads rows and keeps within the limits", async () => {
    const table = await readRosterTable(csv([ROSTER_HEADER.join(","), "Nguyễn Văn A,01/01/1970,,,,,,"]));
    expect(table).toMatchObject({
      ok: true,
      value: [ROSTER_HEADER, ["Nguyễn Văn A", "01/01/1970", "", "", "", "", "", ""]],
    });
  });

  it("refuses too many rows, too many columns, or one endless record", async () => {
    const many = Array.from({ length: MAX_SHEET_ROWS + 5 }, (_, i) => `Người ${i},01/01/1970`);
    expect(await readRosterTable(csv([ROSTER_HEADER.join(","), ...many]))).toMatchObject({
      ok: false,
      code: "IMPORT.SHEET_TOO_LARGE",
    });
    expect(
      await readRosterTable(csv([Array.from({ length: MAX_SHEET_COLUMNS + 1 }, (_, i) => `c${i}`).join(",")])),
    ).toMatchObject({ ok: false, code: "IMPORT.SHEET_TOO_LARGE" });
    expect(await readRosterTable(csv([ROSTER_HEADER.join(","), `"${"x".repeat(100_000)}`]))).toMatchObject({
      ok: false,
      code: "IMPORT.SHEET_TOO_LARGE",
    });
  });
});
