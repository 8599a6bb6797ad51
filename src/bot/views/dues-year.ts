// A member's dues for the year as one block of text: /cuatoi (the member's own) and the member's dues book
// (the secretary's) show the same sheet, so they say the same thing.
import type { MemberDuesYear } from "../../app/dues-status.js";
import type { MonthKey, MonthState } from "../../domain/dues.js";
import { formatMoney } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { monthLabel } from "./months.js";

export function duesYearText(ctx: BotContext, year: MemberDuesYear): string {
  const months = (state: MonthState): MonthKey[] =>
    year.status.months.filter((m) => m.state === state).map((m) => m.month);
  const label = (list: readonly MonthKey[]) => list.map((m) => monthLabel(ctx, m)).join(", ") || ctx.t("common.none");
  const deferred = months("DEFERRED");
  return [
    ctx.t("dues.memberStatus", {
      year: year.year,
      name: year.name,
      paid: label(months("PAID")),
      unpaid: label(months("UNPAID")),
      owed: formatMoney(year.status.owed),
    }),
    ...(deferred.length > 0 ? [ctx.t("dues.deferredMonths", { months: label(deferred) })] : []),
    ...(year.earlier.months.length > 0
      ? [
          ctx.t("dues.earlierOwed", {
            year: year.earlier.year,
            months: label(year.earlier.months),
            owed: formatMoney(year.earlier.owed),
            total: formatMoney(year.earlier.owed + year.status.owed),
          }),
        ]
      : []),
  ].join("\n");
}
