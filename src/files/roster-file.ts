// Reads a roster file (CSV or XLSX) into a table of strings. The type is decided by the content
// (an XLSX file is a ZIP archive), not by the name a user gave it. CSV comes in whatever encoding and
// separator the office's spreadsheet program wrote (see text-encoding.ts); when the encoding cannot be told
// from the bytes, the answer says so with each reading, and the caller asks which one is right.
import { parse as parseCsv } from "csv-parse/sync";
import type ExcelJS from "exceljs";
import { loadExcel } from "./excel.js";
import { decodeText, isUnsure, type LegacyEncoding, type UnsureEncoding } from "./text-encoding.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";

export type { LegacyEncoding, UnsureEncoding } from "./text-encoding.js";
export { LEGACY_ENCODINGS } from "./text-encoding.js";

export const MAX_ROSTER_FILE_BYTES = 2 * 1024 * 1024;

export type RosterFileProblem = "IMPORT.FILE_TOO_LARGE" | "IMPORT.FILE_EMPTY" | "IMPORT.FILE_TYPE" | "IMPORT.FILE_UNREADABLE";

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The table in the file, or (a CSV in an 8-bit code page the bytes do not settle) its possible readings.
 * `encoding` is the code page the person chose after such an answer.
 */
export async function readRosterTable(content: Buffer, encoding?: LegacyEncoding): Promise<Outcome<string[][] | UnsureEncoding, RosterFileProblem>> {
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
  try {
    const rows = parseCsv(text, { delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    return ok(rows);
  } catch {
    return fail("IMPORT.FILE_UNREADABLE");
  }
}

async function readXlsx(content: Buffer): Promise<Outcome<string[][], RosterFileProblem>> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    return fail("IMPORT.FILE_UNREADABLE");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return fail("IMPORT.FILE_UNREADABLE");
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column).value));
    rows.push(cells);
  });
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
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    return "";
  }
  return String(value).normalize("NFC").trim();
}
