// The reply keyboard's labels, in either language, open the same screens as their commands.
import { Composer } from "telegraf";
import { LOCALES, translator } from "../../i18n/index.js";
import type { CommandName } from "../commands.js";
import type { BotContext } from "../context.js";
import { MENU_ITEMS } from "../views/menu-keyboard.js";

/** The screen each command opens, handed in by the composition root (features never import each other). */
export type MenuScreens = Partial<Record<CommandName, (ctx: BotContext) => Promise<void>>>;

export function menuFeature(screens: MenuScreens): Composer<BotContext> {
  const byLabel = new Map<string, (typeof MENU_ITEMS)[number]>();
  for (const locale of LOCALES) for (const item of MENU_ITEMS) byLabel.set(translator(locale)(item.key), item);
  const feature = new Composer<BotContext>();
  feature.hears([...byLabel.keys()], async (ctx, next) => {
    const item = byLabel.get(ctx.message.text);
    const screen = item && item.visible(ctx.actor) ? screens[item.command] : undefined;
    if (!screen) return next();
    // A menu choice starts over: a half-finished flow would otherwise swallow the next answer.
    await ctx.flow.clear();
    await screen(ctx);
  });
  return feature;
}
