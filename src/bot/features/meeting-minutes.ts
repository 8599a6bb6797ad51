// "📄 Biên bản": the minutes of a saved meeting as a Word document, sent to the asker's own private chat.
// The button is on the saved meeting's message and on the list of recent meetings; its data names a
// meeting, so the use case checks again that the asker runs that meeting's branch.
import { Composer } from "telegraf";
import type { InlineKeyboardButton } from "telegraf/types";
import { meetingMinutes } from "../../app/meeting-minutes.js";
import { meetingMinutesDocx } from "../../files/meeting-minutes-docx.js";
import { formatDate } from "../../i18n/format.js";
import { translator } from "../../i18n/index.js";
import { onAction } from "../actions.js";
import { requestOf, type BotContext } from "../context.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse } from "../reply.js";

export function minutesButton(ctx: BotContext, meetingId: number): InlineKeyboardButton {
  return { text: ctx.t("minutes.button"), callback_data: encode("mB", meetingId) };
}

export function meetingMinutesFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "mB", async (ctx, [meetingId]) => {
    const result = await meetingMinutes(ctx.app, requestOf(ctx), meetingId);
    if (!result.ok) return refuse(ctx, result);
    await ctx.answerCbQuery().catch(() => undefined);
    // The minutes are a Vietnamese party document whatever language the officer reads the bot in.
    const file = await meetingMinutesDocx(result.value, translator("vi"));
    const data = result.value;
    // Internal documents go only to the asker's own private chat (the bot works in private chats only).
    await ctx.replyWithDocument(
      { source: file.content, filename: file.fileName },
      { caption: ctx.t("minutes.caption", { kind: ctx.t(`meetings.kinds.${data.kind}`), date: formatDate(data.date), branch: data.branchName }) },
    );
  });
  return feature;
}
