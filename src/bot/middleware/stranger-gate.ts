// A stranger learns nothing: every update but an invitation link gets the same short explanation.
import type { MiddlewareFn } from "telegraf";
import { isStranger } from "../../domain/roles.js";
import type { BotContext } from "../context.js";

const START_WITH_CODE = /^\/start(@\w+)?\s+\S+/;

export function strangerGate(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!isStranger(ctx.actor)) return next();
    const text = ctx.message && "text" in ctx.message ? ctx.message.text : "";
    if (START_WITH_CODE.test(text)) return next();
    if (ctx.callbackQuery) {
      await ctx.answerCbQuery(ctx.t("errors.forbidden"), { show_alert: true });
      return;
    }
    await ctx.reply(ctx.t("start.stranger"));
  };
}
