// /danhgia: the year-end evaluation. A secretary or deputy opens the branch's members (paged) with their
// grade status, reads a member's evidence sheet, presses the grade the branch decided, adds an optional
// note (a reason is required to leave a non-exempted member "not graded") and gets a confirmation. The
// committee sees the tally per branch, can open any branch's sheets (read only) and export the tally as
// XLSX to its private chat. A member sees their own sheet. Buttons carry ids only: every press goes through
// a use case that checks the actor's scope again.
import { Composer } from "telegraf";
import { listBranches } from "../../app/branches.js";
import {
  currentEvaluationSeason,
  evaluationExport,
  evaluationSheet,
  evaluationTally,
  listForEvaluation,
  prepareGrade,
  recordGrade,
  type EvaluationSheet,
} from "../../app/evaluation.js";
import { monthRuns, parseEvaluationNote, type Grade } from "../../domain/evaluation.js";
import { canManageBranch, isCommittee, managedBranchIds } from "../../domain/roles.js";
import { evaluationXlsx } from "../../files/evaluation-xlsx.js";
import { hasKey } from "../../i18n/index.js";
import type { OutcomeCode } from "../../domain/outcome.js";
import { formatDate, formatInstantDate, formatMoney, formatMonth, formatPercent } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, replyInChunks, respond, type Keyboard } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";

const EVALUATION_FLOW = "evaluation.grade";
type GradeData = { memberId: number; year: number; grade: Grade; reasonRequired: boolean; name?: string };

/** Branches listed one by one in the tally message; beyond this the XLSX holds the detail. */
const TALLY_LINES_IN_CHAT = 60;
const MAX_SHEET_TEXT = 4000;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Outcome params carry ISO days; people read dd/MM/yyyy. */
function refuseEvaluation(
  ctx: BotContext,
  failure: { code: OutcomeCode; params?: Readonly<Record<string, string | number>> },
): Promise<void> {
  const opens = failure.params?.opens;
  return refuse(
    ctx,
    typeof opens === "string"
      ? { code: failure.code, params: { ...failure.params, opens: formatDate(opens) } }
      : failure,
  );
}

function gradeLabel(ctx: BotContext, grade: string): string {
  const key = `evaluation.grades.${grade}`;
  return hasKey(key) ? ctx.t(key) : grade;
}

function monthsText(ctx: BotContext, months: readonly number[]): string {
  if (months.length === 0) return ctx.t("evaluation.sheet.monthsNone");
  return ctx.t("evaluation.sheet.monthList", {
    months: monthRuns(months)
      .map(([from, to]) => (from === to ? `${from}` : `${from}–${to}`))
      .join(", "),
  });
}

/** A finding's period for people: a day as dd/MM/yyyy, a month as "tháng 6/2026"; years and quarters as they are. */
function periodText(ctx: BotContext, period: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return formatDate(period);
  if (/^\d{4}-\d{2}$/.test(period))
    return formatMonth(Number(period.slice(0, 4)), Number(period.slice(5, 7)), ctx.locale);
  return period;
}

function listed<T>(ctx: BotContext, items: readonly T[], line: (item: T) => string, max = 5): string[] {
  const lines = items.slice(0, max).map(line);
  if (items.length > max) lines.push(ctx.t("evaluation.sheet.more", { count: items.length - max }));
  return lines;
}

