// Party dues (đảng phí): what a member owes each month, what they have paid, and the checks on what a
// secretary types. Pure: "this month" is an input, every figure is a parameter, and all money is whole
// đồng in integers (rates are basis points, so no floating-point ever touches an amount).
//
// Month keys live in dues-months.ts and the payment ledger in dues-ledger.ts; both are re-exported here so
// callers import dues from one place.
import type { IsoDate } from "./dates.js";
import { enumParser } from "./enum-values.js";
import { coverage, type LedgerEntry, type Timeliness } from "./dues-ledger.js";
import {
  addMonths,
  compareMonths,
  isMonthKey,
  monthKey,
  monthOfDate,
  monthsBetween,
  monthsOfYear,
  sortedMonths,
  yearOfMonth,
  type MonthKey,
} from "./dues-months.js";
import { fail, ok, type Outcome } from "./outcome.js";

export * from "./dues-months.js";
export * from "./dues-ledger.js";

export const WAGE_REGIONS = ["I", "II", "III", "IV"] as const;
/** The minimum-wage region (vùng) a commune belongs to; one deployment is one commune, so one region. */
export type WageRegion = (typeof WAGE_REGIONS)[number];

export type Sex = "MALE" | "FEMALE";

/**
 * The statutory retirement age by calendar year (Labour Code 2019, art. 169): `startAgeMonths` in
 * `startYear`, rising by `stepMonthsPerYear` each later year up to `finalAgeMonths`; `earlierAgeMonths`
 * before the schedule began. Ages are in months (60 years 3 months = 723).
 */
export interface RetirementSchedule {
  earlierAgeMonths: number;
  startYear: number;
  startAgeMonths: number;
  stepMonthsPerYear: number;
  finalAgeMonths: number;
}

/**
 * The share of the regional minimum wage paid by members without social insurance, from a month on (basis
 * points): QĐ 01-QĐ/TW 2026 sets 0.3% (0.2% at retirement age) in 2026–2027 and 0.5% (0.3%) from 01/01/2028.
 */
export interface OtherRateRule {
  from: MonthKey;
  otherRateBp: number;
  otherRetiredRateBp: number;
}

export interface DuesParameters {
  /** Rates in basis points (1/100 of a percent: 100 = 1%), integers so the arithmetic stays exact. */
  salaryRateBp: number;
  pensionRateBp: number;
  /** The "other" rates by the month they take effect, oldest first: the rule in force in a month applies to it. */
  otherRates: readonly OtherRateRule[];
  /** Flat monthly amount for students without income, đồng. */
  studentAmount: number;
  /** Monthly regional minimum wage per region, đồng, and the region of this deployment. */
  regionalMinimumWages: Readonly<Record<WageRegion, number>>;
  region: WageRegion;
  retirementAge: Readonly<Record<Sex, RetirementSchedule>>;
  /** Reductions the branch may grant, in percent, and for how many months at most. */
  reductionPercents: readonly number[];
  maxReductionMonths: number;
  /** Years of party membership after which a member is exempt from dues. */
  longMembershipYears: number;
  /** The largest believable monthly amount, đồng: anything above is a typing slip. */
  monthlyCap: number;
  /** How far past the current month a payment may reach. */
  maxMonthsAhead: number;
}

export const DEFAULT_DUES_PARAMETERS: DuesParameters = {
  salaryRateBp: 100,
  pensionRateBp: 50,
  otherRates: [
    { from: "2026-01", otherRateBp: 30, otherRetiredRateBp: 20 },
    { from: "2028-01", otherRateBp: 50, otherRetiredRateBp: 30 },
  ],
  studentAmount: 5_000,
  // Decree 293/2025/NĐ-CP, from 01/01/2026. They change every year or two: update here and in the README.
  regionalMinimumWages: { I: 5_310_000, II: 4_730_000, III: 4_140_000, IV: 3_700_000 },
  // Most rural communes are in region III or IV; each deployment must set its own.
  region: "IV",
  retirementAge: {
    MALE: {
      earlierAgeMonths: 60 * 12,
      startYear: 2021,
      startAgeMonths: 60 * 12 + 3,
      stepMonthsPerYear: 3,
      finalAgeMonths: 62 * 12,
    },
    FEMALE: {
      earlierAgeMonths: 55 * 12,
      startYear: 2021,
      startAgeMonths: 55 * 12 + 4,
      stepMonthsPerYear: 4,
      finalAgeMonths: 60 * 12,
    },
  },
  reductionPercents: [30, 50, 70],
  maxReductionMonths: 12,
  longMembershipYears: 50,
  monthlyCap: 5_000_000,
  maxMonthsAhead: 12,
};

