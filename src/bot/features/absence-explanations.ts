// A member answers an "absent without reason" notice with a reason; the branch's officers accept or
// decline it from the message they receive.
import type { OutcomeCode } from "../../domain/outcome.js";
import { Composer } from "telegraf";
import {
  decideExplanation,
  explanationDecided,
  startExplanation,
  submitExplanation,
  viewPendingExplanation,
  type DecisionNotice,
  type ExplanationNotice,
} from "../../app/absence-explanations.js";
import type { Worded } from "../../app/notices.js";
import { formatClock, formatDate, formatInstantDate } from "../../i18n/format.js";
import { translator } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond } from "../reply.js";

const EXPLAIN = "absence.explain";
const DECLINE = "absence.decline";

function localeOf(locale: string | null) {
  return translator(locale === "en" ? "en" : "vi");
}

/** An officer reads a member's explanation, with the buttons to accept or decline it. */
export function wordExplanationNotice(notice: ExplanationNotice): Worded {
  const t = localeOf(notice.recipient.locale);
  return {
    text: t("meetings.explain.toSecretary", {
      name: notice.memberName,
      date: formatDate(notice.meetingDate),
      text: notice.text,
    }),
    buttons: [
      [
        { text: t("meetings.explain.accept"), callback_data: encode("ea", notice.explanationId) },
        { text: t("meetings.explain.decline"), callback_data: encode("ed", notice.explanationId) },
      ],
    ],
  };
}

/** The member reads what the officer decided. */
export function wordDecisionNotice(notice: DecisionNotice): Worded {
  const t = localeOf(notice.recipient.locale);
  const date = formatDate(notice.meetingDate);
  return {
    text:
      notice.decision === "ACCEPTED"
        ? t("meetings.explain.memberAccepted", { date })
        : t("meetings.explain.memberDeclined", { date, note: notice.note ?? "" }),
  };
}

/**
 * Another officer decided first: the one who came second reads what was decided, by whom and when — on the
 * notice they pressed (its buttons gone), or in the chat after typing a refusal. Anything else is refused.
 */
async function refuseDecided(
  ctx: BotContext,
  explanationId: number,
  failure: { code: OutcomeCode; params?: Readonly<Record<string, string | number>> },
): Promise<void> {
  if (failure.code !== "EXPLANATION.DECIDED") return refuse(ctx, failure);
  const decided = await explanationDecided(ctx.app, requestOf(ctx), explanationId);
  if (!decided.ok) return refuse(ctx, failure);
  const { memberName, meetingDate, decision, byName, at } = decided.value;
  const text = ctx.t("meetings.explain.alreadyDecided", {
    name: memberName,
    date: formatDate(meetingDate),
    by: byName,
    decision: ctx.t(decision === "ACCEPTED" ? "meetings.explain.decidedAccepted" : "meetings.explain.decidedDeclined"),
    time: formatClock(at, ctx.app.timeZone),
    day: formatInstantDate(at, ctx.app.timeZone),
  });
  if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.t("errors.explanationDecided"));
  await respond(ctx, text);
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
    const result = await submitExplanation(
      ctx.app,
      savingRequest(ctx, state, ctx.t("meetings.explain.sent")),
      state.data.attendanceId,
      text,
      wordExplanationNotice,
    );
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await ctx.reply(ctx.t("meetings.explain.sent"));
  });

  onAction(feature, "ea", async (ctx, [explanationId]) => {
    const result = await decideExplanation(
      ctx.app,
      requestOf(ctx),
      explanationId,
      "ACCEPTED",
      null,
      wordDecisionNotice,
    );
    if (!result.ok) return refuseDecided(ctx, explanationId, result);
    const { memberName, meetingDate } = result.value;
    await respond(ctx, ctx.t("meetings.explain.accepted", { name: memberName, date: formatDate(meetingDate) }));
  });
  onAction(feature, "ed", async (ctx, [explanationId]) => {
    // The decision needs a word for the member: ask it, decide when it comes.
    const pending = await viewPendingExplanation(ctx.app, requestOf(ctx), explanationId);
    if (!pending.ok) return refuseDecided(ctx, explanationId, pending);
    await ctx.flow.start(DECLINE, "note", { explanationId, name: pending.value.memberName });
    await ctx.reply(ctx.t("meetings.explain.askNote", { name: pending.value.memberName }));
  });
  onFlowText<{ explanationId: number; name?: string }>(feature, DECLINE, async (ctx, state, text) => {
    const note = text.trim().slice(0, 300);
    const request = savingRequest(ctx, state, ctx.t("meetings.explain.declined", { name: state.data.name ?? "" }));
    const result = await decideExplanation(
      ctx.app,
      request,
      state.data.explanationId,
      "DECLINED",
      note,
      wordDecisionNotice,
    );
    await ctx.flow.clear();
    if (!result.ok) return refuseDecided(ctx, state.data.explanationId, result);
    await ctx.reply(ctx.t("meetings.explain.declined", { name: result.value.memberName }));
  });
  return feature;
}
