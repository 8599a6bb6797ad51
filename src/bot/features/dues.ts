// /dangphi: the branch's dues menu, the month checklist (tap who paid, change an amount, confirm,
// one transaction), the month's status, the year's ledger as XLSX, remittances, the committee's view.
import { Composer } from "telegraf";
import { listBranches, viewBranch } from "../../app/branches.js";
import { currentMonthOf } from "../../app/dues-data.js";
import { openMonthSheet, recordMonthPayments, DUES_PARAMS, type MonthSheet } from "../../app/dues-payments.js";
import { recordRemittance } from "../../app/dues-settings.js";
import { branchLedger, branchMonthStatus, committeeDuesYear } from "../../app/dues-status.js";
import { addMonths, monthNumber, monthsOfYear, parseAmount, yearOfMonth, type MonthKey } from "../../domain/dues.js";
import { canManageBranch, isCommittee, managedBranchIds } from "../../domain/roles.js";
import { duesLedgerXlsx } from "../../files/dues-ledger-xlsx.js";
import { formatMoney } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { inRows } from "../keyboards/rows.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, replyInChunks, respond, type Keyboard } from "../reply.js";
import { compactMonth, monthFromCompact, monthLabel } from "../views/months.js";
import { pageNavRow, pagedKeyboard } from "../views/paging.js";

export const DUES_SHEET_FLOW = "dues.month";
const REMIT_FLOW = "dues.remit";
const PAGE = 10;

interface SheetData {
  sheet: MonthSheet;
  /** Members ticked as paying now, with the amount (defaults to what is due). */
  selected: Record<string, number>;
  page: number;
  editing?: number;
}
type SheetState = FlowState<SheetData>;

export async function showDuesEntry(ctx: BotContext): Promise<void> {
  const scope = managedBranchIds(ctx.actor);
  if (scope !== "all" && scope.length === 1 && scope[0] !== undefined) return showDuesMenu(ctx, scope[0]);
  if (scope !== "all") return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  const branches = await listBranches(ctx.app, requestOf(ctx), 0);
  if (!branches.ok) return refuse(ctx, branches);
  const year = Number(currentMonthOf(ctx.now, ctx.app.timeZone).slice(0, 4));
  const buttons = branches.value.items.map((b) => ({ text: b.name, callback_data: encode("pB", b.id) }));
  await respond(
    ctx,
    ctx.t("dues.chooseBranch"),
    pagedKeyboard(ctx.t, buttons, branches.value.page, branches.value.pages, (p) => encode("bl", p), [
      [{ text: ctx.t("dues.committeeButton", { year }), callback_data: encode("pC", year) }],
    ]),
  );
}

