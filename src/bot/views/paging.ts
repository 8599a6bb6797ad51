// Paged lists of inline buttons: items, then a navigation row when there is more than one page.
import type { InlineKeyboardButton } from "telegraf/types";
import type { Keyboard } from "../reply.js";
import type { Translate } from "../../i18n/index.js";

/** Previous / "page k of n" / next, wrapping around: the navigation of sheets and long lists. */
export function pageNavRow(
  t: Translate,
  current: number,
  pages: number,
  pageData: (page: number) => string,
): InlineKeyboardButton[] {
  return [
    { text: t("common.prev"), callback_data: pageData((current - 1 + pages) % pages) },
    { text: t("common.pageOf", { page: current + 1, pages }), callback_data: pageData(current) },
    { text: t("common.next"), callback_data: pageData((current + 1) % pages) },
  ];
}

export function pagedKeyboard(
  t: Translate,
  items: InlineKeyboardButton[],
  page: number,
  pages: number,
  pageData: (page: number) => string,
  extraRows: Keyboard = [],
): Keyboard {
  const rows: Keyboard = items.map((button) => [button]);
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (page > 0) nav.push({ text: t("common.prev"), callback_data: pageData(page - 1) });
    nav.push({ text: t("common.pageOf", { page: page + 1, pages }), callback_data: pageData(page) });
    if (page < pages - 1) nav.push({ text: t("common.next"), callback_data: pageData(page + 1) });
    rows.push(nav);
  }
  return [...rows, ...extraRows];
}
