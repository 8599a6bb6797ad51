// Hands each update to the gate (the UpdateGate port; src/app/update-gate.ts): its chat's lease across
// processes and its processed-update claim. The chat key is the sequencer's: updates with neither chat nor sender share one.
import type { Context, MiddlewareFn } from "telegraf";
import type { UpdateGate } from "../ports.js";

export function chatKeyOf(ctx: Context): string {
  return String(ctx.chat?.id ?? ctx.from?.id ?? "global");
}

export function updateGate<C extends Context>(gate: UpdateGate): MiddlewareFn<C> {
  return async (ctx, next) => {
    await gate.handle(ctx.update.update_id, chatKeyOf(ctx), () => next());
  };
}
