// /baocao: the committee's report on every branch, or a secretary's on their branch. Kind of period →
// period → a summary message, the XLSX and the chart, sent to the asker's own private chat.
import { Composer } from "telegraf";
import { issueReport, reportPeriodChoices, reportScopes } from "../../app/reports.js";
import { REPORT_PERIOD_KINDS } from "../../domain/report-periods.js";
import { reportDocuments } from "../../files/report-documents.js";
import { periodLabel } from "../../files/report-xlsx.js";
import { onAction } from "../actions.js";
import { requestOf, type BotContext } from "../context.js";
import { encode } from "../keyboards/callback-data.js";
import { inRows } from "../keyboards/rows.js";
import { refuse, type Keyboard } from "../reply.js";

function kindKeyboard(ctx: BotContext, scope: number): Keyboard {
  return inRows(
    REPORT_PERIOD_KINDS.map((kind) => ({
      text: ctx.t(`reports.kinds.${kind}`),
      callback_data: encode("rpk", scope, kind),
    })),
    3,
  );
}

/** /baocao and the menu's button: the kinds of period, for the committee or each branch the asker runs. */
export async function showReportEntry(ctx: BotContext): Promise<void> {
  const scopes = await reportScopes(ctx.app, requestOf(ctx));
  if (!scopes.ok) return refuse(ctx, scopes);
  if (scopes.value.committee) {
    await ctx.reply(ctx.t("reports.chooseKind", { scope: "" }), {
      reply_markup: { inline_keyboard: kindKeyboard(ctx, 0) },
    });
    return;
  }
  for (const branch of scopes.value.branches) {
    await ctx.reply(ctx.t("reports.chooseKind", { scope: ctx.t("reports.scopeBranch", { branch: branch.name }) }), {
      reply_markup: { inline_keyboard: kindKeyboard(ctx, branch.id) },
    });
  }
}

export function reportsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("baocao", showReportEntry);

  onAction(feature, "rpk", async (ctx, [scope, kind]) => {
    const choices = reportPeriodChoices(ctx.app, requestOf(ctx), scope === 0 ? null : scope, kind);
    if (!choices.ok) return refuse(ctx, choices);
    const buttons = choices.value.map((period) => ({
      text: periodLabel(ctx.t, { period, partial: false, asOf: period.to }),
      callback_data: encode("rpp", scope, period.key),
    }));
    await ctx.reply(ctx.t("reports.choosePeriod"), { reply_markup: { inline_keyboard: inRows(buttons, 2) } });
  });

  onAction(feature, "rpp", async (ctx, [scope, key]) => {
    const result = await issueReport(ctx.app, requestOf(ctx), key, scope === 0 ? null : scope);
    if (!result.ok) return refuse(ctx, result);
    await ctx.answerCbQuery().catch(() => undefined);
    const documents = await reportDocuments(result.value, ctx.t, ctx.locale);
    // Internal documents go only to the asker's own private chat (the bot works in private chats only).
    await ctx.reply(documents.summary);
    await ctx.replyWithDocument(
      { source: documents.xlsx.content, filename: documents.xlsx.fileName },
      { caption: documents.xlsxCaption },
    );
    await ctx.replyWithPhoto(
      { source: documents.chart.content, filename: documents.chart.fileName },
      { caption: documents.chartCaption },
    );
  });

  return feature;
}
