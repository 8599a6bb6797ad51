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
  /** The flow this update saves (set by `savingRequest`): if the update then fails, whether it saved is looked up. */
  savingFlow?: { chatKey: string; flowId: string };
}

export function requestOf(ctx: BotContext): Request {
  return { actor: ctx.actor, now: ctx.now };
}

/**
 * The request that saves a flow's result: the save is recorded with it and closes the flow, once; a later
 * press of the flow's buttons is answered with `summary` (what was saved, as the person reads it now).
 */
export function savingRequest(ctx: BotContext, state: { flow: string; id: string }, summary: string): Request {
  ctx.savingFlow = { chatKey: ctx.flow.key, flowId: state.id };
  return {
    ...requestOf(ctx),
    seal: {
      chatKey: ctx.flow.key,
      flowId: state.id,
      flow: state.flow,
      summary: summary.slice(0, 3000),
      updateId: ctx.update.update_id,
    },
  };
}
