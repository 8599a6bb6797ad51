// An error in a handler costs the user one apology with an error id, never the process.
import { randomBytes } from "node:crypto";
import type { MiddlewareFn } from "telegraf";
import type { Logger } from "pino";
import { earlierSave } from "../../app/flow-saves.js";
import { formatClock, formatInstantDate } from "../../i18n/format.js";
import { translator, type Locale } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { isRetryLater } from "../ports.js";

export function newErrorId(): string {
  return randomBytes(4).toString("hex").toUpperCase();
}

/**
 * `isStorageFailure` tells errors of the storage (src/db/errors.ts, passed in by the composition root) from
 * the others. `onStorageFailure` hears of errors that mean the server cannot store anything (disk full, read-only): the
 * user is told that, not given an error id, and the admins are alerted (src/notify/storage-alarm.ts).
 */
export function errorBoundary(
  logger: Logger,
  defaultLocale: Locale,
  isStorageFailure: (error: unknown) => boolean,
  onStorageFailure: (error: unknown) => void = () => undefined,
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      // The update could not be taken now (its chat busy in another process): nothing was done, it is not
      // answered, and Telegram delivers it again (the webhook answers an error).
      if (isRetryLater(error)) throw error;
      const errorId = newErrorId();
      const storage = isStorageFailure(error);
      (ctx.log ?? logger).error({ err: error, errorId, updateId: ctx.update.update_id, storage }, "update failed");
      if (storage) onStorageFailure(error);
      const t = ctx.t ?? translator(defaultLocale);
      try {
        if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => undefined);
        // The save went through and only what came after failed (its confirmation could not be sent, say):
        // the person is told it was saved, so they do not do it again or think it lost.
        const saved =
          !storage && ctx.savingFlow ? await earlierSave(ctx.app, ctx.savingFlow.chatKey, ctx.savingFlow.flowId) : null;
        if (saved?.ok && !saved.value.undoneAt && ctx.chat) {
          const at = saved.value.savedAt;
          await ctx.reply(
            t("common.alreadySaved", {
              time: formatClock(at, ctx.app.timeZone),
              date: formatInstantDate(at, ctx.app.timeZone),
              summary: saved.value.summary,
            }).slice(0, 4000),
          );
          return;
        }
        if (ctx.chat) await ctx.reply(storage ? t("errors.storage") : t("errors.internal", { errorId }));
      } catch (replyError) {
        logger.warn({ err: replyError, errorId }, "could not tell the user about the error");
      }
    }
  };
}
