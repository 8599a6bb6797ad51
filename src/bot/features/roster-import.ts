// Bulk roster import: the secretary sends a CSV or XLSX file and sees a preview — which rows are new, which
// update an entry already on the roster (and what they fill or change), which namesakes need a choice, and
// every row's problems — then confirms; all rows are written in one transaction or none are. A CSV whose
// code page the bytes do not settle is shown in each reading for the secretary to pick.
import { Composer } from "telegraf";
import { viewBranch } from "../../app/branches.js";
import { commitImport, previewImport, type ReadyPreview } from "../../app/roster-import.js";
import type { FieldChange, ImportChoices, PreviewRow, RosterEntry } from "../../domain/roster-import.js";
import { parseStoredMemberKind } from "../../domain/members.js";
import { MAX_IMPORT_ROWS, readyToWrite } from "../../domain/roster-import.js";
import {
  isTable,
  LEGACY_ENCODINGS,
  MAX_ROSTER_FILE_BYTES,
  MAX_SHEET_COLUMNS,
  MAX_SHEET_ROWS,
  readRosterTable,
  XLSX_LIMITS,
  type LegacyEncoding,
  type UnsureEncoding,
} from "../../files/roster-file.js";
import { formatDate, formatMoney } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { errorKey } from "../error-messages.js";
import type { FlowState } from "../flow.js";
import { onFlowAction } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { downloadTelegramFile } from "../telegram-files.js";
import { monthLabel } from "../views/months.js";

const FLOW = "member.import";
/** What the confirmed preview will write, for the answer to a repeated press. */
type Planned = { created: number; updated: number; rates: number };
type ImportData = {
  branchId: number;
  branchName: string;
  table?: string[][];
  choices?: Record<string, number>;
  fileId?: string;
  planned?: Planned;
};
type ImportState = FlowState<ImportData>;
const SHOWN_ERRORS = 15;
const SHOWN_UPDATES = 10;
const SHOWN_SAMPLE = 5;
/** Namesake rows offered for a choice at once (each takes a row of buttons). */
const SHOWN_CHOICES = 3;
/** The limits a refused file is told of: its size, and (for a spreadsheet or CSV) what it may unpack to and hold. */
const FILE_LIMIT = {
  max: "2 MB",
  unpacked: `${XLSX_LIMITS.maxTotalBytes / (1024 * 1024)} MB`,
  rows: MAX_SHEET_ROWS,
  columns: MAX_SHEET_COLUMNS,
};

function rowErrorLine(ctx: BotContext, row: PreviewRow): string {
  const problems = row.problems
    .map((p) => (p.column ? `${ctx.t(`import.columns.${p.column}`)}: ` : "") + ctx.t(errorKey(p.problem), p.params))
    .join("; ");
  return ctx.t("import.rowError", { line: row.line, name: row.rawName || ctx.t("common.none"), problems });
}

