// /canhbao: the open findings in the asker's scope; the secretary or the committee records the
// decision (reminded, valid reason, proposal to remove, other) with a note, which closes it.
import { Composer } from "telegraf";
import { findingToHandle, handleFinding, openFindings, type Decision, type NamedFinding } from "../../app/alerts.js";
import { findingRuleName, findingSentence, findingTitle, findingWho } from "../../i18n/findings.js";
import { parseShortText } from "../../domain/attendance.js";
import type { Locale, Translate } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, replyInChunks, respond, type Keyboard } from "../reply.js";
import { myNoticeKinds, toggleNoticeKind } from "../../app/preferences-notices.js";
import { NOTICE_KINDS, type NoticeKind } from "../../domain/preferences.js";
import { isCommittee } from "../../domain/roles.js";

const FLOW = "alert.handle";
/** `title`: the finding as the officer read it when choosing, for the answer to a repeated press. */
type Data = { id: number; title?: string; decision?: Decision };

export function findingLine(t: Translate, locale: Locale, f: NamedFinding, n: number): string {
  return t("alerts.item", { n, severity: t(`alerts.severity.${f.severity}`), title: findingTitle(t, locale, f), sentence: findingSentence(t, locale, f) });
}

/** A button's text names the member (or branch) first, then the rule: at most 60 characters. */
function buttonText(t: Translate, locale: Locale, f: NamedFinding): string {
  const who = f.memberName || findingWho(t, locale, f);
  const text = t("alerts.handle", { who, rule: findingRuleName(t, f) });
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}

async function save(ctx: BotContext, state: FlowState<Data>, note: string | null): Promise<void> {
  const summary = ctx.t("alerts.handled", { title: state.data.title ?? "", decision: ctx.t(`alerts.decisions.${state.data.decision!}`) });
  const result = await handleFinding(ctx.app, savingRequest(ctx, state, summary), state.data.id, state.data.decision!, note);
  await ctx.flow.clear();
  if (!result.ok) return refuse(ctx, result);
  await ctx.reply(ctx.t("alerts.handled", { title: findingTitle(ctx.t, ctx.locale, result.value), decision: ctx.t(`alerts.decisions.${state.data.decision!}`) }));
}

export function alertsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("canhbao", async (ctx) => {
    const result = await openFindings(ctx.app, requestOf(ctx));
    if (!result.ok) return refuse(ctx, result);
    const choose: Keyboard = isCommittee(ctx.actor) ? [[{ text: ctx.t("alerts.choose"), callback_data: encode("nL") }]] : [];
    if (result.value.length === 0) return ctx.reply(ctx.t("alerts.listEmpty"), { reply_markup: { inline_keyboard: choose } });
    await replyInChunks(ctx, [ctx.t("alerts.listTitle", { count: result.value.length }), ...result.value.map((f, i) => findingLine(ctx.t, ctx.locale, f, i + 1))]);
    const rows: Keyboard = [...result.value.slice(0, 30).map((f) => [{ text: buttonText(ctx.t, ctx.locale, f), callback_data: encode("aH", f.id) }]), ...choose];
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
    const finding = await findingToHandle(ctx.app, requestOf(ctx), id);
    if (!finding.ok) return refuse(ctx, finding);
    const title = findingTitle(ctx.t, ctx.locale, finding.value);
    const state = await ctx.flow.start<Data>(FLOW, "decision", { id, title });
    const rows: Keyboard = (["REMINDED", "VALID_REASON", "PROPOSE_REMOVAL", "OTHER"] as const).map((d) => [{ text: ctx.t(`alerts.decisions.${d}`), callback_data: encode("aD", state.id, d) }]);
    await ctx.reply(ctx.t("alerts.chooseDecision", { title }), { reply_markup: { inline_keyboard: rows } });
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
