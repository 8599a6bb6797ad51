// /caidat: the rule parameters in force for the committee; an admin changes the main ones (audited).
import { Composer } from "telegraf";
import { changeParameter, EDITABLE_PARAMETERS, viewParameters, type EditableParameter } from "../../app/settings.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, type Keyboard } from "../reply.js";

const FLOW = "settings.edit";

export function settingsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("caidat", async (ctx) => {
    const result = await viewParameters(ctx.app, requestOf(ctx));
    if (!result.ok) return refuse(ctx, result);
    const lines = EDITABLE_PARAMETERS.map((key) => ctx.t("settings.line", { name: ctx.t(`settings.names.${key}`), value: String(result.value.values[key]) }));
    const rows: Keyboard = result.value.editable ? EDITABLE_PARAMETERS.map((key) => [{ text: ctx.t("settings.edit", { name: ctx.t(`settings.names.${key}`) }).slice(0, 60), callback_data: encode("sE", key) }]) : [];
    await ctx.reply([ctx.t("settings.title"), ...lines, ...(result.value.editable ? [] : ["", ctx.t("settings.readOnly")])].join("\n"), { reply_markup: { inline_keyboard: rows } });
  });
  onAction(feature, "sE", async (ctx, [key]) => {
    const result = await viewParameters(ctx.app, requestOf(ctx));
    if (!result.ok || !result.value.editable) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    await ctx.flow.start(FLOW, "value", { key });
    await ctx.reply(ctx.t("settings.ask", { name: ctx.t(`settings.names.${key}`), value: String(result.value.values[key]) }));
  });
  onFlowText<{ key: EditableParameter }>(feature, FLOW, async (ctx, state, text) => {
    const summary = ctx.t("settings.saved", { name: ctx.t(`settings.names.${state.data.key}`), value: text.trim() });
    const result = await changeParameter(ctx.app, savingRequest(ctx, state, summary), state.data.key, text);
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await ctx.reply(ctx.t("settings.saved", { name: ctx.t(`settings.names.${state.data.key}`), value: String(result.value[state.data.key]) }));
  });
  return feature;
}
