// Whatever no feature took: a short pointer to /menu, and stale or unknown buttons answered politely. A
// button of a flow that has saved its result (pressed again after a lost reply, a crash, a double tap) is
// answered with when it was saved and what, and so is a typed answer that saved a flow, delivered again
// (its reply lost in a crash: the flow it answered is closed).
import { Composer } from "telegraf";
import { earlierSave, savedByUpdate } from "../../app/flow-saves.js";
import type { BotContext } from "../context.js";
import { decode, flowIdOf } from "../keyboards/callback-data.js";
import { answerAlreadySaved } from "../reply.js";

export function fallbackFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on("callback_query", async (ctx) => {
    const decoded = decode("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    const flowId = decoded ? flowIdOf(decoded) : null;
    if (flowId) {
      const saved = await earlierSave(ctx.app, ctx.flow.key, flowId);
      if (saved.ok) return answerAlreadySaved(ctx, saved.value);
    }
    await ctx.answerCbQuery(ctx.t("common.staleButton"), { show_alert: true });
  });
  feature.on("message", async (ctx) => {
    const saved = await savedByUpdate(ctx.app, ctx.flow.key, ctx.update.update_id);
    if (saved.ok) return answerAlreadySaved(ctx, saved.value);
    await ctx.reply(ctx.t("common.unknownText"));
  });
  return feature;
}