/** The evidence sheet as a message: facts and counts in the order of the evaluation form, nothing judged. */
function sheetText(ctx: BotContext, view: EvaluationSheet): string {
  const { sheet, evaluation } = view;
  const t = ctx.t;
  const lines: string[] = [
    t("evaluation.sheet.title", { year: sheet.year }),
    t("evaluation.sheet.member", {
      name: sheet.member.fullName,
      kind: t(`evaluation.sheet.kinds.${sheet.member.kind}`),
      branch: sheet.member.branchName,
    }),
  ];
  const ex = sheet.exemption;
  if (ex.exempted) {
    if (ex.permanent && ex.days === ex.daysInYear)
      lines.push(
        ex.permanentSince
          ? t("evaluation.sheet.exemptedPermanent", { since: formatDate(ex.permanentSince) })
          : t("evaluation.sheet.exemptedPermanentUndated"),
      );
    else lines.push(t("evaluation.sheet.exempted", { days: ex.days, daysInYear: ex.daysInYear }));
  } else if (ex.days > 0)
    lines.push(t("evaluation.sheet.partlyExempt", { days: ex.days, months: ex.months.join(", ") }));
  if (sheet.admittedRecently)
    lines.push(t("evaluation.sheet.admittedRecently", { date: formatDate(sheet.admittedRecently) }));
  lines.push("");

  const m = sheet.meetings;
  if (m.expected === 0) lines.push(t("evaluation.sheet.meetingsNone"));
  else {
    lines.push(
      t("evaluation.sheet.meetings", {
        present: m.present,
        expected: m.expected,
        rate: formatPercent(m.rate ?? 0, ctx.locale),
        regularPresent: m.byKind.REGULAR.present,
        regularExpected: m.byKind.REGULAR.expected,
        thematicPresent: m.byKind.THEMATIC.present,
        thematicExpected: m.byKind.THEMATIC.expected,
        extraPresent: m.byKind.EXTRAORDINARY.present,
        extraExpected: m.byKind.EXTRAORDINARY.expected,
      }),
    );
    lines.push(t("evaluation.sheet.absences", { excused: m.excused, unexcused: m.unexcused }));
    if (m.unexcusedMonths.length > 0)
      lines.push(
        t("evaluation.sheet.unexcusedMonths", {
          count: m.unexcusedMonths.length,
          months: monthsText(ctx, m.unexcusedMonths),
        }),
      );
  }
  if (m.notExpected > 0) lines.push(t("evaluation.sheet.notExpected", { count: m.notExpected }));

  const d = sheet.dues;
  const inParentheses = (months: readonly number[]) => (months.length > 0 ? ` (${monthsText(ctx, months)})` : "");
  lines.push(
    t("evaluation.sheet.dues", {
      paidCount: d.paid.length,
      paidMonths: inParentheses(d.paid),
      amount: formatMoney(d.paidAmount),
      unpaidCount: d.unpaid.length,
      unpaidMonths: inParentheses(d.unpaid),
      owed: formatMoney(d.owed),
    }),
  );
  if (d.exempt.length > 0) lines.push(t("evaluation.sheet.duesExempt", { months: monthsText(ctx, d.exempt) }));
  if (d.notYetDue.length > 0) lines.push(t("evaluation.sheet.duesNotYetDue", { months: monthsText(ctx, d.notYetDue) }));

  const k = sheet.tasks;
  if (k.total === 0) lines.push(t("evaluation.sheet.tasksNone"));
  else {
    lines.push(
      t("evaluation.sheet.tasks", {
        total: k.total,
        done: k.done,
        late: k.doneLate,
        overdue: k.overdue.length,
        open: k.open,
      }),
    );
    lines.push(
      ...listed(ctx, k.overdue, (o) =>
        t("evaluation.sheet.overdueItem", { description: clip(o.description, 100), due: formatDate(o.dueDate) }),
      ),
    );
  }

  const r = sheet.selfReview;
  if (!r) lines.push(t("evaluation.sheet.reviewNone", { due: formatDate(sheet.selfReviewDue) }));
  else {
    lines.push(
      t(r.onPaper ? "evaluation.sheet.reviewPaper" : "evaluation.sheet.review", {
        date: formatDate(r.submittedOn),
        late: r.late ? t("evaluation.sheet.reviewLate", { due: formatDate(sheet.selfReviewDue) }) : "",
        versions: r.versions,
        file: r.fileName ? t("evaluation.sheet.reviewFile", { file: clip(r.fileName, 60) }) : "",
      }),
    );
    lines.push(
      r.reviewedOn
        ? t("evaluation.sheet.reviewComment", {
            date: formatDate(r.reviewedOn),
            comment: clip(r.reviewComment ?? "", 300),
          })
        : t("evaluation.sheet.reviewNotReviewed"),
    );
  }

  // Residence comments are linked by name only: the member's own view never shows them, and officers see
  // them with the warning to check who they are about, or only their number when the name is shared.
  const home = sheet.residence;
  if (home.kind === "hidden") lines.push(t("evaluation.sheet.residenceOwn"));
  else if (home.kind === "namesakes")
    lines.push(t("evaluation.sheet.residenceNamesakes", { comments: home.comments, namesakes: home.namesakes }));
  else if (home.comments.length === 0) lines.push(t("evaluation.sheet.residenceNone"));
  else {
    lines.push(t("evaluation.sheet.residence"));
    lines.push(
      ...listed(
        ctx,
        home.comments,
        (c) =>
          t("evaluation.sheet.residenceItem", {
            branch: c.branchName,
            org: clip(c.workplaceOrg, 80),
            text: clip(c.text, 300),
          }),
        3,
      ),
    );
  }

  const a = sheet.alerts;
  if (a.items.length === 0) lines.push(t("evaluation.sheet.alertsNone"));
  else {
    lines.push(
      t("evaluation.sheet.alerts", { total: a.items.length, open: a.open, handled: a.handled, resolved: a.resolved }),
    );
    lines.push(
      ...listed(
        ctx,
        a.items,
        (f) => {
          const ruleKey = `alerts.rules.${f.rule}`;
          const decisionKey = `alerts.decisions.${f.decision ?? ""}`;
          const decision = hasKey(decisionKey) ? t(decisionKey) : (f.decision ?? "");
          const status =
            f.status === "OPEN"
              ? t("evaluation.sheet.alertOpen")
              : f.status === "RESOLVED"
                ? t("evaluation.sheet.alertResolved")
                : f.decision === null
                  ? t("evaluation.sheet.alertHandledPlain")
                  : f.note
                    ? t("evaluation.sheet.alertHandledNote", { decision, note: clip(f.note, 120) })
                    : t("evaluation.sheet.alertHandled", { decision });
          return t("evaluation.sheet.alertItem", {
            rule: hasKey(ruleKey) ? t(ruleKey) : f.rule,
            period: periodText(ctx, f.period),
            status,
          });
        },
        8,
      ),
    );
  }
  lines.push("");
  if (evaluation) {
    lines.push(
      t("evaluation.sheet.result", {
        grade: gradeLabel(ctx, evaluation.grade),
        date: formatInstantDate(evaluation.recordedAt, ctx.app.timeZone),
      }),
    );
    if (evaluation.note) lines.push(t("evaluation.sheet.resultNote", { note: clip(evaluation.note, 500) }));
  } else lines.push(t("evaluation.sheet.resultNone"));
  lines.push(t("evaluation.sheet.footer"));
  if (view.grades.length > 0) lines.push(t("evaluation.sheet.chooseGrade"));
  return clip(lines.join("\n"), MAX_SHEET_TEXT);
}

