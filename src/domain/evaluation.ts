// The year-end evaluation (đánh giá, xếp loại đảng viên): which year is being evaluated on a given day,
// who is exempted for that year (not graded), the grades a branch may record, and the evidence sheet
// composed from recorded facts. The bot never grades: it lays out the evidence and records the grade the
// branch decided. Pure: "today" and every fact are inputs.
import { DateTime } from "luxon";
import { attendanceRate, countAttendance, monthOf, parseShortText, type MeetingKind } from "./attendance.js";
import { addDays, isoDateIn, type IsoDate } from "./dates.js";
import type { MemberYearStatus, MonthKey } from "./dues.js";
import type { MemberKind, MemberState } from "./members.js";
import { fail, ok, type Outcome } from "./outcome.js";

/** The four classifications of the Charter's guidance, best first, and "not graded" for exempted members. */
export const GRADES = ["EXCELLENT", "GOOD", "COMPLETED", "NOT_COMPLETED", "NOT_GRADED"] as const;
export type Grade = (typeof GRADES)[number];

export function isGrade(value: string): value is Grade {
  return (GRADES as readonly string[]).includes(value);
}

/** A grade's note (the branch's reasons, the meeting that decided it). */
export const MAX_EVALUATION_NOTE = 500;

/**
 * The last day ("MM-dd") on which the previous year's evaluation can still be completed. Branches grade
 * at their December meeting, but some finish in January or after Tết; by the end of the first quarter the
 * results have gone into the year's report and should no longer change, so the previous year closes then.
 */
export const EVALUATION_LATE_UNTIL = "03-31";

export interface EvaluationSeason {
  /** The year whose evaluation /danhgia shows: being graded when `open`, last year's (read-only) when not. */
  year: number;
  /** Grades for `year` may be recorded. */
  open: boolean;
  /** Open for the previous year only because its late period (to EVALUATION_LATE_UNTIL) has not ended. */
  late: boolean;
  /** This calendar year's opening day: when the next evaluation starts (or started). */
  opensOn: IsoDate;
  /** The last day grades for `year` can be recorded; null when closed. */
  closesOn: IsoDate | null;
}

/** The end of `year`'s late period: EVALUATION_LATE_UNTIL of the next year, or the eve of its opening if earlier. */
function lateEnd(year: number, opens: string): IsoDate {
  const late = `${year + 1}-${EVALUATION_LATE_UNTIL}`;
  const nextOpening = `${year + 1}-${opens}`;
  return nextOpening <= late ? addDays(nextOpening, -1) : late;
}

/**
 * Which evaluation a day belongs to, with `opens` the "MM-dd" of the evaluationOpens parameter:
 * - from this year's opening day to 31/12: this year's evaluation is open;
 * - before it, up to EVALUATION_LATE_UNTIL: last year's evaluation is still open (late completion) — the
 *   late period ends earlier if this year's opening comes first, so two years are never open at once;
 * - otherwise closed: the committee may still read last year's results, nobody can change them.
 */
export function evaluationSeason(today: IsoDate, opens: string): EvaluationSeason {
  const year = Number(today.slice(0, 4));
  const opensOn = `${year}-${opens}`;
  if (today >= opensOn) return { year, open: true, late: false, opensOn, closesOn: lateEnd(year, opens) };
  if (today <= `${year}-${EVALUATION_LATE_UNTIL}`)
    return { year: year - 1, open: true, late: true, opensOn, closesOn: lateEnd(year - 1, opens) };
  return { year: year - 1, open: false, late: false, opensOn, closesOn: null };
}

// ---------------------------------------------------------------------------------------------------------------
// Exempted for the year

/** Days under exemption from party work and meetings; both ends inclusive, `to` null while it lasts. */
export interface ExemptionSpan {
  from: IsoDate;
  to: IsoDate | null;
}

