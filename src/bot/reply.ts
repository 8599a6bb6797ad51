// Rendering helpers shared by features: answer in place for button presses, map outcome codes to text.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "telegraf/types";
import type { BotContext } from "./context.js";
import { errorKey } from "./error-messages.js";
import type { OutcomeCode } from "../domain/outcome.js";
import { formatClock, formatDate, formatInstantDate } from "../i18n/format.js";

export type Keyboard = InlineKeyboardButton[][];

export function markup(rows: Keyboard): { reply_markup: InlineKeyboardMarkup } {
  return { reply_markup: { inline_keyboard: rows } };
}

function isNotModified(error: unknown): boolean {
  return error instanceof Error && /message is not modified/.test(error.message);
}

/** After a button press, edit the pressed message; otherwise send a new one. */
export async function respond(ctx: BotContext, text: string, rows: Keyboard = []): Promise<void> {
  if (ctx.callbackQuery && ctx.callbackQuery.message) {
    try {
      await ctx.editMessageText(text, markup(rows));
      return;
    } catch (error) {
      if (isNotModified(error)) return;
      throw error;
    }
  }
  await ctx.reply(text, markup(rows));
}

/** Outcome parameters are stored values: a "yyyy-MM-dd" day is shown as people read it, dd/MM/yyyy. */
function readableParams(
  params: Readonly<Record<string, string | number>> | undefined,
): Record<string, string | number> | undefined {
  if (!params) return undefined;
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value,
    ]),
  );
}

export function failureText(
  ctx: BotContext,
  failure: { code: OutcomeCode; params?: Readonly<Record<string, string | number>> },
): string {
  return ctx.t(errorKey(failure.code), readableParams(failure.params));
}

/**
 * A press of a flow's button after the flow saved (a double tap, a reply lost in a crash): the pressed message
 * now says when it was saved and what, so nobody saves it again.
 */
export async function answerAlreadySaved(
  ctx: BotContext,
  saved: { savedAt: Date | string; summary: string; undoneAt?: Date | string | null },
): Promise<void> {
  const at = new Date(saved.savedAt);
  const when = {
    time: formatClock(at, ctx.app.timeZone),
    date: formatInstantDate(at, ctx.app.timeZone),
    summary: saved.summary,
  };
  // Saved, then taken back by an undo: the button no longer applies, and saying "saved" would mislead.
  const undone = saved.undoneAt ? new Date(saved.undoneAt) : null;
  const text = undone
    ? ctx.t("common.savedThenUndone", {
        ...when,
        undoTime: formatClock(undone, ctx.app.timeZone),
        undoDate: formatInstantDate(undone, ctx.app.timeZone),
      })
    : ctx.t("common.alreadySaved", when);
  if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => undefined);
  await respond(ctx, text.slice(0, 4000));
}

/** Tells the user why nothing happened: a toast for a button press, a message otherwise. */
export async function refuse(
  ctx: BotContext,
  failure: { code: OutcomeCode; params?: Readonly<Record<string, string | number>> },
): Promise<void> {
  if (failure.code === "FLOW.ALREADY_SAVED" && failure.params) {
    const { savedAt, summary, undoneAt } = failure.params;
    return answerAlreadySaved(ctx, {
      savedAt: String(savedAt),
      summary: String(summary),
      undoneAt: undoneAt === undefined ? null : String(undoneAt),
    });
  }
  const text = failureText(ctx, failure);
  if (ctx.callbackQuery) {
    await ctx.answerCbQuery(text.slice(0, 190), { show_alert: true });
    return;
  }
  await ctx.reply(text);
}

const MAX_MESSAGE = 3900;

/** Long lists go out in as many messages as they need, cut between lines. */
export async function replyInChunks(
  ctx: BotContext,
  lines: string[],
  lastMarkup?: { reply_markup: { inline_keyboard: { text: string; callback_data: string }[][] } },
): Promise<void> {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    if (current.length + line.length + 1 > MAX_MESSAGE && current) {
      chunks.push(current);
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  for (const [index, chunk] of chunks.entries())
    await ctx.reply(chunk, index === chunks.length - 1 ? lastMarkup : undefined);
}