async function showSheet(ctx: BotContext, memberId: number): Promise<void> {
  const result = await evaluationSheet(ctx.app, requestOf(ctx), memberId);
  if (!result.ok) return refuseEvaluation(ctx, result);
  const view = result.value;
  const current = view.evaluation?.grade;
  const rows: Keyboard = view.grades.map((grade) => [
    {
      text:
        grade === current
          ? ctx.t("evaluation.sheet.current", { grade: gradeLabel(ctx, grade) })
          : gradeLabel(ctx, grade),
      callback_data: encode("vg", memberId, view.sheet.year, grade),
    },
  ]);
  if (canManageBranch(ctx.actor, view.branchId))
    rows.push([{ text: ctx.t("evaluation.backToList"), callback_data: encode("vl", view.branchId, 0) }]);
  await respond(ctx, sheetText(ctx, view), rows);
}

async function showList(ctx: BotContext, branchId: number, page: number): Promise<void> {
  const result = await listForEvaluation(ctx.app, requestOf(ctx), branchId, page);
  if (!result.ok) return refuseEvaluation(ctx, result);
  const list = result.value;
  const title: string[] = [];
  if (list.total === 0) title.push(ctx.t("evaluation.listEmpty", { branch: list.branchName, year: list.year }));
  else {
    title.push(
      ctx.t("evaluation.listTitle", {
        year: list.year,
        branch: list.branchName,
        recorded: list.recorded,
        total: list.total,
      }),
    );
    if (list.late && list.closesOn)
      title.push(ctx.t("evaluation.late", { year: list.year, until: formatDate(list.closesOn) }));
    title.push(list.canGrade ? ctx.t("evaluation.listHint") : ctx.t("evaluation.listHintRead"));
  }
  const buttons = list.items.map((m) => ({
    text: `${m.grade ? ctx.t("evaluation.itemGraded", { name: m.fullName, grade: gradeLabel(ctx, m.grade) }) : ctx.t("evaluation.itemPending", { name: m.fullName })}${m.exempted ? ctx.t("evaluation.exemptTag") : ""}`,
    callback_data: encode("vm", m.id),
  }));
  const extra: Keyboard = isCommittee(ctx.actor)
    ? [[{ text: ctx.t("evaluation.backToBranches"), callback_data: encode("vb", 0) }]]
    : [];
  await respond(
    ctx,
    title.join("\n"),
    pagedKeyboard(ctx.t, buttons, list.page, list.pages, (p) => encode("vl", branchId, p), extra),
  );
}

