// Input that belongs to a flow in progress: typed answers, and the flow's own buttons (which carry
// the flow id, so a button from an older flow cannot act on a newer one).
import type { Composer } from "telegraf";
import type { BotContext } from "./context.js";
import type { FlowState } from "./flow.js";
import { decode, type Decoded } from "./keyboards/callback-data.js";

export const MAX_TEXT_INPUT = 1000;

export function onFlowText<D extends object = Record<string, unknown>>(
  composer: Composer<BotContext>,
  flow: string,
  handler: (ctx: BotContext, state: FlowState<D>, text: string) => Promise<unknown>,
): void {
  composer.on("text", async (ctx, next) => {
    if (ctx.message.text.startsWith("/")) return next();
    const state = await ctx.flow.current<D>(flow);
    if (!state) return next();
    if (ctx.message.text.length > MAX_TEXT_INPUT) {
      await ctx.reply(ctx.t("common.tooLong", { max: MAX_TEXT_INPUT }));
      return;
    }
    await handler(ctx, state, ctx.message.text);
  });
}

/** Actions whose first argument is a flow id. */
type FlowAction = {
  [A in Decoded["action"]]: Extract<Decoded, { action: A }>["args"] extends readonly [string, ...unknown[]] ? A : never;
}[Decoded["action"]];
type FlowArgs<A extends FlowAction> = Extract<Decoded, { action: A }>["args"];

/** A flow button: runs only when the chat's current flow is `flow` with the id the button carries. */
export function onFlowAction<A extends FlowAction, D extends object = Record<string, unknown>>(
  composer: Composer<BotContext>,
  action: A,
  flow: string,
  handler: (ctx: BotContext, state: FlowState<D>, args: FlowArgs<A>) => Promise<unknown>,
): void {
  composer.on("callback_query", async (ctx, next) => {
    const decoded = decode("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (!decoded || decoded.action !== action) return next();
    const state = await ctx.flow.current<D>(flow, decoded.args[0]);
    if (!state) return next();
    await handler(ctx, state, decoded.args as FlowArgs<A>);
    await ctx.answerCbQuery().catch(() => undefined);
  });
}
