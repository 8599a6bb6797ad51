// The reply keyboard's labels, in either language, open the same screens as their commands.
import { Composer } from "telegraf";
import { LOCALES, translator } from "../../i18n/index.js";
import type { CommandName } from "../commands.js";
import type { BotContext } from "../context.js";
import { MENU_ITEMS } from "../views/menu-keyboard.js";
import { showHelp } from "./basics.js";
import { showBranchList } from "./branches.js";
import { showInviteMenu } from "./invitations.js";
import { showMembersEntry } from "./members.js";
import { startMeetingEntry } from "./meetings.js";
import { showAttendanceEntry, showOwnYear } from "./attendance-stats.js";
import { showTasks } from "./tasks.js";
import { showDuesEntry } from "./dues.js";
import { showReportEntry } from "./reports.js";

const SCREENS: Partial<Record<CommandName, (ctx: BotContext) => Promise<void>>> = {
  chibo: (ctx) => showBranchList(ctx, 0),
  dangvien: showMembersEntry,
  moi: showInviteMenu,
  help: showHelp,
  diemdanh: startMeetingEntry,
  chuyencan: showAttendanceEntry,
  cuatoi: showOwnYear,
  nhiemvu: showTasks,
  dangphi: showDuesEntry,
  baocao: showReportEntry,
};

export function menuFeature(): Composer<BotContext> {
  const byLabel = new Map<string, (typeof MENU_ITEMS)[number]>();
  for (const locale of LOCALES) for (const item of MENU_ITEMS) byLabel.set(translator(locale)(item.key), item);
  const feature = new Composer<BotContext>();
  feature.hears([...byLabel.keys()], async (ctx, next) => {
    const item = byLabel.get(ctx.message.text);
    const screen = item && item.visible(ctx.actor) ? SCREENS[item.command] : undefined;
    if (!screen) return next();
    // A menu choice starts over: a half-finished flow would otherwise swallow the next answer.
    await ctx.flow.clear();
    await screen(ctx);
  });
  return feature;
}
