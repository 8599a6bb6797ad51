// Roster entries: the facts a branch keeps about each party member, and the checks on what people type.
import { enumParser } from "./enum-values.js";
import { checkPastDate, parseTypedDate, type IsoDate } from "./dates.js";
import { monthOfDate, type MonthKey } from "./dues-months.js";
import { normalizeFullName } from "./names.js";
import { fail, ok, type Outcome } from "./outcome.js";

export const MEMBER_KINDS = ["OFFICIAL", "PROBATIONARY"] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];
export const parseStoredMemberKind = enumParser("member kind", MEMBER_KINDS);

export const MEMBER_STATES = ["ACTIVE", "EXEMPT", "TRANSFERRED_OUT", "REMOVED", "EXPELLED", "DECEASED"] as const;
export type MemberState = (typeof MEMBER_STATES)[number];
export const parseMemberState = enumParser("member state", MEMBER_STATES);
/**
 * States in which a person is no longer on the branch's active roster, in the order the officer is offered
 * them: transferred out (chuyển đi), name struck off the roll (xóa tên), expelled from the Party (khai trừ, a
 * disciplinary decision, not the same as xóa tên), deceased (từ trần).
 */
export const INACTIVE_STATES = [
  "TRANSFERRED_OUT",
  "REMOVED",
  "EXPELLED",
  "DECEASED",
] as const satisfies readonly MemberState[];
export type LeavingState = (typeof INACTIVE_STATES)[number];

export function isLeavingState(state: string): state is LeavingState {
  return (INACTIVE_STATES as readonly string[]).includes(state);
}

/** The paper behind a departure: the decision (xóa tên, khai trừ), the introduction letter (chuyển đi), or none. */
export function leavingPaper(state: LeavingState): "DECISION" | "LETTER" | null {
  if (state === "REMOVED" || state === "EXPELLED") return "DECISION";
  return state === "TRANSFERRED_OUT" ? "LETTER" : null;
}

export const MAX_DECISION_LENGTH = 40;

/** A decision or letter number as written on the paper ("15-QĐ/ĐU"): one line, at most 40 characters. */
export function parseDecisionNumber(raw: string): Outcome<string, "TEXT.EMPTY" | "TEXT.TOO_LONG"> {
  const text = raw.replace(/\s+/g, " ").trim();
  if (text.length === 0) return fail("TEXT.EMPTY");
  if (text.length > MAX_DECISION_LENGTH) return fail("TEXT.TOO_LONG", { max: MAX_DECISION_LENGTH });
  return ok(text);
}

/**
 * The day a member left: not in the future and not before they joined (or before 1900 when the join
 * date is unknown).
 */
export function checkLeavingDate(
  date: IsoDate,
  today: IsoDate,
  joinDate: IsoDate | null,
): Outcome<IsoDate, "DATE.FUTURE" | "DATE.TOO_OLD" | "MEMBER.LEFT_BEFORE_JOIN"> {
  if (joinDate && date < joinDate && date <= today) return fail("MEMBER.LEFT_BEFORE_JOIN", { earliest: joinDate });
  const checked = checkPastDate(date, today);
  if (!checked.ok) return fail(checked.problem as "DATE.FUTURE" | "DATE.TOO_OLD");
  return ok(date);
}

/** A departure is undone only by the officer who recorded it, on the same day. */
export function mayUndoLeaving(
  recorded: { byTelegramId: string | null; on: IsoDate },
  actorTelegramId: string,
  today: IsoDate,
): boolean {
  return recorded.byTelegramId === actorTelegramId && recorded.on === today;
}

export function isOnRoster(state: string): boolean {
  return !isLeavingState(state);
}

export interface MemberFacts {
  fullName: string;
  birthDate: IsoDate | null;
  joinDate: IsoDate | null;
  officialDate: IsoDate | null;
  kind: MemberKind;
  phone: string | null;
  residence: string | null;
  workplace: string | null;
}

export type MemberField = keyof MemberFacts;

export const MAX_NAME_LENGTH = 80;
export const MAX_TEXT_FIELD_LENGTH = 200;
/** A party member is at least 18 when admitted. */
const MIN_AGE_AT_JOIN = 18;

export type FieldProblem =
  | "MEMBER.NAME_EMPTY"
  | "MEMBER.NAME_TOO_LONG"
  | "MEMBER.NAME_INVALID"
  | "MEMBER.KIND_INVALID"
  | "MEMBER.PHONE_INVALID"
  | "MEMBER.TEXT_TOO_LONG"
  | "MEMBER.JOIN_BEFORE_ADULT"
  | "MEMBER.OFFICIAL_BEFORE_JOIN"
  | "DATE.FORMAT"
  | "DATE.IMPOSSIBLE"
  | "DATE.FUTURE"
  | "DATE.TOO_OLD";

