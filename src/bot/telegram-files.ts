// Downloads a file a user sent, through getFile and the file URL, with a size cap enforced while
// reading (Telegram's announced size is not trusted).
import { fail, ok, type Outcome } from "../domain/outcome.js";
import type { BotContext } from "./context.js";

/** A document or photo someone sent, as Telegram announced it (nothing downloaded yet). */
export interface IncomingFile {
  fileId: string;
  fileName: string;
  size: number;
}

/**
 * A flow that takes a file while it waits for one: true if it took it. The composition root hands the
 * uploads feature every receiver, so the features that wait for files never import each other.
 */
export type FileReceiver = (ctx: BotContext, file: IncomingFile) => Promise<boolean>;

export async function downloadTelegramFile(
  ctx: BotContext,
  fileId: string,
  maxBytes: number,
): Promise<Outcome<Buffer, "FILE.DOWNLOAD_FAILED" | "IMPORT.FILE_TOO_LARGE">> {
  let response: Response;
  try {
    const url = await ctx.telegram.getFileLink(fileId);
    response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    ctx.log.warn({ err: error }, "file download failed");
    return fail("FILE.DOWNLOAD_FAILED");
  }
  if (!response.ok || !response.body) return fail("FILE.DOWNLOAD_FAILED");
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) return fail("IMPORT.FILE_TOO_LARGE");
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    ctx.log.warn({ err: error }, "file download interrupted");
    return fail("FILE.DOWNLOAD_FAILED");
  }
  return ok(Buffer.concat(chunks));
}
