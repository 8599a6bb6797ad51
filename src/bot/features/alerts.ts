// /canhbao: the open findings in the asker's scope; the secretary or the committee records the
// decision (reminded, valid reason, proposal to remove, other) with a note, which closes it.
import type { OutcomeCode } from "../../domain/outcome.js";
import { Composer } from "telegraf";
import {
  findingDecided,
  findingToHandle,
  handleFinding,
  openFindings,
  type Decision,
  type NamedFinding,
} from "../../app/alerts.js";
import { formatClock, formatInstantDate } from "../../i18n/format.js";
import { pageNavRow } from "../views/paging.js";
import { findingRuleName, findingSentence, findingTitle, findingWho, shortPeriodText } from "../../i18n/findings.js";
import { parseShortText } from "../../domain/attendance.js";
import type { Locale, Translate } from "../../i18n/index.js";
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

const FLOW = "alert.handle";
/** `title`: the finding as the officer read it when choosing, for the answer to a repeated press. */
type Data = { id: number; title?: string; decision?: Decision };

export function findingLine(t: Translate, locale: Locale, f: NamedFinding, n: number): string {
  return t("alerts.item", {
    n,
    severity: t(`alerts.severity.${f.severity}`),
    title: findingTitle(t, locale, f),
    sentence: findingSentence(t, locale, f),
  });
}

/** The longest button text: longer ones are cut in the rule's name, never in the name or the period. */
const BUTTON_TEXT_MAX = 64;

/**
 * A button's text: the number of the alert in the list above, the member (or branch), the rule and the
 * period, so two alerts of one member (two years, say) read differently.
 */
function buttonText(t: Translate, locale: Locale, f: NamedFinding, n: number): string {
  const who = f.memberName || findingWho(t, locale, f);
  const period = shortPeriodText(t, locale, f.period);
  const rule = findingRuleName(t, f);
  const text = (ruleText: string) =>
    t(period ? "alerts.handle" : "alerts.handleNoPeriod", { n, who, rule: ruleText, period });
  const full = text(rule);
  if (full.length <= BUTTON_TEXT_MAX) return full;
  const room = Math.max(8, rule.length - (full.length - BUTTON_TEXT_MAX) - 1);
  return text(`${rule.slice(0, room).trimEnd()}…`);
}

/** A page of /canhbao: the alerts of the page in words, a decision button for each, the page navigation. */
async function showFindings(ctx: BotContext, page: number): Promise<void> {
  const result = await openFindings(ctx.app, requestOf(ctx), page);
  if (!result.ok) return refuse(ctx, result);
  const choose: Keyboard = isCommittee(ctx.actor)
    ? [[{ text: ctx.t("alerts.choose"), callback_data: encode("nL") }]]
    : [];
  const list = result.value;
  if (list.total === 0) return respond(ctx, ctx.t("alerts.listEmpty"), choose);
  const title =
    ctx.t("alerts.listTitle", { count: list.total }) +
    (list.pages > 1 ? ` ${ctx.t("common.pageOf", { page: list.page + 1, pages: list.pages })}` : "");
  const lines = list.items.map((f, i) => findingLine(ctx.t, ctx.locale, f, list.offset + i + 1));
  const rows: Keyboard = list.items.map((f, i) => [
    { text: buttonText(ctx.t, ctx.locale, f, list.offset + i + 1), callback_data: encode("aH", f.id) },
  ]);
  if (list.pages > 1) rows.push(pageNavRow(ctx.t, list.page, list.pages, (p) => encode("aL", p)));
  rows.push(...choose);
  // One message per page, so paging edits it in place; a page of long alerts is cut at Telegram's limit.
  await respond(ctx, [title, ...lines].join("\n").slice(0, 4000), rows);
}

/**
 * The finding is no longer open: if another officer recorded a decision, the one who came second reads which,
 * by whom and when (on the pressed message, or in the chat after typing a note); otherwise the plain refusal.
 */
async function refuseDecided(
  ctx: BotContext,
  id: number,
  failure: { code: OutcomeCode; params?: Readonly<Record<string, string | number>> },
): Promise<void> {
  if (failure.code !== "FINDING.NOT_OPEN") return refuse(ctx, failure);
  const decided = await findingDecided(ctx.app, requestOf(ctx), id);
  if (!decided.ok) return refuse(ctx, failure);
  const { finding, decision, byName, at } = decided.value;
  const text = ctx.t("alerts.alreadyHandled", {
    title: findingTitle(ctx.t, ctx.locale, finding),
    by: byName,
    decision: ctx.t(`alerts.decisions.${decision}`),
    time: formatClock(at, ctx.app.timeZone),
    date: formatInstantDate(at, ctx.app.timeZone),
  });
  if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.t("errors.findingNotOpen"));
  await respond(ctx, text);
}

async function save(ctx: BotContext, state: FlowState<Data>, note: string | null): Promise<void> {
  const summary = ctx.t("alerts.handled", {
    title: state.data.title ?? "",
    decision: ctx.t(`alerts.decisions.${state.data.decision!}`),
  });
  const result = await handleFinding(
    ctx.app,
    savingRequest(ctx, state, summary),
    state.data.id,
    state.data.decision!,
    note,
  );
  await ctx.flow.clear();
  if (!result.ok) return refuseDecided(ctx, state.data.id, result);
  await ctx.reply(
    ctx.t("alerts.handled", {
      title: findingTitle(ctx.t, ctx.locale, result.value),
      decision: ctx.t(`alerts.decisions.${state.data.decision!}`),
    }),
  );
}

export function alertsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("canhbao", (ctx) => showFindings(ctx, 0));
  onAction(feature, "aL", (ctx, [page]) => showFindings(ctx, page));
  const showNotices = async (ctx: BotContext, kinds: Set<NoticeKind>) =>
    respond(
      ctx,
      ctx.t("notices.title"),
      NOTICE_KINDS.map((kind) => [
        {
          text: `${kinds.has(kind) ? ctx.t("notices.on") : ctx.t("notices.off")} ${ctx.t(`notices.kinds.${kind}`)}`,
          callback_data: encode("nK", kind),
        },
      ]),
    );
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
    if (!finding.ok) return refuseDecided(ctx, id, finding);
    const title = findingTitle(ctx.t, ctx.locale, finding.value);
    const state = await ctx.flow.start<Data>(FLOW, "decision", { id, title });
    const rows: Keyboard = (["REMINDED", "VALID_REASON", "PROPOSE_REMOVAL", "OTHER"] as const).map((d) => [
      { text: ctx.t(`alerts.decisions.${d}`), callback_data: encode("aD", state.id, d) },
    ]);
    await ctx.reply(ctx.t("alerts.chooseDecision", { title }), { reply_markup: { inline_keyboard: rows } });
  });
  onFlowAction<"aD", Data>(feature, "aD", FLOW, async (ctx, state, [, decision]) => {
    await ctx.flow.update({ ...state, step: "note", data: { ...state.data, decision } });
    await ctx.reply(ctx.t("alerts.askNote"), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
    });
  });
  onFlowAction<"fs", Data>(feature, "fs", FLOW, (ctx, state) =>
    state.step === "note" ? save(ctx, state, null) : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowText<Data>(feature, FLOW, async (ctx, state, text) => {
    if (state.step !== "note") return;
    const note = parseShortText(text, 500);
    if (!note.ok) return refuse(ctx, note);
    await save(ctx, state, note.value);
  });
  return feature;
}
