// Monthly dues amounts, set for many members at once: a checklist of the roster with each member's amount,
// "all without an amount", then one amount (typed, or computed from one basis) and the month it applies
// from, confirmed once for everyone ticked. Afterwards the flow offers, one by one, the members still
// without an amount: typing a figure sets it from the same month at once, or a basis is chosen.
import { Composer } from "telegraf";
import { currentMonthOf } from "../../app/dues-data.js";
import { DUES_PARAMS } from "../../app/dues-payments.js";
import { branchRates, setDuesRates, suggestRate, type RateBasis, type RateRow } from "../../app/dues-settings.js";
import { addMonths, parseAmount, parseTypedMonth, type DuesCategory, type MonthKey } from "../../domain/dues.js";
import { formatMoney } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { pageNavRow } from "../views/paging.js";
import { compactMonth, monthFromCompact, monthLabel } from "../views/months.js";

export const RATE_FLOW = "dues.rate";
const PAGE = 10;
const CATEGORIES = ["SALARY", "PENSION", "STUDENT", "OTHER", "OTHER_RETIRED", "MANUAL"] as const;

interface RateData {
  branchId: number;
  branchName: string;
  rows: RateRow[];
  /** Who the amount is for: ticked on the checklist, or the one member offered next. */
  selected: number[];
  page: number;
  basis?: RateBasis;
  basisAmount?: number | null;
  amount?: number;
  /** Kept after the first save: the next members take the same month without being asked. */
  month?: MonthKey;
  /** Members passed over in the "next without an amount" round. */
  skipped: number[];
}
type RateState = FlowState<RateData>;

const names = (data: RateData) => data.rows.filter((r) => data.selected.includes(r.memberId)).map((r) => r.name);

