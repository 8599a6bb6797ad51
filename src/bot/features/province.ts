// The province's chat (Ban Tổ chức Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy, the deployment's admins): /baocao over
// every commune — kind of period → period → one line per commune and the province's totals, with a button
// per commune for its branches. Read-only: nothing is numbered, written or audited.
import { Composer } from "telegraf";
import { communeReport, provinceReport, provinceReportPeriods } from "../../app/province.js";
import { isProvince } from "../../domain/roles.js";
import type { ReportLine } from "../../domain/report.js";
import { REPORT_PERIOD_KINDS } from "../../domain/report-periods.js";
import { periodLabel } from "../../files/report-xlsx.js";
import { formatDate, formatMoney, formatPercent } from "../../i18n/format.js";
import { onAction } from "../actions.js";
import { requestOf, type BotContext } from "../context.js";
import { encode } from "../keyboards/callback-data.js";
import { inRows } from "../keyboards/rows.js";
import { refuse, replyInChunks } from "../reply.js";

/** The figures of one line (a commune, a branch or a total), as the province reads them. */
function figures(ctx: BotContext, line: ReportLine): Record<string, string | number> {
  const rate = (value: number | null) => (value === null ? ctx.t("reports.noRate") : formatPercent(value, ctx.locale));
  return {
    members: line.members,
    regular: line.regularMeetings,
    thematic: line.thematicMeetings,
    attendance: rate(line.attendanceRate),
    unexcused: line.unexcused,
    collected: formatMoney(line.duesCollected),
    expected: formatMoney(line.duesExpected),
    duesRate: rate(line.duesRate),
    alertsOpened: line.alertsOpened,
    alertsHandled: line.alertsHandled,
  };
}

/** The province's /baocao: the kinds of period. */
export async function showProvinceReportEntry(ctx: BotContext): Promise<void> {
  const buttons = REPORT_PERIOD_KINDS.map((kind) => ({
    text: ctx.t(`reports.kinds.${kind}`),
    callback_data: encode("pvk", kind),
  }));
  await ctx.reply(ctx.t("province.reportChooseKind"), { reply_markup: { inline_keyboard: inRows(buttons, 3) } });
}

/**
 * The province's feature. `showReports` is /baocao for a province officer: the province's report, and the
 * commune's or branch's too for one who also holds a role there (composed by create-bot.ts).
 */
export function provinceFeature(screens: { showReports: (ctx: BotContext) => Promise<void> }): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("baocao", async (ctx, next) => (isProvince(ctx.actor) ? screens.showReports(ctx) : next()));

  onAction(feature, "pvk", async (ctx, [kind]) => {
    const choices = provinceReportPeriods(ctx.app, requestOf(ctx), kind);
    if (!choices.ok) return refuse(ctx, choices);
    const buttons = choices.value.map((period) => ({
      text: periodLabel(ctx.t, { period, partial: false, asOf: period.to }),
      callback_data: encode("pvp", period.key),
    }));
    await ctx.reply(ctx.t("reports.choosePeriod"), { reply_markup: { inline_keyboard: inRows(buttons, 2) } });
  });

  onAction(feature, "pvp", async (ctx, [key]) => {
    const result = await provinceReport(ctx.app, requestOf(ctx), key, ctx.t("province.total"));
    if (!result.ok) return refuse(ctx, result);
    await ctx.answerCbQuery().catch(() => undefined);
    const report = result.value;
    const { lines, totals } = report.figures;
    const text = [ctx.t("province.reportTitle", { period: periodLabel(ctx.t, report) }), ""];
    if (lines.length === 0) text.push(ctx.t("province.noCommunes"));
    for (const line of lines)
      text.push(
        ctx.t("province.communeLine", { name: line.branchName, branches: line.branches, ...figures(ctx, line) }),
      );
    text.push(
      "",
      ctx.t("province.totalLine", {
        communes: lines.length,
        branches: lines.reduce((sum, line) => sum + line.branches, 0),
        ...figures(ctx, totals),
      }),
    );
    if (report.partial) text.push("", ctx.t("reports.partialNote", { date: formatDate(report.asOf) }));
    if (lines.length > 0) text.push("", ctx.t("province.drillHint"));
    const buttons = lines.map((line) => ({
      text: line.branchName.slice(0, 60),
      callback_data: encode("pvc", line.committeeId, report.period.key),
    }));
    await replyInChunks(ctx, text, { reply_markup: { inline_keyboard: inRows(buttons, 2) } });
  });

  onAction(feature, "pvc", async (ctx, [committeeId, key]) => {
    const result = await communeReport(ctx.app, requestOf(ctx), key, committeeId, ctx.t("province.communeTotal"));
    if (!result.ok) return refuse(ctx, result);
    await ctx.answerCbQuery().catch(() => undefined);
    const report = result.value;
    const { lines, totals } = report.figures;
    const text = [
      ctx.t("province.communeTitle", { name: report.committeeName, period: periodLabel(ctx.t, report) }),
      "",
    ];
    if (lines.length === 0) text.push(ctx.t("province.noBranches"));
    for (const line of lines) text.push(ctx.t("province.branchLine", { name: line.branchName, ...figures(ctx, line) }));
    text.push("", ctx.t("province.communeTotalLine", { branches: lines.length, ...figures(ctx, totals) }));
    if (report.partial) text.push("", ctx.t("reports.partialNote", { date: formatDate(report.asOf) }));
    await replyInChunks(ctx, text);
  });

  return feature;
}
