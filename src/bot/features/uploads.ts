// Files and photos people send: to the flow waiting for one (a self-review, the scan of a paper one, a
// check-in), or a pointer to the right place. Roster files are taken earlier by the roster import when it is
// waiting for one.
import { Composer } from "telegraf";
import { managedBranchIds } from "../../domain/roles.js";
import type { BotContext } from "../context.js";
import { receivePaperSelfReviewFile, receiveSelfReviewFile, PAPER_SELF_REVIEW_FLOW, SELF_REVIEW_FLOW, type PaperFlowData } from "./self-reviews.js";
import { CHECKIN_FLOW, saveCheckin } from "./checkins.js";
import { DEFAULT_MAX_UPLOAD_BYTES } from "../../domain/file-types.js";
import { refuse } from "../reply.js";
import { downloadTelegramFile } from "../telegram-files.js";

export function uploadsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on(["document", "photo"], async (ctx) => {
    const message = ctx.message;
    const waiting = await ctx.flow.current(SELF_REVIEW_FLOW);
    if (waiting) {
      await ctx.flow.clear();
      if ("document" in message) return receiveSelfReviewFile(ctx, { fileId: message.document.file_id, fileName: message.document.file_name ?? "document", size: message.document.file_size ?? 0 });
      // Telegram recompresses photos to JPEG and sends several sizes: the largest is the original's best.
      const largest = message.photo[message.photo.length - 1]!;
      return receiveSelfReviewFile(ctx, { fileId: largest.file_id, fileName: "photo.jpg", size: largest.file_size ?? 0 });
    }
    // An officer's scan or photo of a self-review handed in on paper.
    const paper = await ctx.flow.current<PaperFlowData>(PAPER_SELF_REVIEW_FLOW);
    if (paper && paper.step === "file") {
      if ("document" in message) return receivePaperSelfReviewFile(ctx, paper, { fileId: message.document.file_id, fileName: message.document.file_name ?? "document", size: message.document.file_size ?? 0 });
      const largest = message.photo[message.photo.length - 1]!;
      return receivePaperSelfReviewFile(ctx, paper, { fileId: largest.file_id, fileName: "photo.jpg", size: largest.file_size ?? 0 });
    }
    const checkin = await ctx.flow.current<{ place?: string }>(CHECKIN_FLOW);
    if (checkin && checkin.step === "file") {
      const file = "document" in message ? { fileId: message.document.file_id, fileName: message.document.file_name ?? "document", size: message.document.file_size ?? 0 } : { fileId: message.photo[message.photo.length - 1]!.file_id, fileName: "photo.jpg", size: message.photo[message.photo.length - 1]!.file_size ?? 0 };
      if (file.size > DEFAULT_MAX_UPLOAD_BYTES) return refuse(ctx, { code: "FILE.TOO_LARGE" });
      const content = await downloadTelegramFile(ctx, file.fileId, DEFAULT_MAX_UPLOAD_BYTES);
      if (!content.ok) return refuse(ctx, content.code === "IMPORT.FILE_TOO_LARGE" ? { code: "FILE.TOO_LARGE" } : content);
      return saveCheckin(ctx, checkin, { content: content.value, fileName: file.fileName });
    }
    const scope = managedBranchIds(ctx.actor);
    await ctx.reply(scope === "all" || scope.length > 0 ? ctx.t("import.noFlow") : ctx.t("common.unknownText"));
  });
  return feature;
}
