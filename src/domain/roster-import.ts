// Bulk import of a branch roster from a table (rows of cells read from CSV or XLSX). Pure: the table and the
// branch's roster in, a plan out. Each row is matched with the roster entries of the same name: a row is
// new, an update of one entry (filling its empty fields and showing the ones it changes), or a namesake the
// officer must choose for; rows with problems are listed, so the secretary sees every error at once and
// nothing is written unless every row is valid and every choice made.
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
  type MemberField,
} from "./members.js";
import {
  addMonths,
  amountInEffect,
  compareMonths,
  monthOfDate,
  parseAmount,
  parseTypedMonth,
  DEFAULT_DUES_PARAMETERS,
  type AmountProblem,
  type MonthKey,
} from "./dues.js";
import { parseTypedDate, type IsoDate } from "./dates.js";
import { addCalendarMonths } from "./rules/common.js";
import { DEFAULT_RULE_PARAMETERS } from "./rules/parameters.js";

/** The columns that describe the member. */
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
/** Optional columns that set the monthly dues amount from a month on. */
export const RATE_COLUMNS = ["duesAmount", "duesFrom"] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number] | (typeof RATE_COLUMNS)[number];
const ALL_COLUMNS: readonly ImportColumn[] = [...IMPORT_COLUMNS, ...RATE_COLUMNS];

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
  duesAmount: ["muc dang phi", "dang phi", "muc dong dang phi", "dang phi hang thang", "monthly dues", "dues"],
  duesFrom: ["tu thang", "ap dung tu thang", "dang phi tu thang", "from month", "dues from"],
};

export const MAX_IMPORT_ROWS = 300;