function checklist(ctx: BotContext, state: RateState): { text: string; keyboard: Keyboard } {
  const { rows, selected, page, branchName } = state.data;
  const without = rows.filter((r) => r.amount === null).length;
  const text = [
    ctx.t("dues.ratesTitle", { branch: branchName, total: rows.length, without }),
    ctx.t("dues.ratesHint"),
  ].join("\n");
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const keyboard: Keyboard = rows.slice(current * PAGE, (current + 1) * PAGE).map((row) => [
    {
      text: `${selected.includes(row.memberId) ? "☑" : "☐"} ${row.name} · ${row.amount === null ? ctx.t("dues.rateUnset") : formatMoney(row.amount)}`.slice(
        0,
        120,
      ),
      callback_data: encode("yt", state.id, row.memberId),
    },
  ]);
  keyboard.push([
    { text: ctx.t("dues.ratesAllWithout", { count: without }), callback_data: encode("ya", state.id) },
    { text: ctx.t("dues.none"), callback_data: encode("qn", state.id) },
  ]);
  if (pages > 1) keyboard.push(pageNavRow(ctx.t, current, pages, (p) => encode("qp", state.id, p)));
  keyboard.push([
    { text: ctx.t("dues.ratesContinue", { count: selected.length }), callback_data: encode("qc", state.id) },
    { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
  ]);
  return { text, keyboard };
}

async function showChecklist(ctx: BotContext, state: RateState): Promise<void> {
  await ctx.flow.update(state);
  const { text, keyboard } = checklist(ctx, state);
  await respond(ctx, text, keyboard);
}

function categoryRows(ctx: BotContext, state: RateState): Keyboard {
  return CATEGORIES.map((c) => [
    {
      text: c === "OTHER_RETIRED" ? `${ctx.t("dues.categories.OTHER")} · 0,2%` : ctx.t(`dues.categories.${c}`),
      callback_data: encode("qk", state.id, c),
    },
  ]);
}

/** Opens the checklist of a branch, optionally with one member ticked and the basis asked at once. */
export async function openRates(ctx: BotContext, branchId: number, memberId?: number): Promise<void> {
  const sheet = await branchRates(ctx.app, requestOf(ctx), branchId);
  if (!sheet.ok) return refuse(ctx, sheet);
  const data: RateData = {
    branchId,
    branchName: sheet.value.branchName,
    rows: sheet.value.rows,
    selected: [],
    page: 0,
    skipped: [],
  };
  if (memberId !== undefined && sheet.value.rows.some((r) => r.memberId === memberId)) {
    const state = await ctx.flow.start<RateData>(RATE_FLOW, "category", { ...data, selected: [memberId] });
    return askCategory(ctx, state);
  }
  await showChecklist(ctx, await ctx.flow.start<RateData>(RATE_FLOW, "select", data));
}

async function askCategory(ctx: BotContext, state: RateState): Promise<void> {
  await ctx.flow.update({ ...state, step: "category" });
  const who = names(state.data);
  await respond(
    ctx,
    `${ctx.t("dues.ratesFor", { count: who.length, names: who.slice(0, 5).join(", ") + (who.length > 5 ? "…" : "") })}\n${ctx.t("dues.rateCategory")}`,
    categoryRows(ctx, state),
  );
}

/** The amount is known: ask the month (unless this round already has one), then confirm. */
async function afterAmount(ctx: BotContext, state: RateState, amount: number): Promise<void> {
  const next: RateState = { ...state, data: { ...state.data, amount } };
  if (next.data.month) return confirm(ctx, next, next.data.month);
  await ctx.flow.update({ ...next, step: "month" });
  const current = currentMonthOf(ctx.now, ctx.app.timeZone);
  const rows: Keyboard = [
    [current, addMonths(current, 1)].map((m) => ({
      text: monthLabel(ctx, m),
      callback_data: encode("qv", state.id, compactMonth(m)),
    })),
  ];
  await ctx.reply(ctx.t("dues.rateMonth", { amount: formatMoney(amount) }), {
    reply_markup: { inline_keyboard: rows },
  });
}

/** Several members: one confirmation naming them all. One member in the "next" round: saved at once. */
async function confirm(ctx: BotContext, state: RateState, month: MonthKey): Promise<void> {
  const next: RateState = { ...state, step: "confirm", data: { ...state.data, month } };
  if (next.data.selected.length === 1 && state.data.month) return save(ctx, next);
  await ctx.flow.update(next);
  const who = names(next.data);
  await ctx.reply(
    ctx
      .t("dues.ratesConfirm", {
        count: who.length,
        amount: formatMoney(next.data.amount!),
        month: monthLabel(ctx, month),
        names: who.join(", "),
      })
      .slice(0, 4000),
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
}

/** What a save of amounts says, then and on a repeated press of its confirmation. */
function savedText(ctx: BotContext, names: readonly string[], amount: number, month: MonthKey): string {
  return names.length === 1
    ? ctx.t("dues.rateSaved", { name: names[0]!, amount: formatMoney(amount), month: monthLabel(ctx, month) })
    : ctx.t("dues.ratesSaved", { count: names.length, amount: formatMoney(amount), month: monthLabel(ctx, month) });
}

/**
 * Saves the amount for the members ticked (or the one offered). The save closes this flow in its own
 * transaction (a repeated press of its buttons is answered with what was saved); the round of members still
 * without an amount goes on as a new flow with the same data.
 */
async function save(ctx: BotContext, state: RateState): Promise<void> {
  const { selected, amount, month, basis, basisAmount } = state.data;
  const summary = savedText(ctx, names(state.data), amount!, month!);
  const result = await setDuesRates(ctx.app, savingRequest(ctx, state, summary), {
    memberIds: selected,
    amount: amount!,
    effectiveMonth: month!,
    basis: basis ?? "MANUAL",
    basisAmount: basisAmount ?? null,
  });
  if (!result.ok) {
    await ctx.flow.clear();
    return refuse(ctx, { ...result, params: { max: formatMoney(DUES_PARAMS.monthlyCap) } });
  }
  const saved = result.value;
  await ctx.reply(savedText(ctx, saved.names, saved.amount, saved.effectiveMonth));
  const rows = state.data.rows.map((r) => (selected.includes(r.memberId) ? { ...r, amount: saved.amount } : r));
  const round = await ctx.flow.start<RateData>(RATE_FLOW, "next", {
    ...state.data,
    rows,
    selected: [],
    basis: undefined,
    basisAmount: undefined,
    amount: undefined,
  });
  await offerNext(ctx, round);
}

/** The next member without an amount (not passed over): type the figure, or choose a basis. */
async function offerNext(ctx: BotContext, state: RateState): Promise<void> {
  const waiting = state.data.rows.filter((r) => r.amount === null && !state.data.skipped.includes(r.memberId));
  const next = waiting[0];
  if (!next) {
    await ctx.flow.clear();
    return void (await ctx.reply(ctx.t("dues.ratesAllSet", { branch: state.data.branchName })));
  }
  const offered: RateState = { ...state, step: "next", data: { ...state.data, selected: [next.memberId] } };
  await ctx.flow.update(offered);
  const rows = categoryRows(ctx, offered);
  rows.push([
    { text: ctx.t("dues.ratesSkip"), callback_data: encode("fs", state.id) },
    { text: ctx.t("dues.ratesStop"), callback_data: encode("fn", state.id) },
  ]);
  await ctx.reply(
    ctx.t("dues.ratesNext", { left: waiting.length, name: next.name, month: monthLabel(ctx, state.data.month!) }),
    { reply_markup: { inline_keyboard: rows } },
  );
}

export function duesRatesFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "yB", (ctx, [branchId]) => openRates(ctx, branchId));

  onFlowAction<"yt", RateData>(feature, "yt", RATE_FLOW, async (ctx, state, [, memberId]) => {
    if (state.step !== "select" || !state.data.rows.some((r) => r.memberId === memberId))
      return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const selected = state.data.selected.includes(memberId)
      ? state.data.selected.filter((id) => id !== memberId)
      : [...state.data.selected, memberId];
    await showChecklist(ctx, { ...state, data: { ...state.data, selected } });
  });
  onFlowAction<"ya", RateData>(feature, "ya", RATE_FLOW, async (ctx, state) => {
    if (state.step !== "select") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await showChecklist(ctx, {
      ...state,
      data: { ...state.data, selected: state.data.rows.filter((r) => r.amount === null).map((r) => r.memberId) },
    });
  });
  onFlowAction<"qn", RateData>(feature, "qn", RATE_FLOW, (ctx, state) =>
    state.step === "select"
      ? showChecklist(ctx, { ...state, data: { ...state.data, selected: [] } })
      : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowAction<"qp", RateData>(feature, "qp", RATE_FLOW, (ctx, state, [, page]) =>
    state.step === "select"
      ? showChecklist(ctx, { ...state, data: { ...state.data, page } })
      : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowAction<"qc", RateData>(feature, "qc", RATE_FLOW, async (ctx, state) => {
    if (state.step !== "select") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    if (state.data.selected.length === 0) return refuse(ctx, { code: "DUES.NOTHING_TO_SAVE" });
    await askCategory(ctx, state);
  });

  onFlowAction<"qk", RateData>(feature, "qk", RATE_FLOW, async (ctx, state, [, category]) => {
    if (state.step !== "category" && state.step !== "next") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const chosen = category;
    if (chosen === "STUDENT" || chosen === "OTHER" || chosen === "OTHER_RETIRED") {
      const suggestion = suggestRate(
        chosen === "STUDENT" ? { kind: "STUDENT" } : { kind: "OTHER", atRetirementAge: chosen === "OTHER_RETIRED" },
        currentMonthOf(ctx.now, ctx.app.timeZone),
      );
      await ctx.flow.update({
        ...state,
        step: "amount",
        data: {
          ...state.data,
          basis: chosen === "STUDENT" ? "STUDENT" : "OTHER",
          basisAmount: null,
          amount: suggestion,
        },
      });
      return ctx.reply(ctx.t("dues.rateComputed", { amount: formatMoney(suggestion) }), {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.confirm"), callback_data: encode("fy", state.id) }]] },
      });
    }
    if (chosen === "MANUAL") {
      await ctx.flow.update({
        ...state,
        step: "amount",
        data: { ...state.data, basis: "MANUAL", basisAmount: null, amount: undefined },
      });
      return ctx.reply(ctx.t("dues.askRateAmount"));
    }
    await ctx.flow.update({ ...state, step: "basis", data: { ...state.data, basis: chosen } });
    await ctx.reply(
      ctx.t("dues.askBasis", { basis: ctx.t(chosen === "SALARY" ? "dues.basisSalary" : "dues.basisPension") }),
    );
  });

  onFlowText<RateData>(feature, RATE_FLOW, async (ctx, state, text) => {
    if (state.step === "basis") {
      const base = parseAmount(text, 1_000_000_000);
      if (!base.ok) return refuse(ctx, base);
      const category: DuesCategory =
        state.data.basis === "PENSION"
          ? { kind: "PENSION", pension: base.value }
          : { kind: "SALARY", insuredSalary: base.value };
      const suggestion = suggestRate(category, currentMonthOf(ctx.now, ctx.app.timeZone));
      await ctx.flow.update({
        ...state,
        step: "amount",
        data: { ...state.data, basisAmount: base.value, amount: suggestion },
      });
      return ctx.reply(ctx.t("dues.rateComputed", { amount: formatMoney(suggestion) }), {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.confirm"), callback_data: encode("fy", state.id) }]] },
      });
    }
    if (state.step === "amount" || state.step === "next") {
      // In the "next" round a typed figure is the amount itself, from the round's month.
      const amount = parseAmount(text, DUES_PARAMS.monthlyCap);
      if (!amount.ok) return refuse(ctx, { ...amount, params: { max: formatMoney(DUES_PARAMS.monthlyCap) } });
      const basis = state.step === "next" ? "MANUAL" : (state.data.basis ?? "MANUAL");
      return afterAmount(
        ctx,
        {
          ...state,
          data: { ...state.data, basis, basisAmount: basis === "MANUAL" ? null : (state.data.basisAmount ?? null) },
        },
        amount.value,
      );
    }
    if (state.step === "month") {
      const month = parseTypedMonth(text);
      if (!month.ok) return refuse(ctx, month);
      return confirm(ctx, state, month.value);
    }
    if (state.step === "select" || state.step === "category") return ctx.reply(ctx.t("dues.ratesUseButtons"));
  });
  onFlowAction<"qv", RateData>(feature, "qv", RATE_FLOW, (ctx, state, [, compact]) =>
    state.step === "month"
      ? confirm(ctx, state, monthFromCompact(compact))
      : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowAction<"fy", RateData>(feature, "fy", RATE_FLOW, async (ctx, state) => {
    if (state.step === "amount" && state.data.amount !== undefined) return afterAmount(ctx, state, state.data.amount);
    if (state.step === "confirm") return save(ctx, state);
    await ctx.answerCbQuery(ctx.t("common.staleButton"));
  });
  onFlowAction<"fs", RateData>(feature, "fs", RATE_FLOW, async (ctx, state) => {
    if (state.step !== "next") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await offerNext(ctx, {
      ...state,
      data: { ...state.data, skipped: [...state.data.skipped, ...state.data.selected] },
    });
  });
  return feature;
}
