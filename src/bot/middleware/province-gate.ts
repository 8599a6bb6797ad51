// Province officers are read-only on commune data: a person whose only roles are the province's reaches the
// province's commands and buttons and nothing else. Every other command, button (forged or replayed) and file
// gets one polite sentence saying what they can use. Someone who also holds a role in a commune is not
// stopped here: the use cases check that role as they check everyone's.
import type { MiddlewareFn } from "telegraf";
import { audienceOf } from "../../domain/roles.js";
import { commandsOf } from "../commands.js";
import type { BotContext } from "../context.js";
import { decode, type Action } from "../keyboards/callback-data.js";

/**
 * The buttons a province officer may press: the language, a flow's own buttons (a flow is only ever one of
 * the province's: no commune flow can start for them), the province's report and communes, and /caidat's
 * (whose use cases decide what a province admin may change).
 */
const PROVINCE_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  "lg",
  "fy",
  "fn",
  "fs",
  "fc",
  "pvk",
  "pvp",
  "pvc",
  "pvn",
  "pvi",
  "pvo",
  "pvr",
  "pvl",
  "pvq",
  "pvx",
  "sE",
  "sS",
  "sW",
  "hY",
  "hC",
  "hA",
  "hR",
]);

const COMMAND = /^\/([a-z]+)(@\w+)?(\s|$)/i;

export function provinceGate(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (audienceOf(ctx.actor) !== "province") return next();
    if (ctx.callbackQuery) {
      const decoded = decode("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
      if (decoded && PROVINCE_ACTIONS.has(decoded.action)) return next();
      await ctx.answerCbQuery(ctx.t("province.readOnly").slice(0, 190), { show_alert: true });
      return;
    }
    const text = ctx.message && "text" in ctx.message ? ctx.message.text : null;
    if (text === null) {
      if (!ctx.message) return next();
      await ctx.reply(ctx.t("province.readOnly"));
      return;
    }
    const command = COMMAND.exec(text)?.[1]?.toLowerCase();
    if (command === undefined || (commandsOf(ctx.actor) as string[]).includes(command)) return next();
    await ctx.reply(ctx.t("province.readOnly"));
  };
}
