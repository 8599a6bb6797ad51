// Reads a roster file (CSV or XLSX) into a table of strings. The type is decided by the content
// (an XLSX file is a ZIP archive), not by the name a user gave it. CSV comes in whatever encoding and
// separator the office's spreadsheet program wrote (see text-encoding.ts); when the encoding cannot be told
// from the bytes, the answer says so with each reading, and the caller asks which one is right.
//
// Memory is bounded whatever the file holds: the file is at most 2 MB; an XLSX is checked before exceljs
// opens it (entries and unpacked sizes, zip-guard.ts), then read as a stream, row by row, stopping at the
// first row or column past the sheet's limits; a CSV stops there too, and a single record cannot grow past
// a fixed size. The largest roster allowed (MAX_IMPORT_ROWS rows) fits far inside these limits.
import { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse/sync";
import type ExcelJS from "exceljs";
import { loadExcel } from "./excel.js";
import { decodeText, isUnsure, type LegacyEncoding, type UnsureEncoding } from "./text-encoding.js";
import { checkZip, type ZipLimits } from "./zip-guard.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";

export type { LegacyEncoding, UnsureEncoding } from "./text-encoding.js";
export { LEGACY_ENCODINGS } from "./text-encoding.js";

export const MAX_ROSTER_FILE_BYTES = 2 * 1024 * 1024;

/**
 * What a roster spreadsheet may unpack to. A 300-row roster saved by Excel unpacks to about 0.3 MB in a dozen
 * entries: these leave room for pictures and formatting, not for a bomb.
 */
export const XLSX_LIMITS: ZipLimits = {
  maxEntries: 200,
  maxEntryBytes: 10 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
};
/** Rows and columns read from a sheet (blank rows count): past them the file is refused, not truncated. */
export const MAX_SHEET_ROWS = 1000;
export const MAX_SHEET_COLUMNS = 50;
/** Characters of one CSV record (a roster row is a few hundred). */
const MAX_CSV_RECORD_CHARS = 64 * 1024;

export type RosterFileProblem =
  | "IMPORT.FILE_TOO_LARGE"
  | "IMPORT.FILE_EMPTY"
  | "IMPORT.FILE_TYPE"
  | "IMPORT.FILE_UNREADABLE"
  | "IMPORT.FILE_UNPACKS_TOO_LARGE"
  | "IMPORT.SHEET_TOO_LARGE";

/** Thrown while streaming a sheet past its limits: stops the reader at once. */
class SheetTooLarge extends Error {}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The table in the file, or (a CSV in an 8-bit code page the bytes do not settle) its possible readings.
 * `encoding` is the code page the person chose after such an answer.
 */
export async function readRosterTable(
  content: Buffer,
  encoding?: LegacyEncoding,
): Promise<Outcome<string[][] | UnsureEncoding, RosterFileProblem>> {
  if (content.length === 0) return fail("IMPORT.FILE_EMPTY");
  if (content.length > MAX_ROSTER_FILE_BYTES) return fail("IMPORT.FILE_TOO_LARGE");
  if (content.subarray(0, 4).equals(ZIP_MAGIC)) return readXlsx(content);
  const decoded = decodeText(content, encoding);
  if (!decoded.ok) return decoded;
  if (isUnsure(decoded.value)) return ok(decoded.value);
  return readCsv(decoded.value.text);
}

export function isTable(read: string[][] | UnsureEncoding): read is string[][] {
  return Array.isArray(read);
}

const DELIMITERS = [",", ";", "\t"] as const;

/** The separator of the header line, quoted text aside: comma, semicolon (Vietnamese locales) or tab ("Unicode text"). */
export function delimiterOf(text: string): (typeof DELIMITERS)[number] {
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? "").replace(/"[^"]*"/g, "");
  const count = (delimiter: string) => firstLine.split(delimiter).length - 1;
  return DELIMITERS.reduce((best, delimiter) => (count(delimiter) > count(best) ? delimiter : best), DELIMITERS[0]);
}

function readCsv(text: string): Outcome<string[][], RosterFileProblem> {
  let rows: string[][];
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse types the records only with `columns`
    rows = parseCsv(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      to_line: MAX_SHEET_ROWS + 1,
      max_record_size: MAX_CSV_RECORD_CHARS,
    }) as string[][];
  } catch (error) {
    return fail(
      (error as { code?: string }).code === "CSV_MAX_RECORD_SIZE" ? "IMPORT.SHEET_TOO_LARGE" : "IMPORT.FILE_UNREADABLE",
    );
  }
  if (rows.length > MAX_SHEET_ROWS || rows.some((row) => row.length > MAX_SHEET_COLUMNS))
    return fail("IMPORT.SHEET_TOO_LARGE");
  return ok(rows);
}

async function readXlsx(content: Buffer): Promise<Outcome<string[][], RosterFileProblem>> {
  const zip = await checkZip(content, XLSX_LIMITS);
  if (!zip.ok) return fail(zip.problem === "unreadable" ? "IMPORT.FILE_UNREADABLE" : "IMPORT.FILE_UNPACKS_TOO_LARGE");
  const excel = await loadExcel();
  // Styles are read so that date cells come back as dates; hyperlinks and other sheets are not kept.
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from([content]), {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "emit",
  });
  const rows: string[][] = [];
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (row.number > MAX_SHEET_ROWS || row.cellCount > MAX_SHEET_COLUMNS) throw new SheetTooLarge();
        const cells: string[] = [];
        for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column).value));
        // Blank rows are kept (as empty) so that line numbers match the sheet's.
        while (rows.length < row.number - 1) rows.push([]);
        rows.push(cells);
      }
      break; // the first sheet only
    }
  } catch (error) {
    return fail(error instanceof SheetTooLarge ? "IMPORT.SHEET_TOO_LARGE" : "IMPORT.FILE_UNREADABLE");
  }
  if (sheets === 0) return fail("IMPORT.FILE_UNREADABLE");
  return ok(rows);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    // Spreadsheet dates carry no zone: read the calendar day as written.
    const day = String(value.getUTCDate()).padStart(2, "0");
    const month = String(value.getUTCMonth() + 1).padStart(2, "0");
    return `${day}/${month}/${value.getUTCFullYear()}`;
  }
  if (typeof value === "object") {
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("result" in value) return cellText(value.result);
    return "";
  }
  return String(value).normalize("NFC").trim();
}
