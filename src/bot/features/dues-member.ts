// Dues for one member: a payment for several months (ahead or late), the member's entries with
// reversal of a wrong one, and exemptions or reductions. Monthly amounts are set in dues-rates.ts.
import { Composer } from "telegraf";
import { listMembers, viewMember } from "../../app/members.js";
import { currentMonthOf } from "../../app/dues-data.js";
import {
  DUES_PARAMS,
  memberEntries,
  recordMemberPayment,
  reverseEntry,
  suggestAmount,
  viewEntry,
} from "../../app/dues-payments.js";
import { addDuesRelief, type ReliefChoice } from "../../app/dues-settings.js";
import { memberDuesYear } from "../../app/dues-status.js";
import {
  addMonths,
  monthsOfYear,
  parseAmount,
  parseTypedMonth,
  paymentCap,
  sortedMonths,
  yearOfMonth,
  type MonthKey,
} from "../../domain/dues.js";
import { inRows } from "../keyboards/rows.js";
import { formatInstantDate, formatMoney } from "../../i18n/format.js";
import type { MessageKey } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";
import { compactMonth, monthFromCompact, monthLabel } from "../views/months.js";
import { duesYearText } from "../views/dues-year.js";

const PAY_FLOW = "dues.pay";
const RELIEF_FLOW = "dues.relief";

type Purpose = "pay" | "book" | "rate" | "relief";

interface PayData {
  memberId: number;
  name: string;
  months: MonthKey[];
  /** The year the month grid shows (default: the current one). */
  year?: number;
  amount?: number;
  collectedBy?: string | null;
}

interface ReliefData {
  memberId: number;
  name: string;
  choice?: ReliefChoice;
  from?: MonthKey;
  to?: MonthKey | null;
}

function monthsLabel(ctx: BotContext, months: readonly MonthKey[]): string {
  return months.map((m) => monthLabel(ctx, m)).join(", ");
}

/** The question above the member list: what the choice is for. */
const CHOOSE_MEMBER_PROMPT = {
  pay: "dues.chooseMember",
  book: "dues.bookChooseMember",
  rate: "dues.rateChooseMember",
  relief: "dues.reliefChooseMember",
} as const satisfies Record<Purpose, MessageKey>;

async function chooseMember(ctx: BotContext, branchId: number, purpose: Purpose, page: number): Promise<void> {
  const result = await listMembers(ctx.app, requestOf(ctx), branchId, page);
  if (!result.ok) return refuse(ctx, result);
  const buttons = result.value.items.map((m) => ({ text: m.fullName, callback_data: encode("pu", m.id, purpose) }));
  const title = ctx.t(CHOOSE_MEMBER_PROMPT[purpose]);
  await respond(
    ctx,
    title,
    pagedKeyboard(ctx.t, buttons, result.value.page, result.value.pages, (p) => encode("pU", branchId, purpose, p), [
      [{ text: ctx.t("common.back"), callback_data: encode("pB", branchId) }],
    ]),
  );
}

/**
 * The month grid of a payment, one calendar year at a time (last year's arrears and older debts are paid
 * too): the months the member can owe, up to `maxMonthsAhead` ahead, paid ones marked, with the years before
 * and after, a button choosing every month owed now, and months typed as text.
 */