export interface ExemptionFacts {
  /** The member's state on the roster now, and since when. */
  state: MemberState;
  stateSince: IsoDate | null;
  /** Approved temporary exemptions (tạm miễn), with the real end of those ended early. */
  spans: readonly ExemptionSpan[];
}

export interface YearExemption {
  /** Not graded for the year. */
  exempted: boolean;
  /** Days of the year under an exemption (overlaps counted once). */
  days: number;
  daysInYear: number;
  /** Exempted by the branch without an end (Member.state EXEMPT: age, health), since this day if known. */
  permanentSince: IsoDate | null;
  permanent: boolean;
  /** The months (1–12) an exemption touched, for the note beside a member graded anyway. */
  months: number[];
}

const day = (iso: IsoDate) => DateTime.fromISO(iso, { zone: "UTC" });

/**
 * The days an exemption request really covered: an APPROVED one its approved dates; an ENDED one up to the
 * day before it was ended, when that came before its planned end (the member was back from that day on).
 * Any other state covers nothing.
 */
export function exemptionSpanOf(request: {
  state: string;
  fromDate: IsoDate;
  toDate: IsoDate;
  endedOn: IsoDate | null;
}): ExemptionSpan | null {
  if (request.state === "APPROVED") return { from: request.fromDate, to: request.toDate };
  if (request.state !== "ENDED") return null;
  const lastDay = request.endedOn === null ? request.toDate : addDays(request.endedOn, -1);
  const to = lastDay < request.toDate ? lastDay : request.toDate;
  return to < request.fromDate ? null : { from: request.fromDate, to };
}

/** exemptionSpanOf for a stored request, whose ending is an instant (`endedAt`): ended on its day in the zone. */
export function exemptionSpanOfRow(
  row: { state: string; fromDate: IsoDate; toDate: IsoDate; endedAt: Date | null },
  timeZone: string,
): ExemptionSpan | null {
  return exemptionSpanOf({
    state: row.state,
    fromDate: row.fromDate,
    toDate: row.toDate,
    endedOn: row.endedAt ? isoDateIn(row.endedAt, timeZone) : null,
  });
}

/**
 * Whether a member is exempted for `year` and so is not graded. The Charter's guidance does not grade
 * members exempted from party work and meetings; a member exempted for a few weeks of the year is still
 * graded on the rest. The rule: a member is exempted for the year when exemptions cover MORE THAN HALF of
 * the year's days — approved temporary exemptions (as approved, or up to the day they were ended early)
 * and, for a member the branch exempted without an end (Member.state EXEMPT), every day from `stateSince`
 * (the whole year when that day is unknown). Days are counted once where exemptions overlap.
 */