async function showDuesMenu(ctx: BotContext, branchId: number): Promise<void> {
  if (!canManageBranch(ctx.actor, branchId)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  const month = currentMonthOf(ctx.now, ctx.app.timeZone);
  const year = yearOfMonth(month);
  const card = await viewBranch(ctx.app, requestOf(ctx), branchId);
  if (!card.ok) return refuse(ctx, card);
  const name = card.value.branch.name;
  const rows: Keyboard = [
    [
      {
        text: ctx.t("dues.collectMonth", { month: monthLabel(ctx, month) }),
        callback_data: encode("pM", branchId, compactMonth(month)),
      },
    ],
    [{ text: ctx.t("dues.otherMonth"), callback_data: encode("pO", branchId) }],
    [{ text: ctx.t("dues.oneMember"), callback_data: encode("pU", branchId, "pay", 0) }],
    [
      {
        text: ctx.t("dues.monthStatus", { month: monthLabel(ctx, month) }),
        callback_data: encode("pS", branchId, compactMonth(month)),
      },
    ],
    [{ text: ctx.t("dues.viewMember"), callback_data: encode("pU", branchId, "book", 0) }],
    [{ text: ctx.t("dues.ledger", { year }), callback_data: encode("pL", branchId, year) }],
    [{ text: ctx.t("dues.remit"), callback_data: encode("pR", branchId) }],
    [
      { text: ctx.t("dues.rates"), callback_data: encode("yB", branchId) },
      { text: ctx.t("dues.reliefs"), callback_data: encode("pU", branchId, "relief", 0) },
    ],
  ];
  await respond(ctx, ctx.t("dues.menu", { branch: name }), rows);
}

function sheetTotals(data: SheetData): { paid: number; collected: number; expected: number; due: number } {
  const rows = data.sheet.rows.filter((r) => r.state !== "EXEMPT");
  const paidBefore = rows.filter((r) => r.state === "PAID");
  const ticked = Object.values(data.selected);
  return {
    paid: paidBefore.length + ticked.length,
    collected: ticked.reduce((a, b) => a + b, 0),
    expected: rows.reduce((sum, r) => sum + r.due, 0),
    due: rows.length,
  };
}

function renderSheet(ctx: BotContext, state: SheetState): { text: string; keyboard: Keyboard } {
  const { sheet, selected, page } = state.data;
  const totals = sheetTotals(state.data);
  const text = [
    ctx.t("dues.sheetTitle", { branch: sheet.branchName, month: monthLabel(ctx, sheet.month) }),
    ctx.t("dues.sheetCounts", {
      paid: totals.paid,
      due: totals.due,
      collected: formatMoney(totals.collected),
      expected: formatMoney(totals.expected),
    }),
    ctx.t("dues.sheetHint"),
  ].join("\n");
  const pages = Math.max(1, Math.ceil(sheet.rows.length / PAGE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const keyboard: Keyboard = sheet.rows.slice(current * PAGE, (current + 1) * PAGE).map((row) => {
    const ticked = selected[String(row.memberId)];
    const mark =
      row.state === "PAID"
        ? ctx.t("dues.paidBefore")
        : row.state === "EXEMPT"
          ? ctx.t("dues.exemptMark")
          : ticked !== undefined
            ? ctx.t("dues.willPay")
            : row.state === "DEFERRED"
              ? ctx.t("dues.deferredMark")
              : ticked !== undefined
                ? ctx.t("dues.willPay")
                : row.unset
                  ? ctx.t("dues.unsetMark")
                  : ctx.t("dues.notPaying");
    const amount = ticked !== undefined ? ticked : row.due;
    return [
      {
        text: `${mark} ${row.name} · ${formatMoney(amount)}`.slice(0, 120),
        callback_data: encode("qt", state.id, row.memberId),
      },
    ];
  });
  keyboard.push([
    { text: ctx.t("dues.allPay"), callback_data: encode("qa", state.id) },
    { text: ctx.t("dues.none"), callback_data: encode("qn", state.id) },
  ]);
  if (pages > 1) keyboard.push(pageNavRow(ctx.t, current, pages, (p) => encode("qp", state.id, p)));
  keyboard.push([{ text: ctx.t("dues.editAmount"), callback_data: encode("qe", state.id) }]);
  keyboard.push([
    { text: ctx.t("dues.continue"), callback_data: encode("qc", state.id) },
    { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
  ]);
  return { text, keyboard };
}

async function showSheet(ctx: BotContext, state: SheetState): Promise<void> {
  await ctx.flow.update(state);
  const { text, keyboard } = renderSheet(ctx, state);
  await respond(ctx, text, keyboard);
}

async function openSheet(ctx: BotContext, branchId: number, month: MonthKey): Promise<void> {
  const opened = await openMonthSheet(ctx.app, requestOf(ctx), branchId, month);
  if (!opened.ok) return refuse(ctx, opened);
  const state = await ctx.flow.start<SheetData>(DUES_SHEET_FLOW, "sheet", {
    sheet: opened.value,
    selected: {},
    page: 0,
  });
  await showSheet(ctx, state);
}

/** Who may be ticked: members on the books this month, not exempt, not already paid, with an amount. */
function tickable(
  state: SheetState,
  memberId: number,
): { ok: true; due: number } | { ok: false; reason: "PAID" | "EXEMPT" | "UNSET" | "MISSING"; name: string } {
  const row = state.data.sheet.rows.find((r) => r.memberId === memberId);
  if (!row) return { ok: false, reason: "MISSING", name: "" };
  if (row.state === "PAID") return { ok: false, reason: "PAID", name: row.name };
  if (row.state === "EXEMPT") return { ok: false, reason: "EXEMPT", name: row.name };
  return { ok: true, due: row.due };
}

/**
 * Another officer recorded some of these payments first: nothing of this confirmation was written. The
 * stale confirmation is edited to say so and who had been recorded meanwhile, and the sheet comes again as it
 * now stands, with the ticks that still apply kept, for the officer to confirm the rest.
 */
async function lostRace(ctx: BotContext, state: SheetState): Promise<void> {
  const fresh = await openMonthSheet(ctx.app, requestOf(ctx), state.data.sheet.branchId, state.data.sheet.month);
  if (!fresh.ok) {
    await ctx.flow.clear();
    return refuse(ctx, fresh);
  }
  const paidMeanwhile = fresh.value.rows
    .filter((r) => r.state === "PAID" && String(r.memberId) in state.data.selected)
    .map((r) => r.name);
  const selected = Object.fromEntries(
    Object.entries(state.data.selected).filter(([id]) =>
      fresh.value.rows.some((r) => String(r.memberId) === id && r.state !== "PAID" && r.state !== "EXEMPT"),
    ),
  );
  await respond(
    ctx,
    ctx.t("dues.raceLost", {
      month: monthLabel(ctx, state.data.sheet.month),
      names: paidMeanwhile.join(", ") || ctx.t("common.none"),
    }),
  );
  const next: SheetState = { ...state, step: "sheet", data: { ...state.data, sheet: fresh.value, selected, page: 0 } };
  await ctx.flow.update(next);
  const { text, keyboard } = renderSheet(ctx, next);
  await ctx.reply(text, { reply_markup: { inline_keyboard: keyboard } });
}

/** The remittance flow: the branch, then the period, then the amount typed. */
type RemitData = { branchId: number; period?: string; branchName?: string };

export function duesFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("dangphi", (ctx) => showDuesEntry(ctx));
  onAction(feature, "pB", (ctx, [branchId]) => showDuesMenu(ctx, branchId));
  onAction(feature, "pM", (ctx, [branchId, compact]) => openSheet(ctx, branchId, monthFromCompact(compact)));
  // Another month's checklist: the months of one year (up to three ahead), with the years before and after, so
  // an old month still owed can be collected too.
  const chooseSheetMonth = async (ctx: BotContext, branchId: number, year: number) => {
    if (!canManageBranch(ctx.actor, branchId)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const latest = addMonths(currentMonthOf(ctx.now, ctx.app.timeZone), 3);
    const months = monthsOfYear(year).filter((m) => m <= latest);
    const rows: Keyboard = inRows(
      months.map((m) => ({ text: monthLabel(ctx, m), callback_data: encode("pM", branchId, compactMonth(m)) })),
      3,
    );
    const years: Keyboard[number] = [];
    if (year > 2000)
      years.push({
        text: `◀️ ${ctx.t("dues.yearButton", { year: year - 1 })}`,
        callback_data: encode("pY", branchId, year - 1),
      });
    if (year < yearOfMonth(latest))
      years.push({
        text: `${ctx.t("dues.yearButton", { year: year + 1 })} ▶️`,
        callback_data: encode("pY", branchId, year + 1),
      });
    if (years.length > 0) rows.push(years);
    await respond(ctx, ctx.t("dues.chooseMonth"), rows);
  };
  onAction(feature, "pO", (ctx, [branchId]) =>
    chooseSheetMonth(ctx, branchId, yearOfMonth(currentMonthOf(ctx.now, ctx.app.timeZone))),
  );
  onAction(feature, "pY", (ctx, [branchId, year]) => chooseSheetMonth(ctx, branchId, year));

  onFlowAction<"qt", SheetData>(feature, "qt", DUES_SHEET_FLOW, async (ctx, state, [, memberId]) => {
    if (!canManageBranch(ctx.actor, state.data.sheet.branchId)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const key = String(memberId);
    const check = tickable(state, memberId);
    const month = monthLabel(ctx, state.data.sheet.month);
    if (!check.ok) {
      const toast =
        check.reason === "PAID"
          ? "dues.alreadyPaidToast"
          : check.reason === "EXEMPT"
            ? "dues.exemptToast"
            : "common.staleButton";
      return ctx.answerCbQuery(ctx.t(toast, { name: check.name, month }));
    }
    const selected = { ...state.data.selected };
    if (key in selected) delete selected[key];
    else if (check.due > 0) selected[key] = check.due;
    else {
      const row = state.data.sheet.rows.find((r) => r.memberId === memberId)!;
      return ctx.answerCbQuery(ctx.t("dues.unsetToast", { name: row.name }), { show_alert: true });
    }
    await showSheet(ctx, { ...state, data: { ...state.data, selected } });
  });
  onFlowAction<"qa", SheetData>(feature, "qa", DUES_SHEET_FLOW, async (ctx, state) => {
    const selected: Record<string, number> = { ...state.data.selected };
    for (const row of state.data.sheet.rows)
      if (row.state !== "PAID" && row.state !== "EXEMPT" && row.due > 0 && !(String(row.memberId) in selected))
        selected[String(row.memberId)] = row.due;
    await showSheet(ctx, { ...state, data: { ...state.data, selected } });
  });
  onFlowAction<"qn", SheetData>(feature, "qn", DUES_SHEET_FLOW, (ctx, state) =>
    showSheet(ctx, { ...state, data: { ...state.data, selected: {} } }),
  );
  onFlowAction<"qp", SheetData>(feature, "qp", DUES_SHEET_FLOW, (ctx, state, [, page]) =>
    showSheet(ctx, { ...state, data: { ...state.data, page } }),
  );
  onFlowAction<"qe", SheetData>(feature, "qe", DUES_SHEET_FLOW, async (ctx, state) => {
    const rows = state.data.sheet.rows.filter((r) => r.state !== "PAID" && r.state !== "EXEMPT");
    const buttons: Keyboard = rows
      .slice(0, 60)
      .map((r) => [{ text: r.name, callback_data: encode("qm", state.id, r.memberId) }]);
    await ctx.reply(ctx.t("dues.chooseAmountMember"), { reply_markup: { inline_keyboard: buttons } });
  });
  onFlowAction<"qm", SheetData>(feature, "qm", DUES_SHEET_FLOW, async (ctx, state, [, memberId]) => {
    const check = tickable(state, memberId);
    if (!check.ok) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const row = state.data.sheet.rows.find((r) => r.memberId === memberId)!;
    await ctx.flow.update({ ...state, step: "amount", data: { ...state.data, editing: memberId } });
    await ctx.reply(ctx.t("dues.askAmount", { name: row.name, month: monthLabel(ctx, state.data.sheet.month) }));
  });
  onFlowText<SheetData>(feature, DUES_SHEET_FLOW, async (ctx, state, text) => {
    if (state.step !== "amount" || state.data.editing === undefined) return ctx.reply(ctx.t("dues.sheetHint"));
    const amount = parseAmount(text, DUES_PARAMS.monthlyCap);
    if (!amount.ok) return refuse(ctx, { ...amount, params: { max: formatMoney(DUES_PARAMS.monthlyCap) } });
    const selected = { ...state.data.selected, [String(state.data.editing)]: amount.value };
    const next: SheetState = { ...state, step: "sheet", data: { ...state.data, selected, editing: undefined } };
    await ctx.flow.update(next);
    const { text: sheetText, keyboard } = renderSheet(ctx, next);
    await ctx.reply(sheetText, { reply_markup: { inline_keyboard: keyboard } });
  });
  onFlowAction<"qc", SheetData>(feature, "qc", DUES_SHEET_FLOW, async (ctx, state) => {
    const count = Object.keys(state.data.selected).length;
    if (count === 0) return refuse(ctx, { code: "DUES.NOTHING_TO_SAVE" });
    await ctx.flow.update({ ...state, step: "confirm" });
    const total = Object.values(state.data.selected).reduce((a, b) => a + b, 0);
    await ctx.reply(
      ctx.t("dues.confirmMonth", {
        month: monthLabel(ctx, state.data.sheet.month),
        branch: state.data.sheet.branchName,
        count,
        total: formatMoney(total),
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
  onFlowAction<"fy", SheetData>(feature, "fy", DUES_SHEET_FLOW, async (ctx, state) => {
    if (state.step !== "confirm") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const selections = Object.entries(state.data.selected).map(([memberId, amount]) => ({
      memberId: Number(memberId),
      amount,
    }));
    const summary = ctx.t("dues.savedMonth", {
      count: selections.length,
      month: monthLabel(ctx, state.data.sheet.month),
      total: formatMoney(selections.reduce((sum, s) => sum + s.amount, 0)),
    });
    const result = await recordMonthPayments(
      ctx.app,
      savingRequest(ctx, state, summary),
      state.data.sheet.branchId,
      state.data.sheet.month,
      selections,
    );
    if (!result.ok && result.code === "DUES.MONTH_ALREADY_PAID") return lostRace(ctx, state);
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    await respond(
      ctx,
      ctx.t("dues.savedMonth", {
        count: result.value.count,
        month: monthLabel(ctx, state.data.sheet.month),
        total: formatMoney(result.value.total),
      }),
    );
  });

  onAction(feature, "pS", async (ctx, [branchId, compact]) => {
    const result = await branchMonthStatus(ctx.app, requestOf(ctx), branchId, monthFromCompact(compact));
    if (!result.ok) return refuse(ctx, result);
    const s = result.value;
    const line = (l: { name: string; amount: number }) =>
      ctx.t("dues.statusLine", { name: l.name, amount: formatMoney(l.amount) });
    await replyInChunks(ctx, [
      ctx.t("dues.monthStatusTitle", {
        month: monthLabel(ctx, s.month),
        branch: s.branchName,
        collected: formatMoney(s.collected),
        expected: formatMoney(s.expected),
      }),
      ctx.t("dues.paidList", { count: s.paid.length }),
      ...s.paid.map(line),
      ctx.t("dues.unpaidList", { count: s.unpaid.length }),
      ...s.unpaid.map(line),
    ]);
  });

  onAction(feature, "pL", async (ctx, [branchId, year]) => {
    const result = await branchLedger(ctx.app, requestOf(ctx), branchId, year);
    if (!result.ok) return refuse(ctx, result);
    const ledger = result.value;
    const content = await duesLedgerXlsx(ledger, ctx.t);
    // Internal documents go only to the asker's own private chat (the bot works in private chats only).
    await ctx.replyWithDocument(
      { source: content, filename: `so-dang-phi-${year}-chi-bo-${branchId}.xlsx` },
      { caption: ctx.t("dues.ledgerCaption", { year, branch: ledger.branchName }) },
    );
  });

  onAction(feature, "pC", async (ctx, [year]) => {
    if (!isCommittee(ctx.actor)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const result = await committeeDuesYear(ctx.app, requestOf(ctx), year);
    if (!result.ok) return refuse(ctx, result);
    const { lines, collected, remitted } = result.value;
    await replyInChunks(ctx, [
      ctx.t("dues.committeeTitle", { year }),
      ...lines.map((l) =>
        ctx.t("dues.committeeLine", {
          branch: l.branchName,
          collected: formatMoney(l.collected),
          remitted: formatMoney(l.remitted),
        }),
      ),
      ctx.t("dues.committeeTotal", { collected: formatMoney(collected), remitted: formatMoney(remitted) }),
    ]);
  });

  onAction(feature, "pR", async (ctx, [branchId]) => {
    if (!canManageBranch(ctx.actor, branchId)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const current = currentMonthOf(ctx.now, ctx.app.timeZone);
    const state = await ctx.flow.start(REMIT_FLOW, "period", { branchId });
    const year = yearOfMonth(current);
    const quarter = Math.ceil(monthNumber(current) / 3);
    const previousQuarter = quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };
    const rows: Keyboard = [
      [addMonths(current, -1), current].map((m) => ({
        text: monthLabel(ctx, m),
        callback_data: encode("qr", state.id, compactMonth(m)),
      })),
      [previousQuarter, { year, quarter }].map((q) => ({
        text: ctx.t("dues.quarter", q),
        callback_data: encode("qr", state.id, `${q.year}Q${q.quarter}`),
      })),
    ];
    await ctx.reply(ctx.t("dues.remitPeriod"), { reply_markup: { inline_keyboard: rows } });
  });
  onFlowAction<"qr", RemitData>(feature, "qr", REMIT_FLOW, async (ctx, state, [, compact]) => {
    const period = compact.includes("Q") ? `${compact.slice(0, 4)}-${compact.slice(4)}` : monthFromCompact(compact);
    const card = await viewBranch(ctx.app, requestOf(ctx), state.data.branchId);
    if (!card.ok) return refuse(ctx, card);
    await ctx.flow.update({
      ...state,
      step: "amount",
      data: { ...state.data, period, branchName: card.value.branch.name },
    });
    await ctx.reply(ctx.t("dues.remitAsk", { branch: card.value.branch.name, period: periodLabel(ctx, period) }));
  });
  onFlowText<RemitData>(feature, REMIT_FLOW, async (ctx, state, text) => {
    if (state.step !== "amount" || !state.data.period) return;
    const amount = parseAmount(text, Number.MAX_SAFE_INTEGER);
    if (!amount.ok) return refuse(ctx, amount);
    const summary = ctx.t("dues.remitted", {
      branch: state.data.branchName ?? "",
      amount: formatMoney(amount.value),
      period: periodLabel(ctx, state.data.period),
    });
    const result = await recordRemittance(
      ctx.app,
      savingRequest(ctx, state, summary),
      state.data.branchId,
      state.data.period,
      amount.value,
    );
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(
      ctx.t("dues.remitted", {
        branch: result.value.branchName,
        amount: formatMoney(result.value.amount),
        period: periodLabel(ctx, result.value.period),
      }),
    );
  });
  return feature;
}

function periodLabel(ctx: BotContext, period: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  return quarter ? ctx.t("dues.quarter", { quarter: quarter[2]!, year: quarter[1]! }) : monthLabel(ctx, period);
}
