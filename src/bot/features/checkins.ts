// /capnhat: a member away from home says where they are, what work, how to reach them; the branch's
// officers are told. For officers, /capnhat lists the away members with their latest word.
import { Composer } from "telegraf";
import { awayMembersOfBranch, submitCheckin, type CheckinNotice } from "../../app/checkins.js";
import type { Worded } from "../../app/notices.js";
import { parseShortText } from "../../domain/attendance.js";
import { parsePhone } from "../../domain/members.js";
import { managedBranchIds } from "../../domain/roles.js";
import { formatInstantDate } from "../../i18n/format.js";
import { translator } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse } from "../reply.js";
import { replyInChunks } from "./attendance-stats.js";
import { viewBranch } from "../../app/branches.js";

export const CHECKIN_FLOW = "checkin";
const FLOW = CHECKIN_FLOW;
type Data = { place?: string; work?: string | null; phone?: string | null };

/** An officer told of a member's check-in, in the officer's language. */
export function wordCheckinNotice({ recipient, memberName, input }: CheckinNotice): Worded {
  const t = translator(recipient.locale === "en" ? "en" : "vi");
  return { text: t("away.checkinToSecretary", { name: memberName, place: input.place, work: input.work ? t("away.checkinWork", { work: input.work }) : "", phone: input.phone ? t("away.checkinPhone", { phone: input.phone }) : "" }) };
}

/** Saves the check-in, with the file the member attached if any; the branch's officers are told. */
export async function saveCheckin(ctx: BotContext, state: FlowState<Data>, file: { content: Buffer; fileName: string } | null): Promise<void> {
  const result = await submitCheckin(ctx.app, savingRequest(ctx, state, ctx.t("away.checkinSaved")), { place: state.data.place!, work: state.data.work ?? null, phone: state.data.phone ?? null }, file, wordCheckinNotice);
  await ctx.flow.clear();
  if (!result.ok) return refuse(ctx, result);
  await ctx.reply(ctx.t("away.checkinSaved"));
}

async function askFile(ctx: BotContext, state: FlowState<Data>, phone: string | null): Promise<void> {
  await ctx.flow.update({ ...state, step: "file", data: { ...state.data, phone } });
  await ctx.reply(ctx.t("away.checkinAskFile"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] } });
}

export function checkinsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("capnhat", async (ctx) => {
    const scope = managedBranchIds(ctx.actor);
    if (scope !== "all" && scope.length > 0 && scope[0] !== undefined) {
      const list = await awayMembersOfBranch(ctx.app, requestOf(ctx), scope[0]);
      if (!list.ok) return refuse(ctx, list);
      const card = await viewBranch(ctx.app, requestOf(ctx), scope[0]);
      const branch = card.ok ? card.value.branch.name : "";
      if (list.value.length === 0) return ctx.reply(ctx.t("away.awayEmpty"));
      const lines = list.value.map((m) =>
        ctx.t("away.awayLine", {
          name: m.fullName,
          place: m.lastCheckin?.place ?? m.place ?? ctx.t("common.none"),
          last: m.lastCheckin ? formatInstantDate(m.lastCheckin.createdAt, ctx.app.timeZone) : ctx.t("away.awayNever"),
          due: m.checkinDue ? ctx.t("away.awayDue") : "",
        }),
      );
      return replyInChunks(ctx, [ctx.t("away.awayTitle", { branch }), ...lines]);
    }
    if (!ctx.actor.member) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const state = await ctx.flow.start<Data>(FLOW, "place", {});
    await ctx.reply(ctx.t("away.checkinAskPlace"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] } });
  });
  onFlowText<Data>(feature, FLOW, async (ctx, state, text) => {
    if (state.step === "place" || state.step === "work") {
      const value = parseShortText(text, 200);
      if (!value.ok) return refuse(ctx, value);
      if (state.step === "place") {
        await ctx.flow.update({ ...state, step: "work", data: { place: value.value } });
        return ctx.reply(ctx.t("away.checkinAskWork"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] } });
      }
      await ctx.flow.update({ ...state, step: "phone", data: { ...state.data, work: value.value } });
      return ctx.reply(ctx.t("away.checkinAskPhone"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] } });
    }
    if (state.step !== "phone") return;
    const phone = parsePhone(text);
    if (!phone.ok) return refuse(ctx, phone);
    await askFile(ctx, state, phone.value);
  });
  onFlowAction<"fs", Data>(feature, "fs", FLOW, async (ctx, state) => {
    if (state.step === "work") {
      await ctx.flow.update({ ...state, step: "phone", data: { ...state.data, work: null } });
      return ctx.reply(ctx.t("away.checkinAskPhone"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] } });
    }
    if (state.step === "phone") return askFile(ctx, state, null);
    if (state.step === "file") return saveCheckin(ctx, state, null);
    await ctx.answerCbQuery(ctx.t("common.staleButton"));
  });
  return feature;
}
