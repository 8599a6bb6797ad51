// Files and photos people send: to the flow waiting for one (a self-review, the scan of a paper one, a
// check-in), or a pointer to the right place. Roster files are taken earlier by the roster import when it is
// waiting for one. The flows that take files are handed in by the composition root, in the order they are tried.
import { Composer } from "telegraf";
import { managedBranchIds } from "../../domain/roles.js";
import type { BotContext } from "../context.js";
import type { FileReceiver, IncomingFile } from "../telegram-files.js";

export function uploadsFeature(receivers: readonly FileReceiver[]): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on(["document", "photo"], async (ctx) => {
    const message = ctx.message;
    // Telegram recompresses photos to JPEG and sends several sizes: the largest is the original's best.
    const largest = "photo" in message ? message.photo[message.photo.length - 1]! : undefined;
    const file: IncomingFile =
      "document" in message
        ? {
            fileId: message.document.file_id,
            fileName: message.document.file_name ?? "document",
            size: message.document.file_size ?? 0,
          }
        : { fileId: largest!.file_id, fileName: "photo.jpg", size: largest!.file_size ?? 0 };
    for (const receive of receivers) if (await receive(ctx, file)) return;
    const scope = managedBranchIds(ctx.actor);
    await ctx.reply(scope === "all" || scope.length > 0 ? ctx.t("import.noFlow") : ctx.t("common.unknownText"));
  });
  return feature;
}
