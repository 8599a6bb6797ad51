// /caidat: the rule parameters in force for the commune (the province's defaults for a province office); its
// admin changes the main ones (audited: a commune admin its commune's, a province admin the defaults), and
// keeps the holiday calendar of each year (📅: view, confirm, add or take off a day; audited). The rules
// fixed by the texts (dues rates by date, who is graded, the time to recognise a full member) are shown too.
import { Composer } from "telegraf";
import { changeParameter, EDITABLE_PARAMETERS, viewParameters, type EditableParameter } from "../../app/settings.js";
import { changeCommitteeSigner, CLEAR_SIGNER } from "../../app/document-signers.js";
import {
  addHolidayDay,
  confirmHolidayYear,
  removeHolidayDay,
  viewHolidayYear,
  type HolidayYearStatus,
} from "../../app/holidays.js";
import { isoDateIn, parseTypedDate } from "../../domain/dates.js";
import { addMonths, DUES_RATE_SCHEDULE } from "../../domain/dues.js";
import { RULE_WINDOWS, type RuleParameters } from "../../domain/rules/index.js";
import { formatDate, formatInstantDate, formatPercent } from "../../i18n/format.js";
import { monthLabel } from "../views/months.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import type { FlowState } from "../flow.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";

const FLOW = "settings.edit";
const SIGNER_FLOW = "settings.signer";
type EditData = { key: EditableParameter };

const UNITS = {
  absenceWarnMonths: "settings.units.months",
  absenceAlertMonths: "settings.units.months",
  duesWarnMonths: "settings.units.months",
  duesAlertMonths: "settings.units.months",
  duesGraceDays: "settings.units.days",
  excusedStreak: "settings.units.times",
  checkinEveryMonths: "settings.units.months",
  digestThreshold: "settings.units.notices",
} as const;

/** A parameter's value as people read it: "3 tháng", "10 ngày", "90%", "theo năm dương lịch …". */
export function parameterText(ctx: BotContext, key: EditableParameter, values: RuleParameters): string {
  if (key === "ruleWindow") return ctx.t(`settings.windows.${values.ruleWindow}`);
  if (key === "attendanceTarget") return formatPercent(values.attendanceTarget, ctx.locale).replace(/[.,]0%$/, "%");
  return ctx.t(UNITS[key], { count: values[key] });
}

async function saveParameter(ctx: BotContext, state: FlowState<EditData>, raw: string, typed: string): Promise<void> {
  const name = ctx.t(`settings.names.${state.data.key}`);
  const result = await changeParameter(
    ctx.app,
    savingRequest(ctx, state, ctx.t("settings.saved", { name, value: typed })),
    state.data.key,
    raw,
  );
  if (!result.ok) return refuse(ctx, result);
  await ctx.flow.clear();
  await respond(ctx, ctx.t("settings.saved", { name, value: parameterText(ctx, state.data.key, result.value) }));
}

