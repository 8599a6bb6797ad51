// Whatever no feature took: a short pointer to /menu, and stale or unknown buttons answered politely.
import { Composer } from "telegraf";
import type { BotContext } from "../context.js";

export function fallbackFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on("callback_query", async (ctx) => {
    await ctx.answerCbQuery(ctx.t("common.staleButton"), { show_alert: true });
  });
  feature.on("message", async (ctx) => {
    await ctx.reply(ctx.t("common.unknownText"));
  });
  return feature;
}