async function showMonthPicker(ctx: BotContext, state: FlowState<PayData>): Promise<void> {
  await ctx.flow.update(state);
  const current = currentMonthOf(ctx.now, ctx.app.timeZone);
  const shown = state.data.year ?? yearOfMonth(current);
  const year = await memberDuesYear(ctx.app, requestOf(ctx), state.data.memberId, shown);
  if (!year.ok) return refuse(ctx, year);
  const { firstMonth, owing } = year.value;
  const latest = addMonths(current, DUES_PARAMS.maxMonthsAhead);
  const paid = new Set(year.value.status.months.filter((m) => m.state === "PAID").map((m) => m.month));
  const exempt = new Set(year.value.status.months.filter((m) => m.state === "EXEMPT").map((m) => m.month));
  const choices = monthsOfYear(shown).filter((m) => m <= latest && (firstMonth === null || m >= firstMonth));
  const rows: Keyboard = inRows(
    choices.map((m) => {
      const mark = paid.has(m) ? "✅" : exempt.has(m) ? "🎗" : state.data.months.includes(m) ? "☑" : "☐";
      return { text: `${mark} ${monthLabel(ctx, m)}`, callback_data: encode("qv", state.id, compactMonth(m)) };
    }),
    3,
  );
  const years: Keyboard[number] = [];
  if (firstMonth !== null && yearOfMonth(firstMonth) < shown)
    years.push({
      text: `◀️ ${ctx.t("dues.yearButton", { year: shown - 1 })}`,
      callback_data: encode("qy", state.id, shown - 1),
    });
  if (shown < yearOfMonth(latest))
    years.push({
      text: `${ctx.t("dues.yearButton", { year: shown + 1 })} ▶️`,
      callback_data: encode("qy", state.id, shown + 1),
    });
  if (years.length > 0) rows.push(years);
  if (owing.some((m) => !state.data.months.includes(m)))
    rows.push([{ text: ctx.t("dues.chooseOwing", { count: owing.length }), callback_data: encode("qw", state.id) }]);
  rows.push([
    { text: ctx.t("dues.continue"), callback_data: encode("qd", state.id) },
    { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
  ]);
  const lines = [ctx.t("dues.chooseMonths", { name: state.data.name })];
  if (owing.length > 0) lines.push(ctx.t("dues.owingMonths", { months: monthsLabel(ctx, owing) }));
  if (state.data.months.length > 0)
    lines.push(ctx.t("dues.monthsChosen", { months: monthsLabel(ctx, state.data.months) }));
  lines.push(ctx.t("dues.typeMonthsHint"));
  await respond(ctx, lines.join("\n"), rows);
}

/**
 * Months typed in the payment's month step ("11/2025, 12/2025"): each must be a month the member can pay for
 * and not paid already; they are added to those chosen. The picker then shows the year of the last one.
 */
async function addTypedMonths(ctx: BotContext, state: FlowState<PayData>, text: string): Promise<void> {
  const typed: MonthKey[] = [];
  for (const part of text
    .split(/[,;\n]+/)
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const month = parseTypedMonth(part);
    if (!month.ok) return refuse(ctx, month);
    typed.push(month.value);
  }
  if (typed.length === 0) return refuse(ctx, { code: "DUES.MONTH_FORMAT" });
  const current = currentMonthOf(ctx.now, ctx.app.timeZone);
  const latest = addMonths(current, DUES_PARAMS.maxMonthsAhead);
  for (const y of new Set(typed.map(yearOfMonth))) {
    const year = await memberDuesYear(ctx.app, requestOf(ctx), state.data.memberId, y);
    if (!year.ok) return refuse(ctx, year);
    for (const month of typed.filter((m) => yearOfMonth(m) === y)) {
      const status = year.value.status.months.find((m) => m.month === month)!;
      if (month > latest) return refuse(ctx, { code: "DUES.MONTH_TOO_FAR_AHEAD" });
      if (status.state === "NOT_MEMBER" || (year.value.firstMonth !== null && month < year.value.firstMonth))
        return refuse(ctx, { code: "DUES.MONTH_NOT_OWED", params: { month: monthLabel(ctx, month) } });
      if (status.state === "PAID")
        return refuse(ctx, { code: "DUES.MONTH_ALREADY_PAID", params: { name: state.data.name } });
    }
  }
  const months = sortedMonths([...state.data.months, ...typed]);
  await showMonthPicker(ctx, {
    ...state,
    data: { ...state.data, months, year: yearOfMonth(typed[typed.length - 1]!) },
  });
}

async function showBook(ctx: BotContext, memberId: number): Promise<void> {
  const [entries, year] = await Promise.all([
    memberEntries(ctx.app, requestOf(ctx), memberId),
    memberDuesYear(ctx.app, requestOf(ctx), memberId),
  ]);
  if (!entries.ok) return refuse(ctx, entries);
  if (!year.ok) return refuse(ctx, year);
  const lines = [
    duesYearText(ctx, year.value),
    ctx.t("dues.entriesTitle", { name: entries.value.name }),
    ...entries.value.entries.slice(0, 20).map((e) =>
      ctx.t("dues.entryLine", {
        date: formatInstantDate(e.recordedAt, ctx.app.timeZone),
        kind: ctx.t(`dues.entryKinds.${e.kind}`),
        amount: formatMoney(e.amount),
        months: monthsLabel(
          ctx,
          e.months.map((m) => m.month),
        ),
      }),
    ),
  ];
  const reversible = entries.value.entries
    .filter((e) => e.kind === "PAYMENT" && e.reversedByEntryId === null)
    .slice(0, 8);
  const rows: Keyboard = reversible.map((e) => [
    {
      text: ctx
        .t("dues.reverse", {
          amount: formatMoney(e.amount),
          months: monthsLabel(
            ctx,
            e.months.map((m) => m.month),
          ),
        })
        .slice(0, 64),
      callback_data: encode("px", e.id),
    },
  ]);
  await ctx.reply(lines.join("\n").slice(0, 4000), { reply_markup: { inline_keyboard: rows } });
}

async function saveRelief(ctx: BotContext, state: FlowState<ReliefData>, note: string | null): Promise<void> {
  const { memberId, choice, from, to } = state.data;
  const summary = ctx.t("dues.reliefSaved", {
    name: state.data.name,
    kind: ctx.t(`dues.reliefKinds.${choice!}`),
    from: monthLabel(ctx, from!),
    to: to ? ctx.t("dues.reliefTo", { to: monthLabel(ctx, to) }) : "",
  });
  const result = await addDuesRelief(ctx.app, savingRequest(ctx, state, summary), {
    memberId,
    choice: choice!,
    from: from!,
    to: to ?? null,
    note,
  });
  await ctx.flow.clear();
  if (!result.ok) return refuse(ctx, result);
  await ctx.reply(
    ctx.t("dues.reliefSaved", {
      name: result.value.name,
      kind: ctx.t(`dues.reliefKinds.${choice!}`),
      from: monthLabel(ctx, from!),
      to: to ? ctx.t("dues.reliefTo", { to: monthLabel(ctx, to) }) : "",
    }),
  );
}

/** Screens of other features this one opens, handed in by the composition root. */
export interface DuesMemberScreens {
  /** The dues-amount checklist of a branch, with one member ticked. */
  openRates: (ctx: BotContext, branchId: number, memberId: number) => Promise<void>;
}

export function duesMemberFeature({ openRates }: DuesMemberScreens): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "pU", (ctx, [branchId, purpose, page]) => chooseMember(ctx, branchId, purpose, page));
  onAction(feature, "pu", async (ctx, [memberId, purpose]) => {
    if (purpose === "rate") {
      const member = await viewMember(ctx.app, requestOf(ctx), memberId);
      if (!member.ok || !member.value.canManage) return refuse(ctx, member.ok ? { code: "AUTH.FORBIDDEN" } : member);
      return openRates(ctx, member.value.branchId, memberId);
    }
    // The use cases behind each step re-check the member's branch against the actor's scope.
    const year = await memberDuesYear(ctx.app, requestOf(ctx), memberId);
    if (!year.ok) return refuse(ctx, year);
    const name = year.value.name;
    if (purpose === "book") return showBook(ctx, memberId);
    if (purpose === "pay")
      return showMonthPicker(ctx, await ctx.flow.start<PayData>(PAY_FLOW, "months", { memberId, name, months: [] }));
    const state = await ctx.flow.start<ReliefData>(RELIEF_FLOW, "kind", { memberId, name });
    const choices: ReliefChoice[] = [
      "LONG_MEMBERSHIP",
      "SOCIAL_PENSION",
      "POOR_HOUSEHOLD",
      "REDUCED_30",
      "REDUCED_50",
      "REDUCED_70",
    ];
    await respond(
      ctx,
      ctx.t("dues.reliefKind", { name }),
      choices.map((c) => [{ text: ctx.t(`dues.reliefKinds.${c}`), callback_data: encode("ql", state.id, c) }]),
    );
  });

  // One member's payment.
  onFlowAction<"qv", PayData>(feature, "qv", PAY_FLOW, async (ctx, state, [, compact]) => {
    if (state.step !== "months") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const month = monthFromCompact(compact);
    const months = state.data.months.includes(month)
      ? state.data.months.filter((m) => m !== month)
      : sortedMonths([...state.data.months, month]);
    await showMonthPicker(ctx, { ...state, data: { ...state.data, months } });
  });
  onFlowAction<"qy", PayData>(feature, "qy", PAY_FLOW, async (ctx, state, [, year]) => {
    if (state.step !== "months") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await showMonthPicker(ctx, { ...state, data: { ...state.data, year } });
  });
  onFlowAction<"qw", PayData>(feature, "qw", PAY_FLOW, async (ctx, state) => {
    if (state.step !== "months") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const year = await memberDuesYear(ctx.app, requestOf(ctx), state.data.memberId);
    if (!year.ok) return refuse(ctx, year);
    await showMonthPicker(ctx, {
      ...state,
      data: { ...state.data, months: sortedMonths([...state.data.months, ...year.value.owing]) },
    });
  });
  onFlowAction<"qd", PayData>(feature, "qd", PAY_FLOW, async (ctx, state) => {
    if (state.data.months.length === 0) return refuse(ctx, { code: "DUES.MONTHS_EMPTY" });
    const suggested = await suggestAmount(ctx.app, requestOf(ctx), state.data.memberId, state.data.months);
    if (!suggested.ok) return refuse(ctx, suggested);
    await ctx.flow.update({ ...state, step: "amount", data: { ...state.data, amount: suggested.value } });
    await ctx.reply(
      ctx.t("dues.amountSuggested", {
        months: monthsLabel(ctx, state.data.months),
        amount: formatMoney(suggested.value),
      }),
      {
        reply_markup: {
          inline_keyboard: [
            [
              { text: ctx.t("common.confirm"), callback_data: encode("fy", state.id) },
              { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
            ],
          ],
        },
      },
    );
  });
  const askCollector = async (ctx: BotContext, state: FlowState<PayData>, amount: number) => {
    await ctx.flow.update({ ...state, step: "collector", data: { ...state.data, amount } });
    await ctx.reply(ctx.t("dues.askCollector"), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("dues.collectorMe"), callback_data: encode("qo", state.id) }]] },
    });
  };
  const askNote = async (ctx: BotContext, state: FlowState<PayData>, collectedBy: string) => {
    await ctx.flow.update({ ...state, step: "note", data: { ...state.data, collectedBy } });
    await ctx.reply(ctx.t("dues.askNote"), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
    });
  };
  const confirmPayment = async (ctx: BotContext, state: FlowState<PayData>, note: string | null) => {
    const summary = ctx.t("dues.savedMember", {
      name: state.data.name,
      months: monthsLabel(ctx, state.data.months),
      amount: formatMoney(state.data.amount!),
    });
    const result = await recordMemberPayment(ctx.app, savingRequest(ctx, state, summary), {
      memberId: state.data.memberId,
      months: state.data.months,
      amount: state.data.amount!,
      collectedBy: state.data.collectedBy ?? null,
      note,
    });
    await ctx.flow.clear();
    if (!result.ok && result.code === "DUES.MONTH_ALREADY_PAID") {
      // Someone recorded one of these months first: say so where the officer pressed, then the member's months as they now stand.
      const year = await memberDuesYear(ctx.app, requestOf(ctx), state.data.memberId);
      const paid = year.ok ? year.value.status.months.filter((m) => m.state === "PAID").map((m) => m.month) : [];
      return respond(
        ctx,
        ctx.t("dues.raceLostMember", {
          name: state.data.name,
          months: monthsLabel(ctx, state.data.months),
          paid: monthsLabel(ctx, paid) || ctx.t("common.none"),
        }),
      );
    }
    if (!result.ok)
      return refuse(ctx, {
        ...result,
        params: { max: formatMoney(paymentCap(state.data.months.length, DUES_PARAMS)) },
      });
    await ctx.reply(
      ctx.t("dues.savedMember", {
        name: result.value.name,
        months: monthsLabel(ctx, result.value.months),
        amount: formatMoney(result.value.amount),
      }),
    );
  };
  onFlowAction<"fy", PayData>(feature, "fy", PAY_FLOW, async (ctx, state) => {
    if (state.step !== "amount" || state.data.amount === undefined)
      return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await askCollector(ctx, state, state.data.amount);
  });
  onFlowAction<"qo", PayData>(feature, "qo", PAY_FLOW, (ctx, state) =>
    state.step === "collector"
      ? askNote(ctx, state, ctx.actor.member?.fullName ?? ctx.actor.displayName)
      : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowAction<"fs", PayData>(feature, "fs", PAY_FLOW, (ctx, state) =>
    state.step === "note" ? confirmPayment(ctx, state, null) : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowText<PayData>(feature, PAY_FLOW, async (ctx, state, text) => {
    if (state.step === "amount") {
      const amount = parseAmount(text, paymentCap(state.data.months.length, DUES_PARAMS));
      if (!amount.ok) return refuse(ctx, { ...amount, params: { max: formatMoney(DUES_PARAMS.monthlyCap) } });
      return askCollector(ctx, state, amount.value);
    }
    if (state.step === "collector") return askNote(ctx, state, text.trim().slice(0, 80));
    if (state.step === "note") return confirmPayment(ctx, state, text.trim().slice(0, 200));
    if (state.step === "months") return addTypedMonths(ctx, state, text);
  });

  // Reversal of a wrong entry.
  onAction(feature, "px", async (ctx, [entryId]) => {
    const entry = await viewEntry(ctx.app, requestOf(ctx), entryId);
    if (!entry.ok) return refuse(ctx, entry);
    await ctx.reply(
      ctx.t("dues.reverseAsk", {
        amount: formatMoney(entry.value.amount),
        months: monthsLabel(ctx, entry.value.months),
      }),
      {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.confirm"), callback_data: encode("pX", entryId) }]] },
      },
    );
  });
  onAction(feature, "pX", async (ctx, [entryId]) => {
    const result = await reverseEntry(ctx.app, requestOf(ctx), entryId);
    if (!result.ok) return refuse(ctx, result);
    await respond(
      ctx,
      ctx.t("dues.reversed", {
        name: result.value.name,
        amount: formatMoney(result.value.amount),
        months: monthsLabel(ctx, result.value.months),
      }),
    );
  });

  // Exemptions and reductions.
  const monthButtons = (ctx: BotContext, state: FlowState<ReliefData>, from: MonthKey, count: number) => {
    const rows: Keyboard = [];
    const months = Array.from({ length: count }, (_, i) => addMonths(from, i));
    for (let i = 0; i < months.length; i += 3)
      rows.push(
        months
          .slice(i, i + 3)
          .map((m) => ({ text: monthLabel(ctx, m), callback_data: encode("qv", state.id, compactMonth(m)) })),
      );
    return rows;
  };
  onFlowAction<"ql", ReliefData>(feature, "ql", RELIEF_FLOW, async (ctx, state, [, choice]) => {
    if (state.step !== "kind") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const next = { ...state, step: "from", data: { ...state.data, choice } };
    await ctx.flow.update(next);
    const current = currentMonthOf(ctx.now, ctx.app.timeZone);
    await ctx.reply(ctx.t("dues.askReliefFrom"), {
      reply_markup: { inline_keyboard: monthButtons(ctx, next, addMonths(current, -2), 6) },
    });
  });
  onFlowAction<"qv", ReliefData>(feature, "qv", RELIEF_FLOW, async (ctx, state, [, compact]) => {
    const month = monthFromCompact(compact);
    if (state.step === "from") {
      const next = { ...state, step: "to", data: { ...state.data, from: month } };
      await ctx.flow.update(next);
      const rows = monthButtons(ctx, next, month, 12);
      if (!state.data.choice?.startsWith("REDUCED_"))
        rows.push([{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]);
      return ctx.reply(ctx.t("dues.askReliefTo"), { reply_markup: { inline_keyboard: rows } });
    }
    if (state.step === "to") return saveRelief(ctx, { ...state, data: { ...state.data, to: month } }, null);
    await ctx.answerCbQuery(ctx.t("common.staleButton"));
  });
  onFlowAction<"fs", ReliefData>(feature, "fs", RELIEF_FLOW, (ctx, state) =>
    state.step === "to"
      ? saveRelief(ctx, { ...state, data: { ...state.data, to: null } }, null)
      : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  return feature;
}
