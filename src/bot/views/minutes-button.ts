// The button that asks for a saved meeting's minutes (biên bản), shown under the saved and corrected sheets.
import type { InlineKeyboardButton } from "telegraf/types";
import type { BotContext } from "../context.js";
import { encode } from "../keyboards/callback-data.js";

export function minutesButton(ctx: BotContext, meetingId: number): InlineKeyboardButton {
  return { text: ctx.t("minutes.button"), callback_data: encode("mB", meetingId) };
}
