// Member data is personal: every feature after this works in private chats only, so nothing personal lands
// in a group. Groups are answered before it, by features/branch-group.ts, with nothing about any member.
import type { MiddlewareFn } from "telegraf";
import type { BotContext } from "../context.js";

export function privateChatsOnly(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.chat && ctx.chat.type !== "private") {
      ctx.log.info("update from a non-private chat ignored");
      if (ctx.callbackQuery) await ctx.answerCbQuery();
      return;
    }
    await next();
  };
}