async function showBranches(ctx: BotContext, page: number): Promise<void> {
  const branches = await listBranches(ctx.app, requestOf(ctx), page);
  if (!branches.ok) return refuse(ctx, branches);
  const buttons = branches.value.items.map((b) => ({ text: b.name, callback_data: encode("vl", b.id, 0) }));
  const extra: Keyboard = isCommittee(ctx.actor)
    ? [
        [
          { text: ctx.t("evaluation.tallyButton"), callback_data: encode("vt") },
          { text: ctx.t("evaluation.exportButton"), callback_data: encode("vx") },
        ],
      ]
    : [];
  await respond(
    ctx,
    ctx.t("evaluation.chooseBranch"),
    pagedKeyboard(ctx.t, buttons, branches.value.page, branches.value.pages, (p) => encode("vb", p), extra),
  );
}

async function showTally(ctx: BotContext): Promise<void> {
  const result = await evaluationTally(ctx.app, requestOf(ctx));
  if (!result.ok) return refuse(ctx, result);
  const { season, lines, totals } = result.value;
  const figures = (grades: Record<Grade, number>, pending: number) => ({
    excellent: grades.EXCELLENT,
    good: grades.GOOD,
    completed: grades.COMPLETED,
    notCompleted: grades.NOT_COMPLETED,
    notGraded: grades.NOT_GRADED,
    pending,
  });
  const text = [
    ctx.t("evaluation.tallyTitle", { year: season.year }),
    ctx.t("evaluation.tallyLegend"),
    ...(lines.length <= TALLY_LINES_IN_CHAT
      ? lines.map((l) =>
          ctx.t("evaluation.tallyLine", { branch: l.branchName, members: l.members, ...figures(l.grades, l.pending) }),
        )
      : [ctx.t("evaluation.tallyTooMany", { count: lines.length })]),
    ctx.t("evaluation.tallyTotal", { members: totals.members, ...figures(totals.grades, totals.pending) }),
  ];
  await replyInChunks(ctx, text, {
    reply_markup: {
      inline_keyboard: [
        [{ text: ctx.t("evaluation.exportButton"), callback_data: encode("vx") }],
        [{ text: ctx.t("evaluation.branchesButton"), callback_data: encode("vb", 0) }],
      ],
    },
  });
}

async function showEntry(ctx: BotContext): Promise<void> {
  const result = await currentEvaluationSeason(ctx.app, requestOf(ctx));
  if (!result.ok) return refuse(ctx, result);
  const season = result.value;
  const notOpen = ctx.t("evaluation.notOpen", {
    year: Number(season.opensOn.slice(0, 4)),
    opens: formatDate(season.opensOn),
  });
  if (isCommittee(ctx.actor)) {
    if (!season.open) await ctx.reply(`${notOpen}\n${ctx.t("evaluation.lastYear", { year: season.year })}`);
    return showTally(ctx);
  }
  if (!season.open) {
    await ctx.reply(notOpen);
    return;
  }
  const scope = managedBranchIds(ctx.actor);
  if (scope !== "all" && scope.length === 1 && scope[0] !== undefined) return showList(ctx, scope[0], 0);
  if (scope !== "all" && scope.length > 1) return showBranches(ctx, 0);
  if (ctx.actor.member) return showSheet(ctx, ctx.actor.member.id);
  return refuse(ctx, { code: "AUTH.FORBIDDEN" });
}

