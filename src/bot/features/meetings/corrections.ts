// Correcting a saved meeting: the branch's recent meetings, then the same sheet, opened as saved.
import { Composer } from "telegraf";
import { openMeetingForCorrection } from "../../../app/attendance-sheet.js";
import { recentMeetings } from "../../../app/attendance-queries.js";
import { formatDate } from "../../../i18n/format.js";
import type { BotContext } from "../../context.js";
import { requestOf } from "../../context.js";
import { onAction } from "../../actions.js";
import { encode } from "../../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../../reply.js";
import { renderSheet } from "../../views/attendance-sheet.js";
import { MEETING_FLOW, type MeetingFlowData, type State } from "./state.js";
import { minutesButton } from "../../views/minutes-button.js";

/** The list of recent meetings and the press that opens one for correction. */
export function meetingCorrectionHandlers(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "dL", async (ctx, [branchId]) => {
    const result = await recentMeetings(ctx.app, requestOf(ctx), branchId);
    if (!result.ok) return refuse(ctx, result);
    const { branchName, meetings } = result.value;
    if (meetings.length === 0) return respond(ctx, ctx.t("meetings.recentEmpty"));
    const rows: Keyboard = meetings.map((m) => [
      {
        text: ctx.t("meetings.recentItem", { date: formatDate(m.date), kind: ctx.t(`meetings.kinds.${m.kind}`) }),
        callback_data: encode("dC", m.id),
      },
      minutesButton(ctx, m.id),
    ]);
    await respond(ctx, ctx.t("meetings.recentTitle", { branch: branchName }), rows);
  });
  onAction(feature, "dC", async (ctx, [meetingId]) => {
    const opened = await openMeetingForCorrection(ctx.app, requestOf(ctx), meetingId);
    if (!opened.ok) return refuse(ctx, opened);
    const state: State = await ctx.flow.start<MeetingFlowData>(MEETING_FLOW, "sheet", {
      branchId: opened.value.branchId,
      branchName: opened.value.branchName,
      kind: opened.value.kind,
      draft: opened.value,
      page: 0,
    });
    const { text, keyboard } = renderSheet(ctx.t, state.id, opened.value, 0);
    await ctx.reply(text, { reply_markup: { inline_keyboard: keyboard } });
  });
  return feature;
}