function foldHeader(cell: string): string {
  return foldVietnamese(cell.replace(/^\uFEFF/, ""))
    .replace(/[.:*()]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export type RowProblemCode =
  | FieldProblem
  | AmountProblem
  | "DUES.MONTH_FORMAT"
  | "DUES.MONTH_TOO_FAR_AHEAD"
  | "IMPORT.DUPLICATE_IN_FILE"
  | "IMPORT.ENTRY_ALREADY_CHOSEN"
  | "IMPORT.RATE_MONTH_WITHOUT_AMOUNT"
  | "IMPORT.KIND_UNKNOWN";

export interface RowProblem {
  readonly column: ImportColumn | null;
  readonly problem: RowProblemCode;
  /** The limit a problem names ("at most 80 characters"), in stored form. */
  readonly params?: Readonly<Record<string, string | number>>;
}

/** A roster entry as the import compares rows with it. */
export interface RosterEntry extends MemberFacts {
  readonly id: number;
  /** The entry's dues amounts by month, to tell whether the file changes the one in effect. */
  readonly rates: readonly { readonly effectiveMonth: MonthKey; readonly amount: number }[];
}

export interface FieldChange {
  readonly field: MemberField;
  readonly before: string | null;
  readonly after: string;
}

export interface ImportRate {
  readonly amount: number;
  readonly from: MonthKey;
}

/** What a row does: add an entry, update one (filling and changing fields), or wait for the officer's choice. */
export type RowPlan =
  | { readonly action: "create" }
  | {
      readonly action: "update";
      readonly memberId: number;
      readonly name: string;
      readonly fills: readonly FieldChange[];
      readonly changes: readonly FieldChange[];
      /** The values the fills and changes write, typed as the entry holds them. */
      readonly values: Partial<MemberFacts>;
      readonly rateChanged: boolean;
    }
  | { readonly action: "choose"; readonly candidates: readonly RosterEntry[] };

export interface PreviewRow {
  /** 1-based line number in the file, header included, as a spreadsheet shows it. */
  readonly line: number;
  readonly facts: MemberFacts | null;
  readonly rawName: string;
  readonly problems: readonly RowProblem[];
  /** Set when the row has no problem. */
  readonly plan: RowPlan | null;
  readonly rate: ImportRate | null;
}

export interface PreviewCounts {
  readonly created: number;
  readonly updated: number;
  /** Matched rows that change nothing (the same file sent again). */
  readonly unchanged: number;
  readonly choose: number;
  readonly invalid: number;
}

export type ImportPreview =
  | {
      readonly ok: false;
      readonly problem: "IMPORT.NO_HEADER" | "IMPORT.NO_ROWS" | "IMPORT.TOO_MANY_ROWS";
      readonly missing?: readonly ImportColumn[];
    }
  | {
      readonly ok: true;
      readonly rows: readonly PreviewRow[];
      readonly counts: PreviewCounts;
      readonly validCount: number;
      readonly invalidCount: number;
    };

/** The officer's answer for a namesake row (by its line): the roster entry it is, or 0 for a new entry. */
export type ImportChoices = Readonly<Record<number, number>>;

/** Finds the header row (within the first 5) and maps each known column to its index. */
export function matchHeader(
  table: readonly (readonly string[])[],
): { headerIndex: number; columns: Partial<Record<ImportColumn, number>> } | null {
  for (let index = 0; index < Math.min(5, table.length); index++) {
    const row = table[index] ?? [];
    const columns: Partial<Record<ImportColumn, number>> = {};
    row.forEach((cell, cellIndex) => {
      const folded = foldHeader(cell);
      for (const column of ALL_COLUMNS) {
        if (columns[column] === undefined && HEADER_ALIASES[column].includes(folded)) columns[column] = cellIndex;
      }
    });
    if (columns.fullName !== undefined) return { headerIndex: index, columns };
  }
  return null;
}

/**
 * Excel keeps a phone number typed without a text format as a number and drops its leading 0: a mobile
 * 0912345678 arrives as 912345678 (9 digits), a landline 02513812345 as 2513812345 (10 digits from 2).
 */
export function restoreLeadingZero(raw: string): string {
  const digits = raw.trim();
  return /^[1-9]\d{8}$/.test(digits) || /^2\d{9}$/.test(digits) ? `0${digits}` : raw;
}

/** "3/2026", "03/2026", "2026-03", or a date in the month (a spreadsheet date cell reads as dd/mm/yyyy). */
function parseRateMonth(raw: string): { ok: true; value: MonthKey } | { ok: false; code: "DUES.MONTH_FORMAT" } {
  const month = parseTypedMonth(raw);
  if (month.ok) return month;
  const date = parseTypedDate(raw);
  return date.ok ? { ok: true, value: monthOfDate(date.date) } : { ok: false, code: "DUES.MONTH_FORMAT" };
}

/** Names compared as people write them: composed, case-insensitive, single spaces; accents count. */
export function nameKey(fullName: string): string {
  return fullName.normalize("NFC").toLocaleLowerCase("vi").replace(/\s+/g, " ").trim();
}

const isPlain = (text: string) => foldVietnamese(text) === text.toLowerCase();

/** Same person's name: equal keys, or equal once accents are folded when one side was typed without any. */
function sameName(a: string, b: string): boolean {
  if (nameKey(a) === nameKey(b)) return true;
  return (isPlain(a) || isPlain(b)) && rosterKey(a, null) === rosterKey(b, null);
}

/** The entries a row may be, and what the row does when nobody has to choose. */
function matchRow(facts: MemberFacts, roster: readonly RosterEntry[]): RosterEntry | "create" | readonly RosterEntry[] {
  const namesakes = roster.filter((entry) => sameName(entry.fullName, facts.fullName));
  if (namesakes.length === 0) return "create";
  if (facts.birthDate) {
    const born = namesakes.filter((entry) => entry.birthDate === facts.birthDate);
    if (born.length === 1) return born[0]!;
    if (born.length > 1) return born;
    // An entry without a birth date (created by an invitation, say) is this row when it is the only namesake.
    if (namesakes.length === 1 && namesakes[0]!.birthDate === null) return namesakes[0]!;
    return namesakes;
  }
  return namesakes.length === 1 ? namesakes[0]! : namesakes;
}

const MERGED_FIELDS: readonly MemberField[] = [
  "birthDate",
  "joinDate",
  "officialDate",
  "kind",
  "phone",
  "residence",
  "workplace",
];

/** The fields a row fills (empty on the entry) and changes (different on the entry); the name is never changed. */
function differences(
  entry: RosterEntry,
  given: Partial<MemberFacts>,
): { fills: FieldChange[]; changes: FieldChange[]; values: Partial<MemberFacts> } {
  const fills: FieldChange[] = [];
  const changes: FieldChange[] = [];
  const values: Partial<MemberFacts> = {};
  for (const field of MERGED_FIELDS) {
    const after = given[field];
    if (after === undefined || after === null) continue;
    const before = entry[field];
    if (before !== null && before === after) continue;
    if (before === null) fills.push({ field, before: null, after });
    else changes.push({ field, before, after });
    copyField(values, given, field);
  }
  return { fills, changes, values };
}

function copyField<K extends MemberField>(to: Partial<MemberFacts>, from: Partial<MemberFacts>, field: K): void {
  to[field] = from[field];
}

/**
 * Builds the preview. `roster` holds the branch's entries on the roster; `choices` the officer's answers for
 * namesake rows so far. Rows are checked alone, then against the roster and each other.
 */
export function previewRosterImport(
  table: readonly (readonly string[])[],
  today: IsoDate,
  roster: readonly RosterEntry[],
  choices: ImportChoices = {},
): ImportPreview {
  const header = matchHeader(table);
  if (!header) return { ok: false, problem: "IMPORT.NO_HEADER", missing: ["fullName"] };
  const body = table
    .map((cells, index) => ({ cells, line: index + 1 }))
    .slice(header.headerIndex + 1)
    .filter(({ cells }) => cells.some((cell) => cell.trim().length > 0));
  if (body.length === 0) return { ok: false, problem: "IMPORT.NO_ROWS" };
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, problem: "IMPORT.TOO_MANY_ROWS" };

  const currentMonth = monthOfDate(today);
  const seen = new Set<string>();
  /** Roster entries a row already is, with that row's line. */
  const claimed = new Map<number, number>();
  const rows = body.map(({ cells, line }): PreviewRow => {
    const cell = (column: ImportColumn): string => {
      const index = header.columns[column];
      return index === undefined ? "" : (cells[index] ?? "").trim();
    };
    const problems: RowProblem[] = [];
    const take = <T>(
      column: ImportColumn,
      parse: (
        raw: string,
      ) =>
        | { ok: true; value: T }
        | { ok: false; code: RowProblemCode; params?: Readonly<Record<string, string | number>> },
      optional: boolean,
    ): T | null => {
      const raw = cell(column);
      if (raw === "" && optional) return null;
      const result = parse(raw);
      if (result.ok) return result.value;
      problems.push(
        result.params ? { column, problem: result.code, params: result.params } : { column, problem: result.code },
      );
      return null;
    };
    const fullName = take("fullName", parseFullName, false);
    const birthDate = take("birthDate", (raw) => parseMemberDate(raw, today), true);
    const joinDate = take("joinDate", (raw) => parseMemberDate(raw, today), true);
    const officialDate = take("officialDate", (raw) => parseMemberDate(raw, today), true);
    const kindRaw = cell("kind");
    // With the kind left empty, only what the dates prove is taken: an official date makes a full member, an
    // admission less than a probation ago a probationary one. An older admission with neither says nothing:
    // guessing "dự bị" would raise a false R11 (probation overdue), guessing "chính thức" could hide a real
    // one; a new entry must state it (an existing one keeps its own).
    const kindUnknown =
      kindRaw === "" &&
      !officialDate &&
      joinDate !== null &&
      addCalendarMonths(joinDate, DEFAULT_RULE_PARAMETERS.probationMonths) <= today;
    const kind =
      kindRaw === ""
        ? officialDate
          ? "OFFICIAL"
          : joinDate && !kindUnknown
            ? "PROBATIONARY"
            : "OFFICIAL"
        : take("kind", parseMemberKind, false);
    const phone = take("phone", (raw) => parsePhone(restoreLeadingZero(raw)), true);
    const residence = take("residence", parseFreeText, true);
    const workplace = take("workplace", parseFreeText, true);
    const amount = take("duesAmount", (raw) => parseAmount(raw, DEFAULT_DUES_PARAMETERS.monthlyCap), true);
    const from = take("duesFrom", parseRateMonth, true);
    if (from !== null && compareMonths(from, addMonths(currentMonth, DEFAULT_DUES_PARAMETERS.maxMonthsAhead)) > 0)
      problems.push({ column: "duesFrom", problem: "DUES.MONTH_TOO_FAR_AHEAD" });
    if (from !== null && amount === null && cell("duesAmount") === "")
      problems.push({ column: "duesAmount", problem: "IMPORT.RATE_MONTH_WITHOUT_AMOUNT" });
    const rate = amount === null ? null : { amount, from: from ?? currentMonth };

    let facts: MemberFacts | null = null;
    if (problems.length === 0 && fullName && kind) {
      const checked = checkMemberFacts({
        fullName,
        birthDate,
        joinDate,
        officialDate,
        kind,
        phone,
        residence,
        workplace,
      });
      if (checked.ok) facts = checked.value;
      else problems.push({ column: null, problem: checked.code });
    }
    // What the file states (an empty cell, or a kind inferred from the dates, states nothing).
    const given: Partial<MemberFacts> = {
      birthDate,
      joinDate,
      officialDate,
      phone,
      residence,
      workplace,
      ...(kindRaw === "" ? {} : { kind: kind ?? undefined }),
    };

    let plan: RowPlan | null = null;
    if (facts) {
      const key = rosterKey(facts.fullName, facts.birthDate);
      if (seen.has(key)) problems.push({ column: null, problem: "IMPORT.DUPLICATE_IN_FILE" });
      seen.add(key);
      const match = matchRow(facts, roster);
      const chosen = choices[line];
      const resolved =
        Array.isArray(match) && chosen !== undefined
          ? chosen === 0
            ? "create"
            : ((match as readonly RosterEntry[]).find((entry) => entry.id === chosen) ?? match)
          : match;
      if (resolved === "create" && kindUnknown) problems.push({ column: "kind", problem: "IMPORT.KIND_UNKNOWN" });
      if (resolved === "create") plan = { action: "create" };
      else if (Array.isArray(resolved)) plan = { action: "choose", candidates: resolved as readonly RosterEntry[] };
      else {
        const entry = resolved as RosterEntry;
        const other = claimed.get(entry.id);
        // Two rows that are one entry: chosen so by the officer (told which row has it), or the file's own duplicate.
        if (other !== undefined)
          problems.push(
            chosen === entry.id
              ? { column: null, problem: "IMPORT.ENTRY_ALREADY_CHOSEN", params: { line: other } }
              : { column: null, problem: "IMPORT.DUPLICATE_IN_FILE" },
          );
        else claimed.set(entry.id, line);
        const merged = checkMemberFacts({ ...pickFacts(entry), ...definedOf(given) });
        if (!merged.ok) problems.push({ column: null, problem: merged.code });
        const { fills, changes, values } = differences(entry, given);
        const rateChanged = rate !== null && amountInEffect(rate.from, entry.rates) !== rate.amount;
        plan = { action: "update", memberId: entry.id, name: entry.fullName, fills, changes, values, rateChanged };
      }
    }
    const valid = problems.length === 0;
    return {
      line,
      facts: valid ? facts : null,
      rawName: cell("fullName"),
      problems,
      plan: valid ? plan : null,
      rate: valid ? rate : null,
    };
  });
  const invalid = rows.filter((row) => row.problems.length > 0).length;
  const plans = rows.flatMap((row) => (row.plan ? [row.plan] : []));
  const isChange = (plan: RowPlan) =>
    plan.action === "update" && (plan.fills.length > 0 || plan.changes.length > 0 || plan.rateChanged);
  const counts: PreviewCounts = {
    created: plans.filter((plan) => plan.action === "create").length,
    updated: plans.filter(isChange).length,
    unchanged: plans.filter((plan) => plan.action === "update" && !isChange(plan)).length,
    choose: plans.filter((plan) => plan.action === "choose").length,
    invalid,
  };
  return { ok: true, rows, counts, validCount: rows.length - invalid, invalidCount: invalid };
}

function pickFacts(entry: RosterEntry): MemberFacts {
  const { fullName, birthDate, joinDate, officialDate, kind, phone, residence, workplace } = entry;
  return { fullName, birthDate, joinDate, officialDate, kind, phone, residence, workplace };
}

function definedOf(given: Partial<MemberFacts>): Partial<MemberFacts> {
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== null && value !== undefined));
}

/** Whether the preview can be written: no bad row, every namesake decided, something to do. */
export function readyToWrite(preview: ImportPreview & { ok: true }): boolean {
  const { counts } = preview;
  return counts.invalid === 0 && counts.choose === 0 && counts.created + counts.updated > 0;
}

/** Identity of a roster entry for duplicate detection within a file: folded name and birth date. */
export function rosterKey(fullName: string, birthDate: IsoDate | null): string {
  return `${foldVietnamese(fullName).replace(/\s+/g, " ").trim()}|${birthDate ?? ""}`;
}