function fieldValue(ctx: BotContext, change: Pick<FieldChange, "field">, value: string): string {
  if (change.field === "kind") return ctx.t(`kinds.${parseStoredMemberKind(value)}`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value;
}

function updateLine(ctx: BotContext, row: PreviewRow): string | null {
  if (row.plan?.action !== "update" || !row.facts) return null;
  const parts = [
    ...row.plan.fills.map((fill) =>
      ctx.t("import.fill", { field: ctx.t(`members.fields.${fill.field}`), value: fieldValue(ctx, fill, fill.after) }),
    ),
    ...row.plan.changes.map((change) =>
      ctx.t("import.change", {
        field: ctx.t(`members.fields.${change.field}`),
        before: fieldValue(ctx, change, change.before ?? ""),
        after: fieldValue(ctx, change, change.after),
      }),
    ),
  ];
  if (row.plan.rateChanged && row.rate)
    parts.push(ctx.t("import.rate", { amount: formatMoney(row.rate.amount), month: monthLabel(ctx, row.rate.from) }));
  if (parts.length === 0) return null;
  return ctx.t("import.updateLine", { line: row.line, name: row.plan.name, changes: parts.join("; ") });
}

function candidateLabel(ctx: BotContext, entry: RosterEntry): string {
  const born = entry.birthDate ? ctx.t("import.born", { date: formatDate(entry.birthDate) }) : ctx.t("import.noBirth");
  return `${entry.fullName} (${born}, ${ctx.t(`kinds.${entry.kind}`).toLowerCase()})`;
}

function chooseLine(ctx: BotContext, row: PreviewRow): string | null {
  if (row.plan?.action !== "choose" || !row.facts) return null;
  const own = row.facts.birthDate
    ? ctx.t("import.born", { date: formatDate(row.facts.birthDate) })
    : ctx.t("import.noBirth");
  const candidates = row.plan.candidates
    .map((entry, index) => `${index + 1}) ${candidateLabel(ctx, entry)}`)
    .join("; ");
  return ctx.t("import.chooseLine", { line: row.line, name: row.facts.fullName, own, candidates });
}

function previewText(ctx: BotContext, preview: ReadyPreview): string {
  const { counts } = preview;
  const lines = [
    ctx.t("import.preview", {
      created: counts.created,
      updated: counts.updated,
      choose: counts.choose,
      invalid: counts.invalid,
    }),
  ];
  if (counts.unchanged > 0) lines.push(ctx.t("import.unchanged", { count: counts.unchanged }));
  const bad = preview.rows.filter((r) => r.problems.length > 0);
  if (bad.length > 0) {
    lines.push(...bad.slice(0, SHOWN_ERRORS).map((row) => rowErrorLine(ctx, row)));
    if (bad.length > SHOWN_ERRORS) lines.push(ctx.t("import.moreErrors", { count: bad.length - SHOWN_ERRORS }));
    lines.push(ctx.t("import.fixAndResend"));
    return lines.join("\n").slice(0, 4000);
  }
  const choose = preview.rows.flatMap((row) => chooseLine(ctx, row) ?? []);
  if (choose.length > 0) lines.push("", ctx.t("import.chooseTitle"), ...choose);
  const updates = preview.rows.flatMap((row) => updateLine(ctx, row) ?? []);
  if (updates.length > 0) {
    lines.push("", ctx.t("import.updatesTitle"), ...updates.slice(0, SHOWN_UPDATES));
    if (updates.length > SHOWN_UPDATES)
      lines.push(ctx.t("import.moreUpdates", { count: updates.length - SHOWN_UPDATES }));
  }
  const created = preview.rows.filter((row) => row.plan?.action === "create");
  if (created.length > 0)
    lines.push(
      "",
      ctx.t("import.previewSample"),
      ...created.slice(0, SHOWN_SAMPLE).map((r) => `• ${r.facts?.fullName ?? ""}`),
    );
  const rates = rateCount(preview);
  if (rates > 0) lines.push(ctx.t("import.ratesCount", { count: rates }));
  return lines.join("\n").slice(0, 4000);
}

/** Rows whose dues amount the import sets: new entries with one, and matched entries whose amount changes. */
function rateCount(preview: ReadyPreview): number {
  return preview.rows.filter(
    (row) => row.rate && (row.plan?.action === "create" || (row.plan?.action === "update" && row.plan.rateChanged)),
  ).length;
}

/** What an import wrote, as the officer reads it: on saving, and on a repeated press of its confirm. */
function savedText(ctx: BotContext, branchName: string, { created, updated, rates }: Planned): string {
  return [
    ctx.t("import.saved", { created, updated, branch: branchName }),
    ...(rates > 0 ? [ctx.t("import.savedRates", { count: rates })] : []),
  ].join("\n");
}

function previewKeyboard(ctx: BotContext, state: ImportState, preview: ReadyPreview): Keyboard {
  const rows: Keyboard = [];
  const pending = preview.rows.filter((row) => row.plan?.action === "choose").slice(0, SHOWN_CHOICES);
  for (const row of pending) {
    if (row.plan?.action !== "choose") continue;
    rows.push([
      ...row.plan.candidates.slice(0, 4).map((entry, index) => ({
        text: ctx.t("import.chooseEntry", { line: row.line, index: index + 1 }),
        callback_data: encode("iC", state.id, row.line, entry.id),
      })),
      { text: ctx.t("import.chooseNew", { line: row.line }), callback_data: encode("iC", state.id, row.line, 0) },
    ]);
  }
  if (readyToWrite(preview)) rows.push([{ text: ctx.t("common.confirm"), callback_data: encode("fy", state.id) }]);
  rows.push([{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]);
  return rows;
}

/** Shows the preview of the table with the choices made so far; a file with errors waits for a corrected one. */
async function showPreview(ctx: BotContext, state: ImportState, table: string[][]): Promise<void> {
  const choices: ImportChoices = state.data.choices ?? {};
  const preview = await previewImport(ctx.app, requestOf(ctx), state.data.branchId, table, choices);
  if (!preview.ok) return refuse(ctx, { ...preview, params: { max: MAX_IMPORT_ROWS } });
  const text = previewText(ctx, preview.value);
  if (preview.value.counts.invalid > 0) {
    // Stay in the flow: the secretary fixes the file and sends it again.
    await ctx.flow.update({
      ...state,
      step: "file",
      data: { branchId: state.data.branchId, branchName: state.data.branchName },
    });
    return respond(ctx, text, [[{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]]);
  }
  const { counts } = preview.value;
  const planned: Planned = { created: counts.created, updated: counts.updated, rates: rateCount(preview.value) };
  const next: ImportState = {
    ...state,
    step: "confirm",
    data: { ...state.data, table, choices: { ...choices }, fileId: undefined, planned },
  };
  await ctx.flow.update(next);
  const ready = readyToWrite(preview.value);
  const ask = ready
    ? ctx.t("import.confirmAsk", { created: counts.created, updated: counts.updated, branch: state.data.branchName })
    : counts.choose > 0
      ? ctx.t("import.chooseAsk")
      : ctx.t("import.nothingToWrite");
  await respond(ctx, `${text}\n\n${ask}`, previewKeyboard(ctx, next, preview.value));
}

async function readAndPreview(
  ctx: BotContext,
  state: ImportState,
  fileId: string,
  encoding?: LegacyEncoding,
): Promise<void> {
  const content = await downloadTelegramFile(ctx, fileId, MAX_ROSTER_FILE_BYTES);
  if (!content.ok) return refuse(ctx, { ...content, params: FILE_LIMIT });
  const read = await readRosterTable(content.value, encoding);
  if (!read.ok) return refuse(ctx, { ...read, params: FILE_LIMIT });
  if (isTable(read.value)) return showPreview(ctx, { ...state, data: { ...state.data, choices: {} } }, read.value);
  await askEncoding(ctx, state, fileId, read.value);
}

/** The bytes fit more than one Vietnamese code page: show the first lines in each, the secretary picks. */
async function askEncoding(ctx: BotContext, state: ImportState, fileId: string, unsure: UnsureEncoding): Promise<void> {
  await ctx.flow.update({ ...state, step: "encoding", data: { ...state.data, fileId } });
  const readings = unsure.readings.map((reading, index) =>
    ctx.t("import.encodingReading", {
      index: index + 1,
      encoding: ctx.t(`import.encodings.${reading.encoding}`),
      sample: reading.sample,
    }),
  );
  const rows: Keyboard = unsure.readings.map((reading, index) => [
    {
      text: `${index + 1}) ${ctx.t(`import.encodings.${reading.encoding}`)}`,
      callback_data: encode("iE", state.id, reading.encoding),
    },
  ]);
  rows.push([{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]);
  await ctx.reply([ctx.t("import.encodingAsk"), ...readings].join("\n\n").slice(0, 4000), {
    reply_markup: { inline_keyboard: rows },
  });
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
    if ((document.file_size ?? 0) > MAX_ROSTER_FILE_BYTES)
      return refuse(ctx, { code: "IMPORT.FILE_TOO_LARGE", params: FILE_LIMIT });
    await readAndPreview(ctx, state, document.file_id);
  });

  onFlowAction<"iE", ImportData>(feature, "iE", FLOW, async (ctx, state, [, encoding]) => {
    if (state.step !== "encoding" || !state.data.fileId || !(LEGACY_ENCODINGS as readonly string[]).includes(encoding))
      return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await readAndPreview(ctx, state, state.data.fileId, encoding);
  });

  onFlowAction<"iC", ImportData>(feature, "iC", FLOW, async (ctx, state, [, line, memberId]) => {
    if (state.step !== "confirm" || !state.data.table) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    // The preview re-checks the choice: an id that is not one of the row's namesakes changes nothing. A choice
    // that makes its row wrong (an entry another row already is) is refused with the reason, and the preview
    // with the choices so far stays: the file is fine, only the choice was not.
    const choices = { ...state.data.choices, [line]: memberId };
    const checked = await previewImport(ctx.app, requestOf(ctx), state.data.branchId, state.data.table, choices);
    const row = checked.ok ? checked.value.rows.find((r) => r.line === line) : undefined;
    if (row && row.problems.length > 0)
      return ctx.answerCbQuery(rowErrorLine(ctx, row).slice(0, 190), { show_alert: true });
    await showPreview(ctx, { ...state, data: { ...state.data, choices } }, state.data.table);
  });

  onFlowAction<"fy", ImportData>(feature, "fy", FLOW, async (ctx, state) => {
    if (state.step !== "confirm" || !state.data.table) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const planned = state.data.planned ?? { created: 0, updated: 0, rates: 0 };
    const summary = savedText(ctx, state.data.branchName, planned);
    const result = await commitImport(
      ctx.app,
      savingRequest(ctx, state, summary),
      state.data.branchId,
      state.data.table,
      state.data.choices ?? {},
    );
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await respond(ctx, savedText(ctx, state.data.branchName, result.value), [
      [{ text: ctx.t("branches.membersButton"), callback_data: encode("ml", state.data.branchId, 0) }],
    ]);
  });
  return feature;
}
