// exceljs, loaded on first use: it costs about 30 MB of memory once imported, and a bot that is only
// answering chats (most of its life) never builds a spreadsheet. `import type` elsewhere keeps the types.
import type ExcelJS from "exceljs";

/** Whole đồng with a thousands separator: the money format of every workbook the bot writes. */
export const MONEY_FORMAT = "#,##0";

let loaded: Promise<typeof ExcelJS> | null = null;

export function loadExcel(): Promise<typeof ExcelJS> {
  loaded ??= import("exceljs").then(
    (module) => (module as unknown as { default: typeof ExcelJS }).default ?? (module as unknown as typeof ExcelJS),
  );
  return loaded;
}
