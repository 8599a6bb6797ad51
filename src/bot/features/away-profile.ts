// An officer records that a member works away from home: where, what work, how to reach them, since when.
import { Composer } from "telegraf";
import { recordBack, setAwayProfile } from "../../app/checkins.js";
import { viewMember } from "../../app/members.js";
import { parseShortText } from "../../domain/attendance.js";
import { checkPastDate, isoDateIn, parseTypedDate } from "../../domain/dates.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond } from "../reply.js";

export const AWAY_PROFILE_FLOW = "away.profile";
type Data = { memberId: number; name: string; place?: string; work?: string | null; contact?: string | null };

export function awayProfileFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const askWithSkip = (ctx: BotContext, state: FlowState<Data>, text: string) =>
    ctx.reply(text, {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
    });
  onAction(feature, "wP", async (ctx, [memberId]) => {
    const member = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!member.ok || !member.value.canManage) return refuse(ctx, member.ok ? { code: "AUTH.FORBIDDEN" } : member);
    await ctx.flow.start<Data>(AWAY_PROFILE_FLOW, "place", { memberId, name: member.value.fullName });
    await ctx.reply(ctx.t("away.profileAskPlace", { name: member.value.fullName }));
  });
  const next = async (ctx: BotContext, state: FlowState<Data>, value: string | null) => {
    if (state.step === "work") {
      await ctx.flow.update({ ...state, step: "contact", data: { ...state.data, work: value } });
      return askWithSkip(ctx, state, ctx.t("away.profileAskContact"));
    }
    await ctx.flow.update({ ...state, step: "since", data: { ...state.data, contact: value } });
    return ctx.reply(ctx.t("away.profileAskSince"));
  };
  onFlowText<Data>(feature, AWAY_PROFILE_FLOW, async (ctx, state, text) => {
    if (state.step === "since") {
      const date = parseTypedDate(text);
      if (!date.ok) return refuse(ctx, { code: date.problem });
      const past = checkPastDate(date.date, isoDateIn(ctx.now, ctx.app.timeZone));
      if (!past.ok) return refuse(ctx, { code: past.problem });
      const result = await setAwayProfile(
        ctx.app,
        savingRequest(ctx, state, ctx.t("away.profileSaved", { name: state.data.name })),
        state.data.memberId,
        {
          place: state.data.place!,
          work: state.data.work ?? null,
          contact: state.data.contact ?? null,
          since: date.date,
        },
      );
      await ctx.flow.clear();
      if (!result.ok) return refuse(ctx, result);
      return ctx.reply(ctx.t("away.profileSaved", { name: state.data.name }));
    }
    const value = parseShortText(text, 200);
    if (!value.ok) return refuse(ctx, value);
    if (state.step === "place") {
      await ctx.flow.update({ ...state, step: "work", data: { ...state.data, place: value.value } });
      return askWithSkip(ctx, state, ctx.t("away.profileAskWork"));
    }
    await next(ctx, state, value.value);
  });
  onAction(feature, "wR", async (ctx, [memberId]) => {
    const result = await recordBack(ctx.app, requestOf(ctx), memberId);
    if (!result.ok) return refuse(ctx, result);
    const { name, wasAway, endedExemptions } = result.value;
    await respond(
      ctx,
      wasAway
        ? [ctx.t("away.backSaved", { name }), ...(endedExemptions > 0 ? [ctx.t("away.backEndedExemption")] : [])].join(
            "\n",
          )
        : ctx.t("away.backAlready", { name }),
    );
  });
  onFlowAction<"fs", Data>(feature, "fs", AWAY_PROFILE_FLOW, (ctx, state) =>
    state.step === "work" || state.step === "contact"
      ? next(ctx, state, null)
      : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  return feature;
}
