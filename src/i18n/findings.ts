// A rule finding told in words: one sentence per rule that names the member (or the branch), the months or
// dates and what to do, in the reader's language. Never a raw field name, an id or an ISO date: facts are
// stored as plain values for the rules, and turned into text only here.
import { MEETING_KINDS } from "../domain/attendance.js";
import { TRANSFER_KINDS } from "../domain/away.js";
import { branchTitle } from "../domain/branches.js";
import type { RuleId, Severity } from "../domain/rules/types.js";
import { formatDate, formatMonth, formatPercent } from "./format.js";
import type { Catalog, Locale, MessageKey, Translate } from "./index.js";

/** A sentence of the catalog's findings.sentences: a name the catalog lacks does not compile. */
export type SentenceName = keyof Catalog["findings"]["sentences"];
/** A sentence of findings.toMember (a finding told to the member it is about). */
export type ToMemberName = keyof Catalog["findings"]["toMember"];

export const sentenceKey = (name: SentenceName): MessageKey => `findings.sentences.${name}`;
export const toMemberKey = (name: ToMemberName): MessageKey => `findings.toMember.${name}`;
/** The rule's name in alerts.rules: the catalog must name every rule, or this does not compile. */
export const ruleNameKey = (rule: RuleId): MessageKey => `alerts.rules.${rule}`;

/** A finding with the names it needs: the subject's, the member's it concerns, and those it lists. */
export interface FindingToTell {
  rule: RuleId;
  subjectKind: string;
  period: string;
  severity: Severity;
  facts: Record<string, unknown>;
  /** The member concerned (the subject, or the member of a transfer, exemption or task); "" for a branch. */
  memberName: string;
  branchName: string;
  /** Names of the members a finding lists (facts.memberIds). */
  memberNames?: ReadonlyMap<number, string>;
}

/** A branch as Vietnamese name it: "Chi bộ Ấp 3", whether or not its name already says "Chi bộ". */
export function branchLabel(name: string, locale: Locale): string {
  const trimmed = name.normalize("NFC").trim();
  return locale === "vi" ? branchTitle(trimmed) : trimmed;
}

const str = (facts: Record<string, unknown>, key: string): string => (typeof facts[key] === "string" ? facts[key] : "");
const num = (facts: Record<string, unknown>, key: string): number => (typeof facts[key] === "number" ? facts[key] : 0);
const list = (facts: Record<string, unknown>, key: string): unknown[] =>
  Array.isArray(facts[key]) ? (facts[key] as unknown[]) : [];

function monthText(month: string, locale: Locale): string {
  return formatMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)), locale);
}

const ROMAN = ["I", "II", "III", "IV"];

/** A finding's period in words: "năm 2026", "12 tháng từ tháng 3/2025 đến tháng 2/2026", "tháng 3/2026", "quý I năm 2026", a date. */
export function periodText(t: Translate, locale: Locale, period: string): string {
  if (/^\d{4}$/.test(period)) return t("findings.periods.year", { year: period });
  const rolling = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(period);
  if (rolling)
    return t("findings.periods.rolling", { from: monthText(rolling[1]!, locale), to: monthText(rolling[2]!, locale) });
  if (/^\d{4}-\d{2}$/.test(period)) return monthText(period, locale);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return t("findings.periods.quarter", { quarter: ROMAN[Number(quarter[2]) - 1]!, year: quarter[1]! });
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return formatDate(period);
  return "";
}

/** A period in a few words, for buttons: "năm 2026", "tháng 3/2026", "12 tháng đến tháng 2/2026", a date. */
export function shortPeriodText(t: Translate, locale: Locale, period: string): string {
  const rolling = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(period);
  if (rolling) return t("findings.periods.rollingShort", { to: monthText(rolling[2]!, locale) });
  return periodText(t, locale, period);
}

function monthsText(locale: Locale, months: readonly unknown[]): string {
  return months
    .filter((m): m is string => typeof m === "string")
    .map((m) => monthText(m, locale))
    .join(", ");
}