/** The dues rates of members without social insurance by date, as /caidat and the README show them. */
export const DUES_RATE_SCHEDULE: readonly OtherRateRule[] = DEFAULT_DUES_PARAMETERS.otherRates;

/** The "other" rates in force in a month (the first rule for a month before any). */
export function otherRateIn(month: MonthKey, params: DuesParameters = DEFAULT_DUES_PARAMETERS): OtherRateRule {
  let found = params.otherRates[0]!;
  for (const rule of params.otherRates) if (compareMonths(rule.from, month) <= 0) found = rule;
  return found;
}

// ---------------------------------------------------------------------------------------------------
// Computing the monthly amount

/** What the member's dues are based on. */
export type DuesCategory =
  | { kind: "SALARY"; insuredSalary: number }
  | { kind: "PENSION"; pension: number }
  | { kind: "STUDENT" }
  /** Everyone else (farmers, traders, …): a share of the regional minimum wage; `regionalMinimumWage` overrides the deployment's. */
  | { kind: "OTHER"; atRetirementAge: boolean; regionalMinimumWage?: number };

/** numerator ÷ denominator rounded half up, for non-negative integers, without leaving the integers. */
function divideRoundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function wholeDong(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be whole đồng ≥ 0, got ${value}`);
  return value;
}

/** `base` × `rateBp` / 10 000, rounded half up to the đồng. */
function share(base: number, rateBp: number): number {
  const product = wholeDong(base, "base") * rateBp;
  if (!Number.isSafeInteger(product)) throw new RangeError(`base too large: ${base}`);
  return divideRoundHalfUp(product, 10_000);
}

/**
 * The monthly dues the rules suggest for a category, in whole đồng, rounded half up to the đồng (1% of
 * 4.876.550 = 48.765,5 -> 48.766). Why the đồng and not the thousand: the rules state percentages, and
 * rounding to 1.000 đ would move a member's dues by up to 500 đ a month away from them; the secretary
 * confirms the figure anyway and may settle on a rounder one. Half up because that is how people round
 * by hand, so the bot's figure matches a secretary's calculator.
 * For members without social insurance, the rate in force in `month` applies (0.3% in 2026–2027, 0.5% from
 * 2028). Throws on a negative or fractional base: amounts reach here already parsed.
 */
export function computeMonthlyDues(
  category: DuesCategory,
  params: DuesParameters = DEFAULT_DUES_PARAMETERS,
  month: MonthKey = params.otherRates[0]!.from,
): number {
  switch (category.kind) {
    case "SALARY":
      return share(category.insuredSalary, params.salaryRateBp);
    case "PENSION":
      return share(category.pension, params.pensionRateBp);
    case "STUDENT":
      return params.studentAmount;
    case "OTHER": {
      const wage = category.regionalMinimumWage ?? params.regionalMinimumWages[params.region];
      const rates = otherRateIn(month, params);
      return share(wage, category.atRetirementAge ? rates.otherRetiredRateBp : rates.otherRateBp);
    }
  }
}

/** The statutory retirement age in a calendar year, in months. */
export function retirementAgeMonthsIn(year: number, schedule: RetirementSchedule): number {
  if (year < schedule.startYear) return schedule.earlierAgeMonths;
  return Math.min(
    schedule.finalAgeMonths,
    schedule.startAgeMonths + schedule.stepMonthsPerYear * (year - schedule.startYear),
  );
}

/**
 * Whether a member is at or above retirement age in `month`, counting age in whole months from the birth
 * month (the month one reaches the age counts, as for retirement itself). Someone who reached the age of
 * their year stays retired even though next January's age is higher: that is why the previous year's
 * December is checked too (earlier years cannot matter, as age grows faster than the schedule).
 */
export function isAtRetirementAge(
  birthDate: IsoDate,
  sex: Sex,
  month: MonthKey,
  params: DuesParameters = DEFAULT_DUES_PARAMETERS,
): boolean {
  const schedule = params.retirementAge[sex];
  const birth = monthOfDate(birthDate);
  const year = yearOfMonth(month);
  const lastDecember = monthKey(year - 1, 12);
  return (
    monthsBetween(birth, month) >= retirementAgeMonthsIn(year, schedule) ||
    monthsBetween(birth, lastDecember) >= retirementAgeMonthsIn(year - 1, schedule)
  );
}

/** The first month of the long-membership exemption: the month the member completes N years in the party. */
export function longMembershipFrom(joinMonth: MonthKey, params: DuesParameters = DEFAULT_DUES_PARAMETERS): MonthKey {
  return addMonths(joinMonth, params.longMembershipYears * 12);
}

// ---------------------------------------------------------------------------------------------------
// What is due in a month

/** One setting of the monthly amount, in force from `effectiveMonth` until the next one. */
export interface DuesAmount {
  effectiveMonth: MonthKey;
  amount: number;
}

export const EXEMPTION_REASONS = ["LONG_MEMBERSHIP", "SOCIAL_PENSION", "POOR_HOUSEHOLD"] as const;
export type ExemptionReason = (typeof EXEMPTION_REASONS)[number];
/**
 * A payment would cover a month already paid (a double tap, a second secretary at the same moment): the
 * store throws it and the transaction rolls back, the use case tells the person.
 */
export class MonthAlreadyPaid extends Error {
  constructor(readonly memberId: number) {
    super(`a month of member ${memberId} is already paid`);
  }
}

/** A relief from dues: an exemption, or a reduction by a percentage. */
export const RELIEF_KINDS = ["EXEMPT", "REDUCED"] as const;
export type ReliefKind = (typeof RELIEF_KINDS)[number];
export const parseReliefKind = enumParser("dues relief kind", RELIEF_KINDS);
export const parseExemptionReason = enumParser("dues exemption reason", EXEMPTION_REASONS);
/** The reason a reduction's row records: one word for all (its percent says how much). */
export const REDUCTION_REASON = "REDUCTION";
export const parseReductionReason = enumParser("dues reduction reason", [REDUCTION_REASON]);
/** A relief's recorded reason: the exemption's reason, or REDUCTION. */
export type ReliefReason = ExemptionReason | typeof REDUCTION_REASON;

/** An approved exemption from dues (`to` null: until further notice) or a reduction, both by whole months. */
export type DuesRelief =
  | { kind: "EXEMPTION"; reason: ExemptionReason; from: MonthKey; to: MonthKey | null }
  | { kind: "REDUCTION"; percent: number; from: MonthKey; to: MonthKey };

export function reliefCovers(relief: DuesRelief, month: MonthKey): boolean {
  return compareMonths(relief.from, month) <= 0 && (relief.to === null || compareMonths(month, relief.to) <= 0);
}

/**
 * The amount in force in `month`: the setting with the latest effective month not after it. History is
 * in recording order, so of two settings for the same month the later one (a correction) wins.
 */
export function amountInEffect(month: MonthKey, history: readonly DuesAmount[]): number | null {
  let found: DuesAmount | null = null;
  for (const setting of history) {
    if (compareMonths(setting.effectiveMonth, month) > 0) continue;
    if (found === null || compareMonths(setting.effectiveMonth, found.effectiveMonth) >= 0) found = setting;
  }
  return found === null ? null : found.amount;
}

export interface MonthDues {
  month: MonthKey;
  /** The monthly amount in force, before any relief; null when none was ever set for this month. */
  amount: number | null;
  /** What the member owes for the month. */
  due: number;
  exempt: boolean;
  /** 0 when no reduction applies. */
  reductionPercent: number;
  /** No amount in force: due shows 0, but the secretary has a figure to set, not a member with nothing to pay. */
  unset: boolean;
}

/**
 * What is due for `month`. An exemption wins over any reduction; overlapping reductions do not stack,
 * the largest applies. A reduced amount is rounded half up to the đồng, like computed amounts.
 */
export function duesForMonth(
  month: MonthKey,
  history: readonly DuesAmount[],
  reliefs: readonly DuesRelief[],
): MonthDues {
  const amount = amountInEffect(month, history);
  // One pass over the reliefs, no intermediate arrays: computed for every member and month of a status.
  let exempt = false;
  let largestReduction = 0;
  for (const relief of reliefs) {
    if (!reliefCovers(relief, month)) continue;
    if (relief.kind === "EXEMPTION") exempt = true;
    else if (relief.kind === "REDUCTION") largestReduction = Math.max(largestReduction, relief.percent);
  }
  const reductionPercent = exempt ? 0 : largestReduction;
  const due =
    exempt || amount === null ? 0 : divideRoundHalfUp(wholeDong(amount, "amount") * (100 - reductionPercent), 100);
  return { month, amount, due, exempt, reductionPercent, unset: amount === null };
}

/** The sum due for a set of months: what a payment for them should come to. */
export function amountDueFor(
  months: readonly MonthKey[],
  history: readonly DuesAmount[],
  reliefs: readonly DuesRelief[],
): number {
  return sortedMonths(months).reduce((sum, month) => sum + duesForMonth(month, history, reliefs).due, 0);
}

// ---------------------------------------------------------------------------------------------------
// Amounts as people type them

export type AmountProblem = "DUES.AMOUNT_FORMAT" | "DUES.AMOUNT_NOT_POSITIVE" | "DUES.AMOUNT_OVER_CAP";

/** A figure in whole đồng that is believable: positive and not above `cap`. */
export function checkAmount(amount: number, cap: number): Outcome<number, AmountProblem> {
  if (!Number.isSafeInteger(amount)) return fail("DUES.AMOUNT_FORMAT");
  if (amount <= 0) return fail("DUES.AMOUNT_NOT_POSITIVE");
  if (amount > cap) return fail("DUES.AMOUNT_OVER_CAP", { cap });
  return ok(amount);
}

/** The cap for a payment of `monthCount` months: the monthly cap for each. */
export function paymentCap(monthCount: number, params: DuesParameters = DEFAULT_DUES_PARAMETERS): number {
  return params.monthlyCap * Math.max(1, monthCount);
}

const CURRENCY_SUFFIX = /(?:đồng|dong|vnđ|vnd|đ|d)$/;
const UNIT_VALUES: Readonly<Record<string, number>> = {
  k: 1_000,
  nghìn: 1_000,
  nghin: 1_000,
  ngàn: 1_000,
  ngan: 1_000,
  tr: 1_000_000,
  triệu: 1_000_000,
  trieu: 1_000_000,
};
/** "50k", "1,5tr", "1.5tr", "1tr5", "2k5": a number, an optional 1–2 digit fraction, a unit, an optional tail. */
const WITH_UNIT = /^(\d+)(?:[.,](\d{1,2}))?(k|nghìn|nghin|ngàn|ngan|tr|triệu|trieu)(\d{1,3})?$/;
/** "50000", "50.000", "1.500.000", "50,000": plain digits, or thousands groups with one kind of separator. */
const PLAIN = /^(?:\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+)$/;

/** The value of a sign-less, space-less amount, or null when it is not one; may be unsafe when huge. */
function amountValue(text: string): number | null {
  const bare = text.replace(CURRENCY_SUFFIX, "");
  if (PLAIN.test(bare)) return Number(bare.replace(/[.,]/g, ""));
  const match = WITH_UNIT.exec(bare);
  if (!match) return null;
  const [, whole, fraction, unitName, tail] = match;
  if (fraction !== undefined && tail !== undefined) return null;
  const unit = UNIT_VALUES[unitName!]!;
  let value = Number(whole) * unit;
  // unit is 1.000 or 1.000.000, so a fraction of at most two digits and a tail of at most three stay whole.
  if (fraction !== undefined) value += (Number(fraction) * unit) / 10 ** fraction.length;
  if (tail !== undefined) value += (Number(tail.padEnd(3, "0")) * unit) / 1_000;
  return value;
}

/**
 * An amount of đồng as a secretary types it. Accepted, spaces and case ignored, with or without a
 * trailing "đ", "đồng", "d", "dong", "VND"/"VNĐ":
 * - "50000", and thousands grouped with dots "50.000", "1.500.000" — the Vietnamese way;
 * - thousands grouped with commas "50,000" — the English-keyboard habit. In Vietnamese "," is the decimal
 *   mark, but đồng have no fractions, so "50,000" cannot mean fifty đồng and a comma before exactly three
 *   digits is read as grouping; one grouping mark only ("1.500,000" is refused);
 * - a unit: "50k", "50K", "50 nghìn"/"ngàn" (× 1.000), "1tr", "1 triệu" (× 1.000.000), with a decimal
 *   fraction of one or two digits in either mark ("1,5tr", "1.5tr", "2,5k"), or the spoken tail
 *   "1tr5" = 1.500.000, "2k5" = 2.500. Before a unit, a mark followed by three digits ("1.500k") is
 *   refused: it could be grouping or a fraction, a thousandfold difference.
 * Then the amount must be positive ("0", "-50000" say so rather than "bad format") and not above `cap`.
 */
export function parseAmount(
  raw: string,
  cap: number = DEFAULT_DUES_PARAMETERS.monthlyCap,
): Outcome<number, AmountProblem> {
  const text = raw.normalize("NFC").toLowerCase().replace(/\s+/g, "");
  const negative = /^[-−]/.test(text);
  const value = amountValue(negative ? text.slice(1) : text);
  if (value === null) return fail("DUES.AMOUNT_FORMAT");
  if (negative) return fail("DUES.AMOUNT_NOT_POSITIVE");
  // A run of digits too long to hold exactly is still a number, and certainly above any cap.
  if (!Number.isSafeInteger(value)) return fail("DUES.AMOUNT_OVER_CAP", { cap });
  return checkAmount(value, cap);
}

// ---------------------------------------------------------------------------------------------------
// Checks on months and reliefs

export type PaymentMonthsProblem =
  | "DUES.MONTHS_EMPTY"
  | "DUES.MONTH_FORMAT"
  | "DUES.MONTH_BEFORE_JOIN"
  | "DUES.MONTH_AFTER_LEAVING"
  | "DUES.MONTH_TOO_FAR_AHEAD";

/**
 * The months a payment may cover: the member's months on this branch's books, and not more than
 * `maxMonthsAhead` past the current month (paying a year ahead is allowed, further is a slip). Late
 * months are fine however old. `joinMonth` is the first month on the books (admission, or arrival for a
 * member transferred in; null: long before); `leftMonth` the last (the month of leaving is still owed
 * here, as the transfer letter states dues paid up to it). Returns the months sorted, without repeats.
 */
export function checkPaymentMonths(
  months: readonly MonthKey[],
  joinMonth: MonthKey | null,
  currentMonth: MonthKey,
  leftMonth: MonthKey | null = null,
  params: DuesParameters = DEFAULT_DUES_PARAMETERS,
): Outcome<MonthKey[], PaymentMonthsProblem> {
  if (months.length === 0) return fail("DUES.MONTHS_EMPTY");
  if (!months.every(isMonthKey)) return fail("DUES.MONTH_FORMAT");
  const sorted = sortedMonths(months);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (joinMonth !== null && compareMonths(first, joinMonth) < 0)
    return fail("DUES.MONTH_BEFORE_JOIN", { month: first, joinMonth });
  if (leftMonth !== null && compareMonths(last, leftMonth) > 0)
    return fail("DUES.MONTH_AFTER_LEAVING", { month: last, leftMonth });
  const latest = addMonths(currentMonth, params.maxMonthsAhead);
  if (compareMonths(last, latest) > 0)
    return fail("DUES.MONTH_TOO_FAR_AHEAD", { month: last, latest, max: params.maxMonthsAhead });
  return ok(sorted);
}

export type ReliefProblem =
  | "DUES.MONTH_FORMAT"
  | "DUES.PERIOD_ORDER"
  | "DUES.REDUCTION_PERCENT"
  | "DUES.REDUCTION_TOO_LONG"
  | "DUES.EXEMPTION_REASON";

/** A reduction: an allowed percent (30, 50, 70) for at most `maxReductionMonths` months, both ends included. */
export function checkReduction(
  reduction: { percent: number; from: MonthKey; to: MonthKey },
  params: DuesParameters = DEFAULT_DUES_PARAMETERS,
): Outcome<Extract<DuesRelief, { kind: "REDUCTION" }>, ReliefProblem> {
  const { percent, from, to } = reduction;
  if (!params.reductionPercents.includes(percent))
    return fail("DUES.REDUCTION_PERCENT", { allowed: params.reductionPercents.join("/") });
  if (!isMonthKey(from) || !isMonthKey(to)) return fail("DUES.MONTH_FORMAT");
  if (compareMonths(from, to) > 0) return fail("DUES.PERIOD_ORDER");
  if (monthsBetween(from, to) + 1 > params.maxReductionMonths)
    return fail("DUES.REDUCTION_TOO_LONG", { max: params.maxReductionMonths });
  return ok({ kind: "REDUCTION", percent, from, to });
}

/** An exemption: a known reason, from a month, until a month or (to null) until further notice. */
export function checkExemption(exemption: {
  reason: string;
  from: MonthKey;
  to: MonthKey | null;
}): Outcome<Extract<DuesRelief, { kind: "EXEMPTION" }>, ReliefProblem> {
  const { reason, from, to } = exemption;
  if (!(EXEMPTION_REASONS as readonly string[]).includes(reason)) return fail("DUES.EXEMPTION_REASON");
  if (!isMonthKey(from) || (to !== null && !isMonthKey(to))) return fail("DUES.MONTH_FORMAT");
  if (to !== null && compareMonths(from, to) > 0) return fail("DUES.PERIOD_ORDER");
  return ok({ kind: "EXEMPTION", reason: reason as ExemptionReason, from, to });
}

// ---------------------------------------------------------------------------------------------------
// A member's year

/**
 * NOT_MEMBER: not on this branch's books that month (before admission or arrival, after leaving).
 * EXEMPT: exempt from dues (shown even if money came in). PAID: a live payment covers it. NO_RATE: no amount
 * was set for the month yet: nothing is owed (the secretary has a figure to set). DEFERRED: inside an approved
 * temporary exemption (tạm miễn) still running: it may be paid late or ahead and is owed only once the
 * exemption is over. UNPAID: reached (≤ the current month), owed and not covered. NOT_YET_DUE: a later month
 * not paid ahead. The grace period before an unpaid month counts against a member is the rules' business,
 * not this sheet's (a deferred month's grace runs from the exemption's last month: see dueMonthOf).
 */
export type MonthState = "NOT_MEMBER" | "EXEMPT" | "PAID" | "NO_RATE" | "DEFERRED" | "UNPAID" | "NOT_YET_DUE";

/**
 * The months of an approved temporary exemption (tạm miễn: work away, illness, other): dues for them are
 * deferred (QĐ 01-QĐ/TW 2026) until the exemption is over, i.e. they are owed from the month after `to`.
 * A month counts as inside when the exemption covers any of its days.
 */
export interface Deferral {
  from: MonthKey;
  to: MonthKey;
}

/** The deferral a month falls in, if any (the one ending last when two touch the month). */
export function deferralOf(month: MonthKey, deferrals: readonly Deferral[]): Deferral | null {
  let found: Deferral | null = null;
  for (const d of deferrals) {
    if (
      compareMonths(d.from, month) <= 0 &&
      compareMonths(month, d.to) <= 0 &&
      (found === null || compareMonths(d.to, found.to) > 0)
    )
      found = d;
  }
  return found;
}

/**
 * The month whose grace decides when an unpaid month counts against the member: the month itself, or for a
 * deferred month the exemption's last month (owed once the exemption is over, after the usual grace).
 */
export function dueMonthOf(month: MonthKey, deferrals: readonly Deferral[]): MonthKey {
  return deferralOf(month, deferrals)?.to ?? month;
}

/** Whether a month is on the books: from `joinMonth` (admission or arrival) to `leftMonth`, both included. */
export function onBooksIn(month: MonthKey, joinMonth: MonthKey | null, leftMonth: MonthKey | null): boolean {
  return (
    (joinMonth === null || compareMonths(joinMonth, month) <= 0) &&
    (leftMonth === null || compareMonths(month, leftMonth) <= 0)
  );
}

/**
 * The state of one month of one member: the single decision every dues screen, reminder, rule, report and
 * export takes. `covered` says whether a live payment covers the month.
 */
export function monthStateOf(
  month: MonthKey,
  currentMonth: MonthKey,
  dues: MonthDues,
  covered: boolean,
  joinMonth: MonthKey | null,
  leftMonth: MonthKey | null,
  deferrals: readonly Deferral[],
): MonthState {
  if (!onBooksIn(month, joinMonth, leftMonth)) return "NOT_MEMBER";
  if (dues.exempt) return "EXEMPT";
  if (covered) return "PAID";
  if (dues.unset) return "NO_RATE";
  if (compareMonths(month, currentMonth) > 0) return "NOT_YET_DUE";
  if (deferrals.length > 0) {
    const deferral = deferralOf(month, deferrals);
    if (deferral !== null && compareMonths(currentMonth, deferral.to) <= 0) return "DEFERRED";
  }
  return "UNPAID";
}

export interface MonthStatus extends MonthDues {
  state: MonthState;
  /** Money the ledger puts on this month. */
  paid: number;
  /** PAID months only: how much the money falls short of what was due (0 when it does not). */
  shortfall: number;
  paidOn: IsoDate | null;
  timeliness: Timeliness | null;
}

export interface MemberYearStatus {
  year: number;
  months: MonthStatus[];
  /** Dues of the UNPAID months: what the member owes (never months before a rate, off the books, exempt or deferred). */
  owed: number;
  /** Dues of the months reached in which the member was on the books and not exempt. */
  expected: number;
  /** Money put on this year's months (paid ahead included): equals the ledger's total for the year. */
  paid: number;
  /** Sum of the PAID months' shortfalls: money to ask for, kept apart from `owed` as the months are paid. */
  shortfall: number;
}

/** A month a live payment covers, as the year sheet shows it. */
export interface PaidMonth {
  /** Money the live payments covering the month put on it. */
  amount: number;
  /** When the month became paid (the earliest receipt among them). */
  paidOn: IsoDate;
  timeliness: Timeliness;
}

/**
 * The dues sheet of one member for one calendar year. A month is owed only once reached and only while
 * the member is on the books: months before joining and after leaving are NOT_MEMBER, months after
 * `currentMonth` are not owed (they may be paid ahead). A paid month stays PAID even when the amount was
 * raised after it was paid ahead: the shortfall is shown, the month is not turned back to unpaid.
 */
export function memberYearStatus(
  year: number,
  currentMonth: MonthKey,
  history: readonly DuesAmount[],
  reliefs: readonly DuesRelief[],
  ledger: readonly LedgerEntry[],
  joinMonth: MonthKey | null,
  leftMonth: MonthKey | null,
  deferrals: readonly Deferral[] = [],
): MemberYearStatus {
  return yearStatusOf(year, currentMonth, history, reliefs, coverage(ledger).months, joinMonth, leftMonth, deferrals);
}

/**
 * The year sheet from the months live payments cover, however they were found: by replaying the
 * member's ledger (memberYearStatus), or read for a whole branch from the month claims the ledger keeps.
 */
export function yearStatusOf(
  year: number,
  currentMonth: MonthKey,
  history: readonly DuesAmount[],
  reliefs: readonly DuesRelief[],
  paidMonths: ReadonlyMap<MonthKey, PaidMonth>,
  joinMonth: MonthKey | null,
  leftMonth: MonthKey | null,
  deferrals: readonly Deferral[] = [],
): MemberYearStatus {
  const months: MonthStatus[] = [];
  let owed = 0;
  let expected = 0;
  let paid = 0;
  let shortfall = 0;
  // One pass building plain objects (no spreads, no filters): it runs for every member of a branch's year.
  for (const month of monthsOfYear(year)) {
    const dues = duesForMonth(month, history, reliefs);
    const cover = paidMonths.get(month);
    const money = cover === undefined ? 0 : cover.amount;
    const reached = compareMonths(month, currentMonth) <= 0;
    const state = monthStateOf(month, currentMonth, dues, cover !== undefined, joinMonth, leftMonth, deferrals);
    const due = state === "NOT_MEMBER" ? 0 : dues.due;
    const short = state === "PAID" ? Math.max(0, dues.due - money) : 0;
    months.push({
      month,
      amount: dues.amount,
      due,
      exempt: dues.exempt,
      reductionPercent: dues.reductionPercent,
      unset: dues.unset,
      state,
      shortfall: short,
      paid: money,
      paidOn: cover === undefined ? null : cover.paidOn,
      timeliness: cover === undefined ? null : cover.timeliness,
    });
    if (state === "UNPAID") owed += due;
    if (reached && (state === "PAID" || state === "UNPAID")) expected += due;
    paid += money;
    shortfall += short;
  }
  return { year, months, owed, expected, paid, shortfall };
}
