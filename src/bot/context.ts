import type { Context } from "telegraf";
import type { Logger } from "pino";
import type { AppDeps, Request } from "../app/deps.js";
import type { Actor } from "../domain/roles.js";
import type { Locale, Translate } from "../i18n/index.js";
import type { FlowHandle } from "./flow.js";

/** The Telegraf context with what our middleware adds before any feature runs. */
export interface BotContext extends Context {
  actor: Actor;
  locale: Locale;
  t: Translate;
  log: Logger;
  /** The instant this update is handled at, read once by the composition root's clock. */
  now: Date;
  flow: FlowHandle;
  app: AppDeps;
  /** Username of this bot, for invitation deep links. */
  botUsername: string;
}

export function requestOf(ctx: BotContext): Request {
  return { actor: ctx.actor, now: ctx.now };
}