export function settingsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("caidat", async (ctx) => {
    const result = await viewParameters(ctx.app, requestOf(ctx));
    if (!result.ok) return refuse(ctx, result);
    const lines = EDITABLE_PARAMETERS.map((key) =>
      ctx.t("settings.line", {
        name: ctx.t(`settings.names.${key}`),
        value: parameterText(ctx, key, result.value.values),
      }),
    );
    const rows: Keyboard = result.value.editable
      ? EDITABLE_PARAMETERS.map((key) => [
          {
            text: ctx.t("settings.edit", { name: ctx.t(`settings.names.${key}`) }).slice(0, 60),
            callback_data: encode("sE", key),
          },
        ])
      : [];
    const province = result.value.level === "province";
    if (result.value.editable && !province)
      rows.push([{ text: ctx.t("settings.signerEdit"), callback_data: encode("sS") }]);
    const year = Number(isoDateIn(ctx.now, ctx.app.timeZone).slice(0, 4));
    rows.push(
      [year, year + 1].map((y) => ({ text: ctx.t("holidays.button", { year: y }), callback_data: encode("hY", y) })),
    );
    const fixed = fixedRuleLines(ctx, result.value.values, result.value.holidayYears);
    await ctx.reply(
      [
        ctx.t(province ? "settings.provinceTitle" : "settings.title"),
        ...lines,
        // The province signs nothing here: each commune's secretary signs its committee's documents.
        ...(province ? [] : [signerLine(ctx, result.value.signer)]),
        "",
        ...fixed,
        ...(result.value.editable ? [] : ["", ctx.t(province ? "settings.provinceReadOnly" : "settings.readOnly")]),
      ].join("\n"),
      { reply_markup: { inline_keyboard: rows } },
    );
  });
  onAction(feature, "sE", async (ctx, [key]) => {
    const result = await viewParameters(ctx.app, requestOf(ctx));
    if (!result.ok || !result.value.editable) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const state = await ctx.flow.start<EditData>(FLOW, "value", { key });
    const ask = ctx.t("settings.ask", {
      name: ctx.t(`settings.names.${key}`),
      value: parameterText(ctx, key, result.value.values),
    });
    // The counting window is one of two: chosen with a button, not typed.
    const choices: Keyboard =
      key === "ruleWindow"
        ? RULE_WINDOWS.map((w) => [
            { text: ctx.t(`settings.windowChoices.${w}`), callback_data: encode("sW", state.id, w) },
          ])
        : [];
    await ctx.reply(ask, {
      reply_markup: {
        inline_keyboard: [...choices, [{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]],
      },
    });
  });
  onFlowText<EditData>(feature, FLOW, (ctx, state, text) => saveParameter(ctx, state, text, text.trim()));
  onFlowAction<"sW", EditData>(feature, "sW", FLOW, (ctx, state, [, window]) =>
    state.data.key === "ruleWindow"
      ? saveParameter(ctx, state, window, ctx.t(`settings.windows.${window}`))
      : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onAction(feature, "sS", async (ctx) => {
    const result = await viewParameters(ctx.app, requestOf(ctx));
    if (!result.ok || !result.value.editable || result.value.level === "province")
      return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const state = await ctx.flow.start(SIGNER_FLOW, "name", {});
    await ctx.reply(
      ctx.t("settings.signerAsk", {
        value: result.value.signer ?? ctx.t("settings.signerNone"),
        clear: CLEAR_SIGNER,
      }),
      {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] },
      },
    );
  });
  onFlowText(feature, SIGNER_FLOW, async (ctx, state, text) => {
    const cleared = text.trim() === CLEAR_SIGNER;
    const summary = cleared ? ctx.t("settings.signerCleared") : ctx.t("settings.signerSaved", { name: text.trim() });
    const result = await changeCommitteeSigner(ctx.app, savingRequest(ctx, state, summary), text);
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await respond(
      ctx,
      result.value === null ? ctx.t("settings.signerCleared") : ctx.t("settings.signerSaved", { name: result.value }),
    );
  });
  onAction(feature, "hY", (ctx, [year]) => showHolidays(ctx, year));
  onAction(feature, "hC", async (ctx, [year]) => {
    const result = await confirmHolidayYear(ctx.app, requestOf(ctx), year);
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(ctx.t("holidays.confirmed", { year }));
    await showHolidays(ctx, year);
  });
  for (const [action, step] of [
    ["hA", "add"],
    ["hR", "remove"],
  ] as const) {
    onAction(feature, action, async (ctx, [year]) => {
      const view = await viewHolidayYear(ctx.app, requestOf(ctx), year);
      if (!view.ok || !view.value.editable) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
      const state = await ctx.flow.start<{ year: number }>(HOLIDAY_FLOW, step, { year });
      await ctx.reply(ctx.t(step === "add" ? "holidays.askAdd" : "holidays.askRemove", { year }), {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] },
      });
    });
  }
  onFlowText<{ year: number }>(feature, HOLIDAY_FLOW, async (ctx, state, text) => {
    const typed = parseTypedDate(text);
    const summary = ctx.t(state.step === "add" ? "holidays.dayAdded" : "holidays.dayRemoved", {
      date: typed.ok ? formatDate(typed.date) : text.trim(),
      year: state.data.year,
    });
    const result = await (state.step === "add" ? addHolidayDay : removeHolidayDay)(
      ctx.app,
      savingRequest(ctx, state, summary),
      state.data.year,
      text,
    );
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await showHolidays(ctx, state.data.year);
  });
  return feature;
}

