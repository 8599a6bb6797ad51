// A member answers an "absent without reason" notice with a reason; the branch's officers accept or
// decline it from the message they receive.
import { Composer } from "telegraf";
import { decideExplanation, startExplanation, submitExplanation, viewPendingExplanation } from "../../app/absence-explanations.js";
import { formatDate } from "../../i18n/format.js";
import { translator } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf } from "../context.js";
import { onAction } from "../actions.js";
import { onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond } from "../reply.js";

const EXPLAIN = "absence.explain";
const DECLINE = "absence.decline";

function localeOf(locale: string | null) {
  return translator(locale === "en" ? "en" : "vi");
}

export function absenceExplanationsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "ae", async (ctx, [attendanceId]) => {
    const result = await startExplanation(ctx.app, requestOf(ctx), attendanceId);
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.start(EXPLAIN, "text", { attendanceId, meetingDate: result.value.meetingDate });
    await ctx.reply(ctx.t("meetings.explain.ask", { date: formatDate(result.value.meetingDate) }));
  });
  onFlowText<{ attendanceId: number }>(feature, EXPLAIN, async (ctx, state, text) => {
    const result = await submitExplanation(ctx.app, requestOf(ctx), state.data.attendanceId, text);
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await ctx.reply(ctx.t("meetings.explain.sent"));
    const { explanationId, memberName, meetingDate, officers } = result.value;
    for (const officer of officers) {
      const t = localeOf(officer.locale);
      await ctx.telegram
        .sendMessage(Number(officer.telegramId), t("meetings.explain.toSecretary", { name: memberName, date: formatDate(meetingDate), text: text.trim() }), {
          reply_markup: { inline_keyboard: [[{ text: t("meetings.explain.accept"), callback_data: encode("ea", explanationId) }, { text: t("meetings.explain.decline"), callback_data: encode("ed", explanationId) }]] },
        })
        .catch((error: unknown) => ctx.log.warn({ err: error, to: officer.telegramId }, "explanation not delivered to an officer"));
    }
  });

  onAction(feature, "ea", async (ctx, [explanationId]) => {
    const result = await decideExplanation(ctx.app, requestOf(ctx), explanationId, "ACCEPTED", null);
    if (!result.ok) return refuse(ctx, result);
    const { memberName, meetingDate, member } = result.value;
    await respond(ctx, ctx.t("meetings.explain.accepted", { name: memberName, date: formatDate(meetingDate) }));
    if (member) {
      await ctx.telegram
        .sendMessage(Number(member.telegramId), localeOf(member.locale)("meetings.explain.memberAccepted", { date: formatDate(meetingDate) }))
        .catch((error: unknown) => ctx.log.warn({ err: error }, "decision not delivered"));
    }
  });
  onAction(feature, "ed", async (ctx, [explanationId]) => {
    // The decision needs a word for the member: ask it, decide when it comes.
    const pending = await viewPendingExplanation(ctx.app, requestOf(ctx), explanationId);
    if (!pending.ok) return refuse(ctx, pending);
    await ctx.flow.start(DECLINE, "note", { explanationId });
    await ctx.reply(ctx.t("meetings.explain.askNote", { name: pending.value.memberName }));
  });
  onFlowText<{ explanationId: number }>(feature, DECLINE, async (ctx, state, text) => {
    const note = text.trim().slice(0, 300);
    const result = await decideExplanation(ctx.app, requestOf(ctx), state.data.explanationId, "DECLINED", note);
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    const { memberName, meetingDate, member } = result.value;
    await ctx.reply(ctx.t("meetings.explain.declined", { name: memberName }));
    if (member) {
      await ctx.telegram
        .sendMessage(Number(member.telegramId), localeOf(member.locale)("meetings.explain.memberDeclined", { date: formatDate(meetingDate), note }))
        .catch((error: unknown) => ctx.log.warn({ err: error }, "decision not delivered"));
    }
  });
  return feature;
}