/** Who a finding is about, in a few words: the member, or the branch (with a meeting's date). */
export function findingWho(t: Translate, locale: Locale, f: FindingToTell): string {
  const branch = branchLabel(f.branchName, locale);
  if (f.subjectKind === "branch") return branch;
  if (f.subjectKind === "meeting") return t("findings.who.meeting", { branch, date: formatDate(str(f.facts, "date")) });
  return t("findings.who.member", { name: f.memberName, branch });
}

/** A finding's name in a few words, for lists and buttons: "Vắng sinh hoạt không lý do — đồng chí … (…)". */
export function findingTitle(t: Translate, locale: Locale, f: FindingToTell): string {
  return `${findingRuleName(t, f)} — ${findingWho(t, locale, f)}`;
}

/** The rule's name as people say it. */
export function findingRuleName(t: Translate, f: Pick<FindingToTell, "rule" | "subjectKind">): string {
  return f.rule === "R2_DUES" && f.subjectKind === "branch" ? t("findings.noRateTitle") : t(ruleNameKey(f.rule));
}

/** The sentence that says what was found and what to do, starting with a capital letter. */
export function findingSentence(t: Translate, locale: Locale, f: FindingToTell): string {
  const sentence = sentenceOf(t, locale, f);
  return sentence.charAt(0).toLocaleUpperCase(locale) + sentence.slice(1);
}

/**
 * The sentence for the member the finding is about, addressed to them ("Đồng chí chưa …"), for the rules
 * that tell the member (R7, R8, R9, R10); other rules read as for the officers.
 */
export function findingSentenceToMember(t: Translate, locale: Locale, f: FindingToTell): string {
  const facts = f.facts;
  const date = (key: string) => (str(facts, key) ? formatDate(str(facts, key)) : "");
  const key = toMemberKey;
  switch (f.rule) {
    case "R7_EXEMPTION_ENDING":
      return str(facts, "phase") === "ENDED"
        ? t(key("R7_ended"), { from: date("from"), to: date("to"), days: num(facts, "daysSince") })
        : t(key("R7_ending"), { from: date("from"), to: date("to"), days: num(facts, "daysLeft") });
    case "R8_SELF_REVIEW_MISSING":
      return t(key("R8"), { year: num(facts, "year") || f.period, due: date("due") });
    case "R9_CHECKIN_MISSING":
      return t(key(str(facts, "lastCheckin") ? "R9_since" : "R9_never"), {
        dueSince: date("dueSince"),
        last: date("lastCheckin"),
        every: num(facts, "everyMonths"),
      });
    case "R10_TASK_OVERDUE":
      return t(key("R10"), {
        task: str(facts, "description") || t("findings.aTask"),
        due: date("due"),
        days: num(facts, "daysOverdue"),
      });
    default:
      return findingSentence(t, locale, f);
  }
}

/** What a rule's sentence is told from: the finding, who it is about, and its facts in words. */
export interface SentenceInput {
  t: Translate;
  locale: Locale;
  f: FindingToTell;
  facts: Record<string, unknown>;
  who: string;
  /** A date fact as dd/MM/yyyy, "" when missing. */
  date: (key: string) => string;
  /** " (tạm tính…)" when the facts rest on a provisional holiday calendar. */
  provisional: string;
}

/** Every rule's sentence, built from keys of the catalog: a rule missing here does not compile. */
export type RuleSentences = { readonly [R in RuleId]: (input: SentenceInput) => string };