const HOLIDAY_FLOW = "settings.holidays";

/** The committee secretary's name as the committee documents print it under the signature. */
function signerLine(ctx: BotContext, signer: string | null): string {
  return ctx.t("settings.line", { name: ctx.t("settings.signerName"), value: signer ?? ctx.t("settings.signerNone") });
}

/** A year's days off, with its status (confirmed, built in, provisional) and, for an admin, what may be done. */
async function showHolidays(ctx: BotContext, year: number): Promise<void> {
  const result = await viewHolidayYear(ctx.app, requestOf(ctx), year);
  if (!result.ok) return refuse(ctx, result);
  const view = result.value;
  const status =
    view.status === "CONFIRMED"
      ? ctx.t("holidays.statusConfirmed", { date: formatInstantDate(view.confirmedAt!, ctx.app.timeZone) })
      : view.status === "BUILT_IN"
        ? ctx.t("holidays.statusBuiltIn")
        : ctx.t("holidays.statusProvisional");
  const lines = view.days.map((d) =>
    ctx.t("holidays.day", {
      weekday: ctx.t(`holidays.weekdays.d${weekdayOf(d.date)}` as "holidays.weekdays.d1"),
      date: formatDate(d.date),
      kind: ctx.t(`holidays.kinds.${d.kind}`),
    }),
  );
  const rows: Keyboard = view.editable
    ? [
        ...(view.status === "CONFIRMED"
          ? []
          : [[{ text: ctx.t("holidays.confirm", { year }), callback_data: encode("hC", year) }]]),
        [
          { text: ctx.t("holidays.add"), callback_data: encode("hA", year) },
          { text: ctx.t("holidays.remove"), callback_data: encode("hR", year) },
        ],
      ]
    : [];
  rows.push([
    { text: `◀️ ${year - 1}`, callback_data: encode("hY", year - 1) },
    { text: `${year + 1} ▶️`, callback_data: encode("hY", year + 1) },
  ]);
  await respond(
    ctx,
    [ctx.t("holidays.title", { year }), status, "", ...lines, "", ctx.t("holidays.usedFor")].join("\n"),
    rows,
  );
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

/** The rules fixed by the texts, in words, with the holiday calendars' state. */
function fixedRuleLines(
  ctx: BotContext,
  values: RuleParameters,
  holidayYears: readonly { year: number; status: HolidayYearStatus }[],
): string[] {
  const percent = (bp: number) => formatPercent(bp / 10_000, ctx.locale);
  const rates = DUES_RATE_SCHEDULE.map((r, i) => {
    const next = DUES_RATE_SCHEDULE[i + 1];
    const period = next
      ? ctx.t("settings.fixed.ratesUntil", {
          from: monthLabel(ctx, r.from),
          to: monthLabel(ctx, addMonths(next.from, -1)),
        })
      : ctx.t("settings.fixed.ratesFrom", { from: monthLabel(ctx, r.from) });
    return ctx.t("settings.fixed.rate", {
      period,
      rate: percent(r.otherRateBp),
      retired: percent(r.otherRetiredRateBp),
    });
  });
  return [
    ctx.t("settings.fixed.title"),
    ctx.t("settings.fixed.rates"),
    ...rates,
    ctx.t("settings.fixed.graded", { months: values.gradingMinMonths }),
    ctx.t("settings.fixed.probation", { days: values.probationRecognitionWorkingDays }),
    ctx.t("settings.fixed.holidays", {
      years: holidayYears
        .map((h) =>
          ctx.t("settings.fixed.holidayYear", {
            year: h.year,
            status: ctx.t(`holidays.short.${h.status}`),
          }),
        )
        .join("; "),
    }),
  ];
}
