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

export interface SetupOptions {
  app: AppDeps;
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
    ctx.log = options.logger.child({ updateId: ctx.update.update_id, chatId: ctx.chat?.id, from: ctx.from?.id, type: ctx.updateType });
    // Channel posts and the like carry no sender: nothing here is for them.
    if (!ctx.from || ctx.from.is_bot) return;
    ctx.actor = await identifyActor(options.app, ctx.from);
    ctx.locale = ctx.actor.locale ?? options.defaultLocale;
    ctx.t = translator(ctx.locale);
    const chatId = ctx.chat?.id ?? ctx.from.id;
    ctx.flow = createFlowHandle(options.app.store.repos, flowKey(chatId, ctx.from.id), () => randomBytes(6).toString("base64url"));
    const started = performance.now();
    await next();
    ctx.log.debug({ ms: Math.round(performance.now() - started) }, "update handled");
  };
}
