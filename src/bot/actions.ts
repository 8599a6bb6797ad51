// Button presses: decode and validate the data, then hand typed arguments to the handler. The
// handler (through its use case) re-checks that this actor may touch the record named.
import type { Composer } from "telegraf";
import type { BotContext } from "./context.js";
import { decode, type Action, type Decoded } from "./keyboards/callback-data.js";

type ArgsFor<A extends Action> = Extract<Decoded, { action: A }>["args"];

export function onAction<A extends Action>(
  composer: Composer<BotContext>,
  action: A,
  handler: (ctx: BotContext, args: ArgsFor<A>) => Promise<unknown>,
): void {
  composer.on("callback_query", async (ctx, next) => {
    const data = "data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const decoded = decode(data);
    if (!decoded || decoded.action !== action) return next();
    await handler(ctx, decoded.args as ArgsFor<A>);
    // Telegram shows a spinner until the press is answered; handlers that answered already are fine.
    await ctx.answerCbQuery().catch(() => undefined);
  });
}
