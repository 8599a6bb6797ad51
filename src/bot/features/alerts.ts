// /canhbao: the open findings in the asker's scope; the secretary or the committee records the
// decision (reminded, valid reason, proposal to remove, other) with a note, which closes it.
import { Composer } from "telegraf";
import { handleFinding, openFindings, type Decision, type NamedFinding } from "../../app/alerts.js";
import { parseShortText } from "../../domain/attendance.js";
import type { Translate } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { myNoticeKinds, toggleNoticeKind } from "../../app/preferences-notices.js";
import { NOTICE_KINDS, type NoticeKind } from "../../domain/preferences.js";
import { isCommittee } from "../../domain/roles.js";
import { replyInChunks } from "./attendance-stats.js";

const FLOW = "alert.handle";
type Data = { id: number; decision?: Decision };

export function findingLine(t: Translate, f: NamedFinding): string {
  return t("alerts.item", { id: f.id, severity: t(`alerts.severity.${f.severity}`), rule: t(`alerts.rules.${f.rule as "R1_ABSENCE"}`), subject: f.subjectName, branch: f.branchName, period: f.period });
}

async function save(ctx: BotContext, state: FlowState<Data>, note: string | null): Promise<void> {
  const summary = ctx.t("alerts.handled", { id: state.data.id, decision: ctx.t(`alerts.decisions.${state.data.decision!}`) });
  const result = await handleFinding(ctx.app, savingRequest(ctx, state, summary), state.data.id, state.data.decision!, note);
  await ctx.flow.clear();
  if (!result.ok) return refuse(ctx, result);
  await ctx.reply(ctx.t("alerts.handled", { id: state.data.id, decision: ctx.t(`alerts.decisions.${state.data.decision!}`) }));
}

export function alertsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("canhbao", async (ctx) => {
    const result = await openFindings(ctx.app, requestOf(ctx));
    if (!result.ok) return refuse(ctx, result);
    const choose: Keyboard = isCommittee(ctx.actor) ? [[{ text: ctx.t("alerts.choose"), callback_data: encode("nL") }]] : [];
    if (result.value.length === 0) return ctx.reply(ctx.t("alerts.listEmpty"), { reply_markup: { inline_keyboard: choose } });
    await replyInChunks(ctx, [ctx.t("alerts.listTitle", { count: result.value.length }), ...result.value.map((f) => findingLine(ctx.t, f))]);
    const rows: Keyboard = [...result.value.slice(0, 30).map((f) => [{ text: ctx.t("alerts.handle", { id: f.id }), callback_data: encode("aH", f.id) }]), ...choose];
    await ctx.reply(ctx.t("alerts.listTitle", { count: result.value.length }), { reply_markup: { inline_keyboard: rows } });
  });
  const showNotices = async (ctx: BotContext, kinds: Set<NoticeKind>) =>
    respond(ctx, ctx.t("notices.title"), NOTICE_KINDS.map((kind) => [{ text: `${kinds.has(kind) ? ctx.t("notices.on") : ctx.t("notices.off")} ${ctx.t(`notices.kinds.${kind}`)}`, callback_data: encode("nK", kind) }]));
  onAction(feature, "nL", async (ctx) => {
    const kinds = await myNoticeKinds(ctx.app, requestOf(ctx));
    if (!kinds.ok) return refuse(ctx, kinds);
    await showNotices(ctx, kinds.value);
  });
  onAction(feature, "nK", async (ctx, [kind]) => {
    const kinds = await toggleNoticeKind(ctx.app, requestOf(ctx), kind);
    if (!kinds.ok) return refuse(ctx, kinds);
    await showNotices(ctx, kinds.value);
  });
  onAction(feature, "aH", async (ctx, [id]) => {
    const state = await ctx.flow.start<Data>(FLOW, "decision", { id });
    const rows: Keyboard = (["REMINDED", "VALID_REASON", "PROPOSE_REMOVAL", "OTHER"] as const).map((d) => [{ text: ctx.t(`alerts.decisions.${d}`), callback_data: encode("aD", state.id, d) }]);
    await ctx.reply(ctx.t("alerts.chooseDecision", { id }), { reply_markup: { inline_keyboard: rows } });
  });
  onFlowAction<"aD", Data>(feature, "aD", FLOW, async (ctx, state, [, decision]) => {
    await ctx.flow.update({ ...state, step: "note", data: { ...state.data, decision } });
    await ctx.reply(ctx.t("alerts.askNote"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] } });
  });
  onFlowAction<"fs", Data>(feature, "fs", FLOW, (ctx, state) => (state.step === "note" ? save(ctx, state, null) : ctx.answerCbQuery(ctx.t("common.staleButton"))));
  onFlowText<Data>(feature, FLOW, async (ctx, state, text) => {
    if (state.step !== "note") return;
    const note = parseShortText(text, 500);
    if (!note.ok) return refuse(ctx, note);
    await save(ctx, state, note.value);
  });
  return feature;
}