export const RULE_SENTENCES: RuleSentences = {
  R1_ABSENCE: (input) => windowSentence(input, "R1_ABSENCE"),
  R2_DUES: (input) => {
    const { t, f, facts, who } = input;
    if (f.subjectKind !== "branch") return windowSentence(input, "R2_DUES");
    const ids = list(facts, "memberIds").filter((id): id is number => typeof id === "number");
    return t(sentenceKey("R2_NO_RATE"), {
      branch: who,
      count: ids.length,
      names: ids
        .map((id) => f.memberNames?.get(id) ?? "")
        .filter((n) => n !== "")
        .join(", "),
    });
  },
  R3_NO_MEETING: ({ t, locale, f, facts, who }) =>
    t(sentenceKey(f.severity === "alert" ? "R3_alert" : "R3_warn"), {
      who,
      month: monthText(str(facts, "month") || f.period, locale),
    }),
  R4_LOW_ATTENDANCE: ({ t, locale, facts, who }) =>
    t(sentenceKey("R4"), {
      who,
      kind: t(`meetings.kinds.${MEETING_KINDS.find((k) => k === str(facts, "meetingKind")) ?? "REGULAR"}`),
      present: num(facts, "present"),
      expected: num(facts, "expected"),
      rate: formatPercent(num(facts, "rate"), locale),
      target: formatPercent(num(facts, "target"), locale),
    }),
  R5_EXCUSED_STREAK: ({ t, facts, who, date }) =>
    t(sentenceKey("R5"), { who, count: num(facts, "count"), from: date("from"), to: date("to") }),
  R6_TRANSFER_OVERDUE: ({ t, f, facts, who, date, provisional }) =>
    t(sentenceKey(f.severity === "alert" ? "R6_alert" : "R6_warn"), {
      who,
      kind: t(`away.transferKinds.${TRANSFER_KINDS.find((k) => k === str(facts, "transferKind")) ?? "OFFICIAL"}`),
      destination: str(facts, "destination") || t("findings.unknownPlace"),
      letterDate: date("letterDate"),
      deadline: date("deadline"),
      provisional,
    }),
  R7_EXEMPTION_ENDING: ({ t, facts, who, date }) =>
    str(facts, "phase") === "ENDED"
      ? t(sentenceKey("R7_ended"), { who, from: date("from"), to: date("to"), days: num(facts, "daysSince") })
      : t(sentenceKey("R7_ending"), { who, from: date("from"), to: date("to"), days: num(facts, "daysLeft") }),
  R8_SELF_REVIEW_MISSING: ({ t, f, facts, who, date }) =>
    t(sentenceKey("R8"), { who, year: num(facts, "year") || f.period, due: date("due") }),
  R9_CHECKIN_MISSING: ({ t, facts, who, date }) =>
    t(sentenceKey(str(facts, "lastCheckin") ? "R9_since" : "R9_never"), {
      who,
      dueSince: date("dueSince"),
      last: date("lastCheckin"),
      every: num(facts, "everyMonths"),
    }),
  R10_TASK_OVERDUE: ({ t, facts, who, date }) =>
    t(sentenceKey("R10"), {
      who,
      task: str(facts, "description") || t("findings.aTask"),
      due: date("due"),
      days: num(facts, "daysOverdue"),
    }),
  R11_PROBATION_DUE: ({ t, facts, who, date, provisional }) => {
    const phase = str(facts, "phase");
    const name = phase === "LATE" ? "R11_late" : phase === "CONSIDER" ? "R11_consider" : "R11_soon";
    return t(sentenceKey(name), {
      who,
      ends: date("ends"),
      days: num(facts, "daysLeft"),
      considerBy: date("considerBy"),
      provisional,
    });
  },
  R12_QTHEMATIC: ({ t, locale, f, facts, who, date }) =>
    t(sentenceKey("R12"), {
      who,
      quarter: periodText(t, locale, str(facts, "quarter") || f.period),
      from: date("from"),
      to: date("to"),
    }),
};

/** R1 and R2 for a member: months missed in a rolling window, a warning or an alert. */
function windowSentence({ t, locale, f, facts, who }: SentenceInput, rule: "R1_ABSENCE" | "R2_DUES"): string {
  return t(sentenceKey(`${rule}_${f.severity}`), {
    who,
    count: num(facts, "count"),
    window: periodText(t, locale, f.period),
    months: monthsText(locale, list(facts, "months")),
    graceDays: num(facts, "graceDays"),
    alertAt: num(facts, "alertAt"),
  });
}

function sentenceOf(t: Translate, locale: Locale, f: FindingToTell): string {
  const facts = f.facts;
  return RULE_SENTENCES[f.rule]({
    t,
    locale,
    f,
    facts,
    who: findingWho(t, locale, f),
    date: (key) => (str(facts, key) ? formatDate(str(facts, key)) : ""),
    provisional: facts.provisional === true ? t("findings.provisional") : "",
  });
}
