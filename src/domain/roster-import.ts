// Bulk import of a branch roster from a table (rows of cells read from CSV or XLSX). Pure: the table in,
// a preview out, with every row's problems, so the secretary sees all errors at once and nothing is
// written unless every row is valid.
import { foldVietnamese } from "./names.js";
import {
  checkMemberFacts,
  parseFreeText,
  parseFullName,
  parseMemberDate,
  parseMemberKind,
  parsePhone,
  type FieldProblem,
  type MemberFacts,
} from "./members.js";
import type { IsoDate } from "./dates.js";

export const IMPORT_COLUMNS = [
  "fullName",
  "birthDate",
  "joinDate",
  "officialDate",
  "kind",
  "phone",
  "residence",
  "workplace",
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Header spellings people use, folded (no accents, lower case, single spaces). */
const HEADER_ALIASES: Record<ImportColumn, string[]> = {
  fullName: ["ho va ten", "ho ten", "ten", "full name", "name", "ho va ten dang vien"],
  birthDate: ["ngay sinh", "ngay thang nam sinh", "birth date", "date of birth", "sinh ngay"],
  joinDate: ["ngay vao dang", "ngay ket nap", "vao dang", "join date"],
  officialDate: ["ngay chinh thuc", "ngay cong nhan chinh thuc", "chinh thuc ngay", "official date"],
  kind: ["loai", "loai dang vien", "chinh thuc/du bi", "kind"],
  phone: ["so dien thoai", "dien thoai", "sdt", "dt", "phone"],
  residence: ["noi cu tru", "cu tru", "dia chi", "noi o", "residence", "address"],
  workplace: ["noi lam viec", "don vi cong tac", "co quan", "workplace"],
};

export const MAX_IMPORT_ROWS = 300;

function foldHeader(cell: string): string {
  return foldVietnamese(cell.replace(/^\uFEFF/, ""))
    .replace(/[.:*()]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export interface RowProblem {
  readonly column: ImportColumn | null;
  readonly problem: FieldProblem | "IMPORT.DUPLICATE_IN_FILE" | "IMPORT.ALREADY_ON_ROSTER";
}

export interface PreviewRow {
  /** 1-based line number in the file, header included, as a spreadsheet shows it. */
  readonly line: number;
  readonly facts: MemberFacts | null;
  readonly rawName: string;
  readonly problems: readonly RowProblem[];
}

export type ImportPreview =
  | { readonly ok: false; readonly problem: "IMPORT.NO_HEADER" | "IMPORT.NO_ROWS" | "IMPORT.TOO_MANY_ROWS"; readonly missing?: readonly ImportColumn[] }
  | { readonly ok: true; readonly rows: readonly PreviewRow[]; readonly validCount: number; readonly invalidCount: number };

/** Finds the header row (within the first 5) and maps each known column to its index. */
export function matchHeader(table: readonly (readonly string[])[]): { headerIndex: number; columns: Partial<Record<ImportColumn, number>> } | null {
  for (let index = 0; index < Math.min(5, table.length); index++) {
    const row = table[index] ?? [];
    const columns: Partial<Record<ImportColumn, number>> = {};
    row.forEach((cell, cellIndex) => {
      const folded = foldHeader(cell);
      for (const column of IMPORT_COLUMNS) {
        if (columns[column] === undefined && HEADER_ALIASES[column].includes(folded)) columns[column] = cellIndex;
      }
    });
    if (columns.fullName !== undefined) return { headerIndex: index, columns };
  }
  return null;
}

/**
 * Builds the preview. `existingNames` holds the folded full names with birth dates already on the
 * branch roster ("name|yyyy-MM-dd"), so a file sent twice is caught.
 */
export function previewRosterImport(
  table: readonly (readonly string[])[],
  today: IsoDate,
  existingKeys: ReadonlySet<string>,
): ImportPreview {
  const header = matchHeader(table);
  if (!header) return { ok: false, problem: "IMPORT.NO_HEADER", missing: ["fullName"] };
  const body = table
    .map((cells, index) => ({ cells, line: index + 1 }))
    .slice(header.headerIndex + 1)
    .filter(({ cells }) => cells.some((cell) => cell.trim().length > 0));
  if (body.length === 0) return { ok: false, problem: "IMPORT.NO_ROWS" };
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, problem: "IMPORT.TOO_MANY_ROWS" };

  const seen = new Set<string>();
  const rows = body.map(({ cells, line }) => {
    const cell = (column: ImportColumn): string => {
      const index = header.columns[column];
      return index === undefined ? "" : (cells[index] ?? "").trim();
    };
    const problems: RowProblem[] = [];
    const take = <T>(column: ImportColumn, parse: (raw: string) => { ok: true; value: T } | { ok: false; code: FieldProblem }, optional: boolean): T | null => {
      const raw = cell(column);
      if (raw === "" && optional) return null;
      const result = parse(raw);
      if (result.ok) return result.value;
      problems.push({ column, problem: result.code });
      return null;
    };
    const fullName = take("fullName", parseFullName, false);
    const birthDate = take("birthDate", (raw) => parseMemberDate(raw, today), true);
    const joinDate = take("joinDate", (raw) => parseMemberDate(raw, today), true);
    const officialDate = take("officialDate", (raw) => parseMemberDate(raw, today), true);
    const kindRaw = cell("kind");
    const kind = kindRaw === "" ? (officialDate ? "OFFICIAL" : joinDate ? "PROBATIONARY" : "OFFICIAL") : take("kind", parseMemberKind, false);
    const phone = take("phone", parsePhone, true);
    const residence = take("residence", parseFreeText, true);
    const workplace = take("workplace", parseFreeText, true);

    let facts: MemberFacts | null = null;
    if (problems.length === 0 && fullName && kind) {
      const checked = checkMemberFacts({ fullName, birthDate, joinDate, officialDate, kind, phone, residence, workplace });
      if (checked.ok) facts = checked.value;
      else problems.push({ column: null, problem: checked.code });
    }
    if (facts) {
      const key = rosterKey(facts.fullName, facts.birthDate);
      if (existingKeys.has(key)) problems.push({ column: null, problem: "IMPORT.ALREADY_ON_ROSTER" });
      else if (seen.has(key)) problems.push({ column: null, problem: "IMPORT.DUPLICATE_IN_FILE" });
      seen.add(key);
    }
    return { line, facts: problems.length === 0 ? facts : null, rawName: cell("fullName"), problems };
  });
  const invalidCount = rows.filter((row) => row.problems.length > 0).length;
  return { ok: true, rows, validCount: rows.length - invalidCount, invalidCount };
}

/** Identity of a roster entry for duplicate detection: folded name and birth date. */
export function rosterKey(fullName: string, birthDate: IsoDate | null): string {
  return `${foldVietnamese(fullName).replace(/\s+/g, " ").trim()}|${birthDate ?? ""}`;
}
