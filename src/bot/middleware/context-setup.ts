// Fills the context every feature relies on: the clock reading, a child logger, the actor and their
// language, and the persisted conversation flow. (Re-delivered updates are dropped by the update gate.)
import { randomBytes } from "node:crypto";
import type { MiddlewareFn } from "telegraf";
import type { Logger } from "pino";
import type { AppDeps } from "../../app/deps.js";
import { identifyActor } from "../../app/identify-actor.js";
import { translator, type Locale } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { createFlowHandle, flowKey } from "../flow.js";
import type { ChatPorts } from "../ports.js";

export interface SetupOptions {
  app: AppDeps;
  ports: ChatPorts;
  logger: Logger;
  clock: () => Date;
  defaultLocale: Locale;
  botUsername: () => string;
}

export function contextSetup(options: SetupOptions): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    ctx.now = options.clock();
    ctx.app = options.app;
    ctx.botUsername = options.botUsername();
    ctx.log = options.logger.child({
      updateId: ctx.update.update_id,
      chatId: ctx.chat?.id,
      from: ctx.from?.id,
      type: ctx.updateType,
    });
    // Channel posts and the like carry no sender: nothing here is for them.
    if (!ctx.from || ctx.from.is_bot) return;
    answerOnce(ctx);
    ctx.actor = await identifyActor(options.app, ctx.from);
    ctx.locale = ctx.actor.locale ?? options.defaultLocale;
    ctx.t = translator(ctx.locale);
    const chatId = ctx.chat?.id ?? ctx.from.id;
    ctx.flow = createFlowHandle(options.ports.conversations, flowKey(chatId, ctx.from.id), () =>
      randomBytes(6).toString("base64url"),
    );
    const started = performance.now();
    await next();
    ctx.log.debug({ ms: Math.round(performance.now() - started) }, "update handled");
  };
}

/**
 * A press is answered once: Telegram refuses a second answer ("query is too old"). A handler that answered
 * with a reason (a refusal's pop-up) comes first; the generic answer the action wrappers add after every
 * handler then does nothing.
 */
function answerOnce(ctx: BotContext): void {
  if (!ctx.callbackQuery) return;
  const answer = ctx.answerCbQuery.bind(ctx);
  let answered = false;
  ctx.answerCbQuery = async (...args: Parameters<BotContext["answerCbQuery"]>) => {
    if (answered) return true;
    answered = true;
    return answer(...args);
  };
}
