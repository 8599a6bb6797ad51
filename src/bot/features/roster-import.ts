// Bulk roster import: the secretary sends a CSV or XLSX file, sees a preview with every row's
// problems, and confirms; all rows are written in one transaction or none are.
import { Composer } from "telegraf";
import { viewBranch } from "../../app/branches.js";
import { commitImport, previewImport } from "../../app/roster-import.js";
import type { ImportPreview, PreviewRow } from "../../domain/roster-import.js";
import { MAX_IMPORT_ROWS } from "../../domain/roster-import.js";
import { MAX_ROSTER_FILE_BYTES, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, readRosterTable, XLSX_LIMITS } from "../../files/roster-file.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { errorKey } from "../error-messages.js";
import { onFlowAction } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond } from "../reply.js";
import { downloadTelegramFile } from "../telegram-files.js";

const FLOW = "member.import";
type ImportData = { branchId: number; branchName: string; table?: string[][] };
const SHOWN_ERRORS = 15;
const SHOWN_SAMPLE = 5;

function rowErrorLine(ctx: BotContext, row: PreviewRow): string {
  const problems = row.problems.map((p) => (p.column ? `${ctx.t(`import.columns.${p.column}`)}: ` : "") + ctx.t(errorKey(p.problem))).join("; ");
  return ctx.t("import.rowError", { line: row.line, name: row.rawName || ctx.t("common.none"), problems });
}

function previewText(ctx: BotContext, preview: ImportPreview & { ok: true }): string {
  const lines = [ctx.t("import.preview", { valid: preview.validCount, invalid: preview.invalidCount })];
  const bad = preview.rows.filter((r) => r.problems.length > 0);
  if (bad.length > 0) {
    lines.push(...bad.slice(0, SHOWN_ERRORS).map((row) => rowErrorLine(ctx, row)));
    if (bad.length > SHOWN_ERRORS) lines.push(ctx.t("import.moreErrors", { count: bad.length - SHOWN_ERRORS }));
    lines.push(ctx.t("import.fixAndResend"));
  } else {
    lines.push(ctx.t("import.previewSample"), ...preview.rows.slice(0, SHOWN_SAMPLE).map((r) => `• ${r.facts?.fullName ?? ""}`));
  }
  return lines.join("\n").slice(0, 4000);
}

export function rosterImportFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "mm", async (ctx, [branchId]) => {
    const branch = await viewBranch(ctx.app, requestOf(ctx), branchId);
    if (!branch.ok || !branch.value.canManage) return refuse(ctx, branch.ok ? { code: "AUTH.FORBIDDEN" } : branch);
    const state = await ctx.flow.start(FLOW, "file", { branchId, branchName: branch.value.branch.name });
    await ctx.reply(ctx.t("import.askFile", { branch: branch.value.branch.name }), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] },
    });
  });

  feature.on("document", async (ctx, next) => {
    const state = await ctx.flow.current<ImportData>(FLOW);
    if (!state) return next();
    const document = ctx.message.document;
    if ((document.file_size ?? 0) > MAX_ROSTER_FILE_BYTES) return refuse(ctx, { code: "IMPORT.FILE_TOO_LARGE", params: { max: "2 MB" } });
    const content = await downloadTelegramFile(ctx, document.file_id, MAX_ROSTER_FILE_BYTES);
    if (!content.ok) return refuse(ctx, { ...content, params: { max: "2 MB" } });
    const table = await readRosterTable(content.value);
    if (!table.ok) return refuse(ctx, { ...table, params: { max: "2 MB", unpacked: `${XLSX_LIMITS.maxTotalBytes / (1024 * 1024)} MB`, rows: MAX_SHEET_ROWS, columns: MAX_SHEET_COLUMNS } });
    const preview = await previewImport(ctx.app, requestOf(ctx), state.data.branchId, table.value);
    if (!preview.ok) return refuse(ctx, { ...preview, params: { max: MAX_IMPORT_ROWS } });
    const text = previewText(ctx, preview.value);
    if (preview.value.invalidCount > 0) {
      // Stay in the flow: the secretary fixes the file and sends it again.
      await ctx.flow.update({ ...state, step: "file", data: { branchId: state.data.branchId, branchName: state.data.branchName } });
      return ctx.reply(text);
    }
    await ctx.flow.update({ ...state, step: "confirm", data: { ...state.data, table: table.value } });
    await ctx.reply(`${text}\n\n${ctx.t("import.confirmAsk", { count: preview.value.validCount, branch: state.data.branchName })}`, {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.confirm"), callback_data: encode("fy", state.id) }, { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] },
    });
  });

  onFlowAction<"fy", ImportData>(feature, "fy", FLOW, async (ctx, state) => {
    if (state.step !== "confirm" || !state.data.table) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const rows = state.data.table.slice(1).filter((row) => row.some((cell) => cell.trim() !== "")).length;
    const result = await commitImport(ctx.app, savingRequest(ctx, state, ctx.t("import.saved", { count: rows, branch: state.data.branchName })), state.data.branchId, state.data.table);
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await respond(ctx, ctx.t("import.saved", { count: result.value.created, branch: state.data.branchName }), [
      [{ text: ctx.t("branches.membersButton"), callback_data: encode("ml", state.data.branchId, 0) }],
    ]);
  });
  return feature;
}
