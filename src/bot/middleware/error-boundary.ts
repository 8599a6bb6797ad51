// An error in a handler costs the user one apology with an error id, never the process.
import { randomBytes } from "node:crypto";
import type { MiddlewareFn } from "telegraf";
import type { Logger } from "pino";
import { translator, type Locale } from "../../i18n/index.js";
import type { BotContext } from "../context.js";

export function newErrorId(): string {
  return randomBytes(4).toString("hex").toUpperCase();
}

export function errorBoundary(logger: Logger, defaultLocale: Locale): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const errorId = newErrorId();
      (ctx.log ?? logger).error({ err: error, errorId, updateId: ctx.update.update_id }, "update failed");
      const t = ctx.t ?? translator(defaultLocale);
      try {
        if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => undefined);
        if (ctx.chat) await ctx.reply(t("errors.internal", { errorId }));
      } catch (replyError) {
        logger.warn({ err: replyError, errorId }, "could not tell the user about the error");
      }
    }
  };
}
