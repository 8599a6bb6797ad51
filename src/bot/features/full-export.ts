// /xuatdulieu: the committee's full export, an XLSX workbook sent to the asker's own private chat only.
// A large commune takes a while to write, and Telegraf's polling loop waits for every update of a batch
// before fetching the next: the handler therefore answers at once and builds the file in the background,
// one export at a time per process, telling the asker if anything goes wrong.
import { Composer } from "telegraf";
import { EXPORT_SUBJECTS, fullExport, type FullExport } from "../../app/full-export.js";
import { isoDateIn } from "../../domain/dates.js";
import { isCommittee } from "../../domain/roles.js";
import { TELEGRAM_DOCUMENT_LIMIT, withFullExportFile } from "../../files/full-export-xlsx.js";
import { formatInstant } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf } from "../context.js";
import { newErrorId } from "../middleware/error-boundary.js";
import { refuse, replyInChunks } from "../reply.js";

export function fullExportFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  // The export in progress, if any: its own token, so a finished one cannot free a later one.
  let running: symbol | null = null;

  feature.command("xuatdulieu", async (ctx) => {
    // Only the committee hears that an export is running; everyone else gets the plain refusal below.
    if (running && isCommittee(ctx.actor)) {
      await ctx.reply(ctx.t("fullExport.busy"));
      return;
    }
    const result = await fullExport(ctx.app, requestOf(ctx));
    if (!result.ok) return refuse(ctx, result);
    if (running) {
      await ctx.reply(ctx.t("fullExport.busy"));
      return;
    }
    const token = Symbol("export");
    running = token;
    const release = () => {
      if (running === token) running = null;
    };
    try {
      await ctx.reply(ctx.t("fullExport.preparing"));
    } catch (error) {
      release();
      throw error;
    }
    void sendExport(ctx, result.value, release).finally(release);
  });
  return feature;
}

/** Builds and sends the file; `sent` is called as soon as the file is out (or cannot be), freeing the next export. */
async function sendExport(ctx: BotContext, data: FullExport, sent: () => void): Promise<void> {
  // Internal documents go only to the asker's own private chat (the bot works in private chats only).
  try {
    await withFullExportFile(data, ctx.t, ctx.now, async ({ path, size, counts }) => {
      if (size > TELEGRAM_DOCUMENT_LIMIT) {
        const mb = (bytes: number) => Math.ceil(bytes / (1024 * 1024));
        sent();
        await ctx.reply(ctx.t("fullExport.tooLarge", { size: mb(size), max: mb(TELEGRAM_DOCUMENT_LIMIT) }));
        return;
      }
      const time = formatInstant(data.generatedAt, data.timeZone);
      const day = isoDateIn(data.generatedAt, data.timeZone);
      await ctx.replyWithDocument(
        { source: path, filename: `du-lieu-dang-bo-${day}.xlsx` },
        { caption: ctx.t("fullExport.caption", { committee: data.committeeName, time }).slice(0, 1024) },
      );
      sent();
      await replyInChunks(ctx, [
        ctx.t("fullExport.summaryTitle"),
        ...EXPORT_SUBJECTS.filter((subject) => !data.withheld?.includes(subject)).map((subject) =>
          ctx.t("fullExport.summaryLine", { sheet: ctx.t(`fullExport.sheets.${subject}`), count: counts[subject] }),
        ),
      ]);
    });
  } catch (error) {
    sent();
    const errorId = newErrorId();
    ctx.log.error({ err: error, errorId }, "full export failed");
    await ctx.reply(ctx.t("fullExport.failed", { errorId })).catch(() => undefined);
  }
}