async function save(ctx: BotContext, state: FlowState<GradeData>, note: string | null): Promise<void> {
  const { memberId, year, grade } = state.data;
  const summary = ctx.t("evaluation.saved", { year, name: state.data.name ?? "", grade: gradeLabel(ctx, grade) });
  const result = await recordGrade(ctx.app, savingRequest(ctx, state, summary), memberId, year, grade, note);
  await ctx.flow.clear();
  if (!result.ok) return refuseEvaluation(ctx, result);
  const saved = result.value;
  const params = { year: saved.year, name: saved.fullName, grade: gradeLabel(ctx, saved.grade) };
  const text = saved.unchanged
    ? ctx.t("evaluation.unchanged", params)
    : saved.previous
      ? ctx.t("evaluation.changed", { ...params, previous: gradeLabel(ctx, saved.previous) })
      : ctx.t("evaluation.saved", params);
  const lines = saved.note ? [text, ctx.t("evaluation.sheet.resultNote", { note: saved.note })] : [text];
  await ctx.reply(lines.join("\n"), {
    reply_markup: {
      inline_keyboard: [[{ text: ctx.t("evaluation.backToList"), callback_data: encode("vl", saved.branchId, 0) }]],
    },
  });
}

export function evaluationFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("danhgia", (ctx) => showEntry(ctx));
  onAction(feature, "vb", (ctx, [page]) => showBranches(ctx, page));
  onAction(feature, "vl", (ctx, [branchId, page]) => showList(ctx, branchId, page));
  onAction(feature, "vm", (ctx, [memberId]) => showSheet(ctx, memberId));
  onAction(feature, "vt", (ctx) => showTally(ctx));
  onAction(feature, "vg", async (ctx, [memberId, year, grade]) => {
    const target = await prepareGrade(ctx.app, requestOf(ctx), memberId, year, grade);
    if (!target.ok) return refuseEvaluation(ctx, target);
    const { fullName, reasonRequired } = target.value;
    const state = await ctx.flow.start<GradeData>(EVALUATION_FLOW, "note", {
      memberId,
      year,
      grade,
      reasonRequired,
      name: fullName,
    });
    const cancel = { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) };
    const prompt = reasonRequired
      ? ctx.t("evaluation.askReason", { name: fullName })
      : ctx.t("evaluation.askNote", { grade: gradeLabel(ctx, grade), name: fullName });
    const row = reasonRequired
      ? [cancel]
      : [{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }, cancel];
    await ctx.reply(prompt, { reply_markup: { inline_keyboard: [row] } });
  });
  onFlowAction<"fs", GradeData>(feature, "fs", EVALUATION_FLOW, async (ctx, state) => {
    if (state.data.reasonRequired) return refuse(ctx, { code: "EVALUATION.REASON_REQUIRED" });
    await save(ctx, state, null);
  });
  onFlowText<GradeData>(feature, EVALUATION_FLOW, async (ctx, state, text) => {
    const note = parseEvaluationNote(text);
    // A note too long is retyped: the flow stays.
    if (!note.ok) return refuse(ctx, note);
    await save(ctx, state, note.value);
  });
  onAction(feature, "vx", async (ctx) => {
    const result = await evaluationExport(ctx.app, requestOf(ctx));
    if (!result.ok) return refuse(ctx, result);
    const year = result.value.season.year;
    const content = await evaluationXlsx(result.value, ctx.t);
    // Internal documents go only to the asker's own private chat (the bot works in private chats only).
    await ctx.replyWithDocument(
      { source: content, filename: `xep-loai-dang-vien-${year}.xlsx` },
      { caption: ctx.t("evaluation.exportCaption", { year }) },
    );
  });
  return feature;
}