export function parseFullName(raw: string): Outcome<string, FieldProblem> {
  const name = normalizeFullName(raw);
  if (name.length === 0) return fail("MEMBER.NAME_EMPTY");
  if (name.length > MAX_NAME_LENGTH) return fail("MEMBER.NAME_TOO_LONG", { max: MAX_NAME_LENGTH });
  // Letters (any script, with combining marks), spaces, hyphens and apostrophes; at least two words.
  if (!/^[\p{L}\p{M}][\p{L}\p{M}'’ -]*$/u.test(name) || name.split(" ").length < 2) return fail("MEMBER.NAME_INVALID");
  return ok(name);
}

export function parseMemberDate(raw: string, today: IsoDate): Outcome<IsoDate, FieldProblem> {
  const parsed = parseTypedDate(raw);
  if (!parsed.ok) return fail(parsed.problem);
  const range = checkPastDate(parsed.date, today);
  if (!range.ok) return fail(range.problem);
  return ok(parsed.date);
}

const KIND_WORDS: Record<string, MemberKind> = {
  "chinh thuc": "OFFICIAL",
  "chính thức": "OFFICIAL",
  ct: "OFFICIAL",
  official: "OFFICIAL",
  "du bi": "PROBATIONARY",
  "dự bị": "PROBATIONARY",
  db: "PROBATIONARY",
  probationary: "PROBATIONARY",
};

export function parseMemberKind(raw: string): Outcome<MemberKind, FieldProblem> {
  const kind = KIND_WORDS[raw.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ")];
  return kind ? ok(kind) : fail("MEMBER.KIND_INVALID");
}

/** Vietnamese phone numbers: 0xxxxxxxxx or +84xxxxxxxxx; spaces, dots and dashes are ignored. */
export function parsePhone(raw: string): Outcome<string, FieldProblem> {
  const compact = raw.replace(/[\s.()-]/g, "");
  // "+84 912…" and "+84 0912…" are both written; the national form has exactly one leading 0.
  const national = compact.startsWith("+84") ? `0${compact.slice(3).replace(/^0/, "")}` : compact;
  // Mobiles have 10 digits, landlines 11 (0 + area code + number); never two leading zeros.
  if (/^0[1-9]\d{8,9}$/.test(national)) return ok(national);
  return fail("MEMBER.PHONE_INVALID");
}

export function parseFreeText(raw: string): Outcome<string, FieldProblem> {
  const text = raw.replace(/\s+/g, " ").trim();
  if (text.length > MAX_TEXT_FIELD_LENGTH) return fail("MEMBER.TEXT_TOO_LONG", { max: MAX_TEXT_FIELD_LENGTH });
  return ok(text);
}

/** Cross-field checks once every field is known. */
export function checkMemberFacts(facts: MemberFacts): Outcome<MemberFacts, FieldProblem> {
  if (facts.birthDate && facts.joinDate) {
    const adultOn = `${Number(facts.birthDate.slice(0, 4)) + MIN_AGE_AT_JOIN}${facts.birthDate.slice(4)}`;
    if (facts.joinDate < adultOn) return fail("MEMBER.JOIN_BEFORE_ADULT");
  }
  if (facts.officialDate && facts.joinDate && facts.officialDate < facts.joinDate)
    return fail("MEMBER.OFFICIAL_BEFORE_JOIN");
  return ok(facts);
}

/** What decides when a roster entry is on its branch's books. */
export interface BookFacts {
  joinDate: string | null;
  /** The day the member arrived by transfer; null if always here. */
  arrivalDate: string | null;
  state: string;
  stateSince: string | null;
}

/**
 * The months a member is on this branch's books: from the later of admission and arrival (months before
 * arrival belong to the former branch) to the month of leaving the roster (still owed here: a transfer letter
 * states dues paid up to it), both included. `from` null: since before anything the bot holds; `to` null:
 * still on the roster. A member off the roster with no leaving date is taken as never on these books. The one
 * answer every dues screen, rule, reminder, report and export uses.
 */
export function bookSpanOf(member: BookFacts): { joinMonth: MonthKey | null; leftMonth: MonthKey | null } {
  const join = member.joinDate ? monthOfDate(member.joinDate) : null;
  const arrival = member.arrivalDate ? monthOfDate(member.arrivalDate) : null;
  const joinMonth = join === null ? arrival : arrival === null || join > arrival ? join : arrival;
  if (isOnRoster(member.state)) return { joinMonth, leftMonth: null };
  return member.stateSince
    ? { joinMonth, leftMonth: monthOfDate(member.stateSince) }
    : { joinMonth: NEVER_FROM, leftMonth: NEVER_TO };
}

/** An empty span (from after to): a member who left at an unknown time is on no month of these books. */
const NEVER_FROM = "9999-12";
const NEVER_TO = "0000-01";
