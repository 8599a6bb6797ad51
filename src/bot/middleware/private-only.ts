// Member data is personal: the bot works in private chats only, so nothing lands in a group.
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