export function exemptionForYear(year: number, facts: ExemptionFacts): YearExemption {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const permanent = facts.state === "EXEMPT";
  const spans: ExemptionSpan[] = [...facts.spans];
  if (permanent) spans.push({ from: facts.stateSince ?? first, to: null });
  // Clip to the year, drop what lies outside it, then merge overlaps so a day counts once.
  const clipped = spans
    .map((s) => ({ from: s.from < first ? first : s.from, to: s.to === null || s.to > last ? last : s.to }))
    .filter((s) => s.from <= s.to)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  let days = 0;
  let current: { from: IsoDate; to: IsoDate } | null = null;
  const flush = () => {
    if (current) days += day(current.to).diff(day(current.from), "days").days + 1;
  };
  for (const span of clipped) {
    if (current && span.from <= addDays(current.to, 1)) {
      if (span.to > current.to) current = { from: current.from, to: span.to };
    } else {
      flush();
      current = span;
    }
  }
  flush();
  const daysInYear = day(last).ordinal;
  const months = [
    ...new Set(
      clipped.flatMap((s) =>
        Array.from(
          { length: Number(s.to.slice(5, 7)) - Number(s.from.slice(5, 7)) + 1 },
          (_, i) => Number(s.from.slice(5, 7)) + i,
        ),
      ),
    ),
  ].sort((a, b) => a - b);
  return {
    exempted: days * 2 > daysInYear,
    days: Math.round(days),
    daysInYear,
    permanent,
    permanentSince: permanent ? (facts.stateSince ?? null) : null,
    months,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Grades

export type GradeProblem = "EVALUATION.GRADE_INVALID" | "EVALUATION.EXEMPT_NOT_GRADED" | "EVALUATION.REASON_REQUIRED";

/**
 * Whether a member was admitted to the Party less than `gradingMinMonths` (6) months before the year's
 * evaluation (its opening day, `evaluationOpens`): such a member writes the self-review but is not graded
 * (HD 21-HD/BTCTW 2019; a parameter, to check against the 2025 guidance).
 */
export function admittedTooRecently(
  joinDate: IsoDate | null,
  year: number,
  params: { evaluationOpens: string; gradingMinMonths: number },
): boolean {
  if (joinDate === null) return false;
  const evaluation = day(`${year}-${params.evaluationOpens}`);
  return joinDate > (evaluation.minus({ months: params.gradingMinMonths }).toISODate() as IsoDate);
}

/** The grades a branch may record for a member: exempted members only "not graded". */
export function gradesFor(exempted: boolean): Grade[] {
  return exempted ? ["NOT_GRADED"] : [...GRADES];
}

/**
 * Checks a grade the branch decided. An exempted member can only be NOT_GRADED. A member who is not
 * exempted may still be left NOT_GRADED (long illness, admitted in the last weeks of the year: cases the
 * guidance leaves to the branch), but then the note must say why.
 */
export function checkGrade(grade: string, exempted: boolean, note: string | null): Outcome<Grade, GradeProblem> {
  if (!isGrade(grade)) return fail("EVALUATION.GRADE_INVALID");
  if (exempted && grade !== "NOT_GRADED") return fail("EVALUATION.EXEMPT_NOT_GRADED");
  if (!exempted && grade === "NOT_GRADED" && !note) return fail("EVALUATION.REASON_REQUIRED");
  return ok(grade);
}

export function parseEvaluationNote(raw: string): Outcome<string, "TEXT.EMPTY" | "TEXT.TOO_LONG"> {
  return parseShortText(raw, MAX_EVALUATION_NOTE);
}

export type GradeCounts = Record<Grade, number>;

export function emptyGradeCounts(): GradeCounts {
  return { EXCELLENT: 0, GOOD: 0, COMPLETED: 0, NOT_COMPLETED: 0, NOT_GRADED: 0 };
}

export interface TallyLine {
  branchId: number;
  branchName: string;
  /** Members listed for the year (on the roster, joined by the year's end). */
  members: number;
  grades: GradeCounts;
  /** Members listed with nothing recorded yet. */
  pending: number;
}

/** Sums a tally's lines into the committee's totals row. */
export function tallyTotals(lines: readonly TallyLine[]): { members: number; grades: GradeCounts; pending: number } {
  const grades = emptyGradeCounts();
  let members = 0;
  let pending = 0;
  for (const line of lines) {
    members += line.members;
    pending += line.pending;
    for (const grade of GRADES) grades[grade] += line.grades[grade];
  }
  return { members, grades, pending };
}

// ---------------------------------------------------------------------------------------------------------------
// The evidence sheet

/**
 * Who reads a sheet: "full" for the branch's officers and the committee (every finding with the decision
 * taken on it, residence comments matched by name); "own" for a member reading their own sheet, which
 * holds only what the member was already told (see MEMBER_EVIDENCE_RULES) and nothing attributed by name.
 */
export type SheetView = "full" | "own";

/** A residence comment (QĐ 213) on a contact whose name is the member's: the name is the only link. */
export interface ResidenceComment {
  branchName: string;
  workplaceOrg: string;
  text: string;
}

/**
 * The residence comments as a sheet shows them:
 * - "hidden": the member's own view — a comment matched only by name may be about somebody else;
 * - "byName": the comments on contacts named exactly like the member (maybe none), for officers to check;
 * - "namesakes": two or more members on the commune's roster bear that name, so the comments cannot be
 *   attributed to either of them; only how many there are is shown.
 */
export type ResidenceView =
  | { kind: "hidden" }
  | { kind: "byName"; comments: readonly ResidenceComment[] }
  | { kind: "namesakes"; comments: number; namesakes: number };

export interface EvidenceFacts {
  year: number;
  /** Who reads the sheet: decides which findings and residence comments it holds. */
  view: SheetView;
  today: IsoDate;
  member: { id: number; fullName: string; kind: MemberKind; branchName: string };
  exemption: ExemptionFacts;
  /** The day of admission when it came too late in the year to be graded (admittedTooRecently), else null. */
  admittedRecently?: IsoDate | null;
  /** The member's attendance rows at meetings dated in the year. */
  attendance: readonly {
    kind: MeetingKind;
    date: IsoDate;
    status: "PRESENT" | "EXCUSED" | "UNEXCUSED" | "EXEMPT" | "TRANSFERRED";
    reason: string | null;
  }[];
  dues: MemberYearStatus;
  /** Tasks assigned at meetings, due in the year; `doneOn` the day they were marked done. */
  tasks: readonly { description: string; dueDate: IsoDate; doneOn: IsoDate | null }[];
  /** Every version of the year's self-review; `paper` for one handed in on paper (submittedOn: the day received). */
  selfReviews: readonly {
    version: number;
    submittedOn: IsoDate;
    hasText: boolean;
    fileName: string | null;
    reviewedOn: IsoDate | null;
    reviewComment: string | null;
    paper?: boolean;
  }[];
  selfReviewDue: IsoDate;
  /** Comments residence branches wrote for the year (QĐ 213) on contacts named exactly like the member. */
  residenceComments: readonly ResidenceComment[];
  /** Members on the commune's roster with exactly the member's full name, the member included. */
  namesakes: number;
  /** Rule findings about the member (or their tasks, exemptions, transfers) for the year. */
  findings: readonly {
    id: number;
    rule: string;
    period: string;
    severity: string;
    status: string;
    decision: string | null;
    note: string | null;
  }[];
}

export interface KindAttendance {
  expected: number;
  present: number;
}

export interface EvidenceSheet {
  year: number;
  member: EvidenceFacts["member"];
  exemption: YearExemption;
  /** Admitted too late in the year to be graded: the day of admission. */
  admittedRecently: IsoDate | null;
  meetings: {
    expected: number;
    present: number;
    excused: number;
    unexcused: number;
    /** Meetings the member was not expected at (exempted, temporarily transferred). */
    notExpected: number;
    /** present ÷ expected, null with nothing expected. */
    rate: number | null;
    byKind: Record<MeetingKind, KindAttendance>;
    /** Months (1–12) with an unexcused absence from the regular meeting. */
    unexcusedMonths: number[];
  };
  dues: {
    paid: number[];
    unpaid: number[];
    exempt: number[];
    notYetDue: number[];
    /** Money put on the year's months. */
    paidAmount: number;
    owed: number;
  };
  tasks: {
    total: number;
    done: number;
    /** Done, but after the due date. */
    doneLate: number;
    /** Past due and not done. */
    overdue: { description: string; dueDate: IsoDate }[];
    /** Not done, not yet due. */
    open: number;
  };
  selfReview: {
    versions: number;
    submittedOn: IsoDate;
    late: boolean;
    hasText: boolean;
    fileName: string | null;
    reviewedOn: IsoDate | null;
    reviewComment: string | null;
    /** Present (true) when the first version, the one the deadline is judged on, was handed in on paper. */
    onPaper?: true;
  } | null;
  selfReviewDue: IsoDate;
  residence: ResidenceView;
  alerts: {
    open: number;
    handled: number;
    resolved: number;
    items: EvidenceFacts["findings"];
  };
}

const monthIndex = (month: MonthKey) => Number(month.slice(5, 7));

/** Composes the evidence sheet: counts and month lists, nothing judged. */
export function composeEvidence(facts: EvidenceFacts): EvidenceSheet {
  const counts = countAttendance(facts.attendance.map((r) => r.status));
  const kindCounts = (kind: MeetingKind): KindAttendance => {
    const { expected, present } = countAttendance(facts.attendance.filter((r) => r.kind === kind).map((r) => r.status));
    return { expected, present };
  };
  const byKind: Record<MeetingKind, KindAttendance> = {
    REGULAR: kindCounts("REGULAR"),
    THEMATIC: kindCounts("THEMATIC"),
    EXTRAORDINARY: kindCounts("EXTRAORDINARY"),
  };
  // What the removal rule counts: months with an unexcused absence from the regular meeting.
  const unexcusedMonths = [
    ...new Set(
      facts.attendance
        .filter((r) => r.kind === "REGULAR" && r.status === "UNEXCUSED")
        .map((r) => Number(monthOf(r.date).slice(5))),
    ),
  ].sort((a, b) => a - b);

  const monthsIn = (state: string) =>
    facts.dues.months.filter((m) => m.state === state).map((m) => monthIndex(m.month));

  const tasks = [...facts.tasks].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  const done = tasks.filter((t) => t.doneOn !== null);

  const versions = [...facts.selfReviews].sort((a, b) => a.version - b.version);
  const latest = versions[versions.length - 1];
  const first = versions[0];

  const own = facts.view === "own";
  // The member's own view: only findings the member was sent, and never the decision taken on them (the
  // committee's or branch's deliberation, e.g. a proposal to remove the name, is not the member's to read).
  const alerts = [...facts.findings]
    .filter((f) => !own || (MEMBER_EVIDENCE_RULES as readonly string[]).includes(f.rule))
    .map((f) => (own ? { ...f, decision: null, note: null } : f))
    .sort((a, b) => a.id - b.id);
  return {
    year: facts.year,
    member: facts.member,
    exemption: exemptionForYear(facts.year, facts.exemption),
    admittedRecently: facts.admittedRecently ?? null,
    meetings: {
      expected: counts.expected,
      present: counts.present,
      excused: counts.excused,
      unexcused: counts.unexcused,
      notExpected: counts.notExpected,
      rate: attendanceRate(counts),
      byKind,
      unexcusedMonths,
    },
    dues: {
      paid: monthsIn("PAID"),
      unpaid: monthsIn("UNPAID"),
      exempt: monthsIn("EXEMPT"),
      notYetDue: monthsIn("NOT_YET_DUE"),
      paidAmount: facts.dues.paid,
      owed: facts.dues.owed,
    },
    tasks: {
      total: tasks.length,
      done: done.length,
      doneLate: done.filter((t) => t.doneOn! > t.dueDate).length,
      overdue: tasks
        .filter((t) => t.doneOn === null && t.dueDate < facts.today)
        .map((t) => ({ description: t.description, dueDate: t.dueDate })),
      open: tasks.filter((t) => t.doneOn === null && t.dueDate >= facts.today).length,
    },
    selfReview:
      latest && first
        ? {
            versions: versions.length,
            // The first sending is what the deadline is judged on; later versions replace its content.
            submittedOn: first.submittedOn,
            late: first.submittedOn > facts.selfReviewDue,
            hasText: latest.hasText,
            fileName: latest.fileName,
            reviewedOn: latest.reviewedOn ?? versions.findLast((v) => v.reviewedOn !== null)?.reviewedOn ?? null,
            reviewComment:
              latest.reviewComment ?? versions.findLast((v) => v.reviewComment !== null)?.reviewComment ?? null,
            ...(first.paper ? { onPaper: true as const } : {}),
          }
        : null,
    selfReviewDue: facts.selfReviewDue,
    residence: residenceView(facts),
    alerts: {
      open: alerts.filter((f) => f.status === "OPEN").length,
      handled: alerts.filter((f) => f.status === "HANDLED").length,
      resolved: alerts.filter((f) => f.status === "RESOLVED").length,
      items: alerts,
    },
  };
}

/** How the residence comments appear: never in the member's own view, never when the name is ambiguous. */
function residenceView(facts: EvidenceFacts): ResidenceView {
  if (facts.view === "own") return { kind: "hidden" };
  if (facts.namesakes >= 2 && facts.residenceComments.length > 0)
    return { kind: "namesakes", comments: facts.residenceComments.length, namesakes: facts.namesakes };
  return { kind: "byName", comments: facts.residenceComments };
}

/**
 * Rules whose findings are evidence about a member's own conduct. R11 (probation ending) is a reminder to
 * the branch, and R3, R4 and R12 are about the branch or a meeting, so they are not on anyone's sheet.
 * R7 (an exemption ending or ended) says when an approved exemption runs out, nothing about how the member
 * behaved; the exemption itself counts through the "exempted" status, not as an alert.
 */
export const EVIDENCE_RULES = [
  "R1_ABSENCE",
  "R2_DUES",
  "R5_EXCUSED_STREAK",
  "R6_TRANSFER_OVERDUE",
  "R8_SELF_REVIEW_MISSING",
  "R9_CHECKIN_MISSING",
  "R10_TASK_OVERDUE",
] as const;

/**
 * Of EVIDENCE_RULES, those whose findings are always sent to the member (their audience includes "member"
 * at every severity: see src/domain/rules/r8-self-review.ts, r9-checkin.ts, r10-task-overdue.ts). A member's
 * own sheet shows only these: R1, R2, R5 and R6 go to the branch and the committee, never to the member.
 */
export const MEMBER_EVIDENCE_RULES = [
  "R8_SELF_REVIEW_MISSING",
  "R9_CHECKIN_MISSING",
  "R10_TASK_OVERDUE",
] as const satisfies readonly (typeof EVIDENCE_RULES)[number][];

/**
 * Whether a finding's period concerns `year`. Periods are a year ("2026"), a month ("2026-03"), a day
 * ("2026-03-15"), a quarter ("2026-Q1") or a rolling window ("2025-04..2026-03"): a window concerns every
 * year it touches.
 */
export function periodTouchesYear(period: string, year: number): boolean {
  const [start, end = start] = period.split("..");
  const from = Number(start!.slice(0, 4));
  const to = Number(end!.slice(0, 4));
  return Number.isInteger(from) && Number.isInteger(to) && from <= year && year <= to;
}

/** Month numbers as runs for reading: [1, 2, 3, 5, 7, 8] -> [[1, 3], [5, 5], [7, 8]]. */
export function monthRuns(months: readonly number[]): [number, number][] {
  const sorted = [...new Set(months)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const month of sorted) {
    const last = runs[runs.length - 1];
    if (last && month === last[1] + 1) last[1] = month;
    else runs.push([month, month]);
  }
  return runs;
}

/** A member listed for the year's evaluation, with their grade if recorded: a row of the committee's XLSX. */
export interface EvaluationListRow {
  branchId: number;
  branchName: string;
  memberId: number;
  fullName: string;
  kind: MemberKind;
  sortKey: string;
  evaluation: { grade: string; note: string | null; recordedAt: Date } | null;
}

export interface EvaluationTally {
  season: EvaluationSeason;
  lines: TallyLine[];
  totals: { members: number; grades: GradeCounts; pending: number };
}

export interface EvaluationExport extends EvaluationTally {
  committeeName: string;
  /** The Đảng bộ above the commune's, for the tally's first header line ("" when not set). */
  parentPartyName: string;
  /** The committee's secretary, who signs the tally; null leaves a dotted line. */
  signerName: string | null;
  place: string;
  today: IsoDate;
  /** Every member listed for the year (the tally's people), by branch then Vietnamese name order. */
  rows: EvaluationListRow[];
}
