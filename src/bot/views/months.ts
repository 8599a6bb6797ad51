// Months as chat screens show them ("Tháng 3/2026") and as callback data carries them ("202603").
import { monthNumber, yearOfMonth, type MonthKey } from "../../domain/dues.js";
import { formatMonth } from "../../i18n/format.js";
import type { BotContext } from "../context.js";

/** "2026-03" <-> "202603": month keys in callback data carry no dash. */
export const compactMonth = (month: MonthKey) => month.replace("-", "");
export const monthFromCompact = (compact: string): MonthKey => `${compact.slice(0, 4)}-${compact.slice(4)}`;

export function monthLabel(ctx: BotContext, month: MonthKey): string {
  return formatMonth(yearOfMonth(month), monthNumber(month), ctx.locale);
}
