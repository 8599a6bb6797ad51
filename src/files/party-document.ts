// The form every spreadsheet the bot makes for paper shares, so a clerk can print and file it as it is:
// A4 in the orientation the table reads best, margins of a party document, fit to the page's width with
// the table's heading rows repeated on every page and "Trang x/y" at the foot, Times New Roman throughout
// (sizes as party documents use: 14 pt title, 12–13 pt headers, ≥ 10 pt in tables), and the party-document
// blocks: issuer and number top left, "ĐẢNG CỘNG SẢN VIỆT NAM" and "<place>, ngày … tháng … năm …" top
// right, "Nơi nhận" bottom left and the signature block (T/M …, the signer's title, room to sign and
// stamp, the name) bottom right. Numbers carry Vietnamese formats in the cells themselves ("1.350",
// "50.000 đ"), written with literal dots so no PC's regional settings can turn them into "1,350".
import type ExcelJS from "exceljs";

export const DOCUMENT_FONT = "Times New Roman";

/** Point sizes: nothing on paper under 10 pt, so the page still reads at ≥ 9 pt if a viewer shrinks it a little. */
export const SIZES = { title: 14, subtitle: 13, header: 12, body: 12, table: 11, tableHeader: 11, footer: 10 } as const;

/**
 * Whole numbers with "." between thousands, whatever the PC's locale (Excel and Calc put the locale's own
 * separator for ","): the two conditions pick the literal dots. Counts stay numbers the office can sum.
 */
export const COUNT_FORMAT = '[>=1000000]#"."###"."###;[>=1000]#"."###;0';
/** Whole đồng: "50.000 đ". */
export const DONG_FORMAT = '[>=1000000]#"."###"."###" đ";[>=1000]#"."###" đ";0" đ"';
/** A rate with one decimal and a decimal comma ("86,8%"): the format's language is Vietnamese. */
export const PERCENT_FORMAT = "[$-42A]0.0%";

export type Orientation = "portrait" | "landscape";

/** Printable width of A4 with these margins, in column-width units (≈ 7 px of the workbook's default font). */
export const PRINTABLE_WIDTH: Record<Orientation, number> = { portrait: 84, landscape: 128 };

export function font(size: number = SIZES.table, extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> {
  return { name: DOCUMENT_FONT, size, ...extra };
}

const thin = { style: "thin" as const };
export const ALL_BORDERS: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

/**
 * A sheet set up for A4: margins of a party document (2 cm left, 1.5 cm right, 2 cm top and bottom, in
 * inches as the format wants), fitted to the page width only (pages run down as long as the table does),
 * centred, with the page number at the foot.
 */
export function addDocumentSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  orientation: Orientation,
  pageLabel: (page: string, pages: string) => string,
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name.slice(0, 31), {
    pageSetup: {
      paperSize: 9,
      orientation,
      fitToPage: true,
      fitToWidth: 1,
      // "As many pages down as it takes" is fitToHeight 0, but LibreOffice then shrinks a long sheet that
      // follows another long one to 98% and adds a blank page: a height no document reaches does the same
      // job without either.
      fitToHeight: 1000,
      horizontalCentered: true,
      margins: { left: 0.79, right: 0.59, top: 0.79, bottom: 0.79, header: 0.3, footer: 0.3 },
    },
  });
  sheet.headerFooter.oddFooter = `&C&"${DOCUMENT_FONT},Regular"&${SIZES.footer}${pageLabel("&P", "&N")}`;
  return sheet;
}

/** Repeats rows `from`–`to` (a table's headings) at the top of every printed page. */
export function repeatRows(sheet: ExcelJS.Worksheet, from: number, to: number): void {
  sheet.pageSetup.printTitlesRow = `${from}:${to}`;
}

export function setWidths(sheet: ExcelJS.Worksheet, widths: readonly number[]): void {
  widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
}

/**
 * The height a row needs for `text` wrapped in a column `width` units wide (Calc and Excel size wrapped rows
 * only when they open a file, and not always: a row sized here prints whole names, never a cut line).
 * Times New Roman averages about 0.43 em a letter, a width unit is 7 px (5.25 pt); bold text runs wider.
 */
export function heightFor(text: string, width: number, size: number, bold = false): number {
  const perLine = Math.max(1, ((width - 1) * 5.25) / (size * (bold ? 0.48 : 0.43)));
  const lines = text.split("\n").reduce((sum, part) => sum + Math.max(1, Math.ceil(part.length / perLine)), 0);
  return Math.ceil(lines * size * 1.15 + 2);
}

function widthOf(sheet: ExcelJS.Worksheet, from: number, to: number): number {
  let width = 0;
  for (let column = from; column <= to; column++) width += sheet.getColumn(column).width ?? 9;
  return width;
}

/** Raises a row to `height` points if it is lower. */
export function raiseRow(sheet: ExcelJS.Worksheet, row: number, height: number): void {
  const r = sheet.getRow(row);
  if ((r.height ?? 0) < height) r.height = height;
}

/** Writes text over columns from–to of a row, merged, centred unless told, wrapped. */
export function mergedText(
  sheet: ExcelJS.Worksheet,
  row: number,
  from: number,
  to: number,
  value: string,
  style: Partial<ExcelJS.Font> = {},
  horizontal: "center" | "left" | "right" = "center",
): ExcelJS.Cell {
  if (to > from) sheet.mergeCells(row, from, row, to);
  const cell = sheet.getCell(row, from);
  cell.value = value;
  cell.font = font(SIZES.header, style);
  cell.alignment = { horizontal, vertical: "middle", wrapText: true };
  raiseRow(
    sheet,
    row,
    heightFor(value, widthOf(sheet, from, to), cell.font.size ?? SIZES.header, cell.font.bold ?? false),
  );
  return cell;
}

export interface DocumentHeader {
  /** Lines of the left block, top to bottom, empty ones left out: the parent organisation, the issuer (bold). */
  parent: string;
  issuer: string;
  /** "Số 12-BC/ĐU", or "" for documents without a number. */
  number: string;
  party: string;
  /** "<place>, ngày 05 tháng 01 năm 2027". */
  dateLine: string;
}

/**
 * The two header blocks, both starting on row 1: left the parent organisation (when there is one), the
 * issuer in bold, the star under it and the number; right the party line (bold, underlined) and the date
 * line (italic) on the number's row. Returns the first free row.
 */
export function writeHeader(
  sheet: ExcelJS.Worksheet,
  header: DocumentHeader,
  split: number,
  lastColumn: number,
): number {
  const upper = (text: string) => text.toLocaleUpperCase("vi");
  const left: [string, Partial<ExcelJS.Font>][] = [];
  if (header.parent.trim()) left.push([upper(header.parent), {}]);
  left.push([upper(header.issuer), { bold: true }]);
  left.push(["*", {}]);
  if (header.number) left.push([header.number, {}]);
  left.forEach(([text, style], i) => mergedText(sheet, 1 + i, 1, split, text, style));
  mergedText(sheet, 1, split + 1, lastColumn, header.party, { bold: true, underline: true });
  mergedText(sheet, Math.max(2, left.length), split + 1, lastColumn, header.dateLine, { italic: true });
  return left.length + 2;
}

/** The title (14 pt, bold) and its subtitle lines, centred over the page. Returns the first free row. */
export function writeTitle(
  sheet: ExcelJS.Worksheet,
  row: number,
  lastColumn: number,
  title: string,
  subtitles: readonly string[],
): number {
  mergedText(sheet, row, 1, lastColumn, title, { bold: true, size: SIZES.title });
  subtitles.forEach((text, i) =>
    mergedText(sheet, row + 1 + i, 1, lastColumn, text, { bold: true, size: SIZES.subtitle }),
  );
  return row + subtitles.length + 2;
}

export interface SignatureBlock {
  /** "T/M ĐẢNG ỦY", "T/M CHI BỘ". */
  onBehalfOf: string;
  /** "BÍ THƯ". */
  title: string;
  /** The signer's name, or a dotted line to write it by hand. */
  name: string;
}

/**
 * "Nơi nhận:" with its list on the left, the signature block on the right: on behalf of whom, the
 * signer's title, four empty rows to sign and stamp, the name. Returns the row after the block.
 */
export function writeFooter(
  sheet: ExcelJS.Worksheet,
  row: number,
  split: number,
  lastColumn: number,
  recipients: { label: string; lines: readonly string[] } | null,
  signature: SignatureBlock,
): number {
  if (recipients) {
    const label = mergedText(
      sheet,
      row + 1,
      1,
      split,
      recipients.label,
      { bold: true, italic: true, size: SIZES.table },
      "left",
    );
    label.font = font(SIZES.table, { bold: true, italic: true, underline: true });
    recipients.lines.forEach((text, i) =>
      mergedText(sheet, row + 2 + i, 1, split, text, { size: SIZES.table - 1 }, "left"),
    );
  }
  mergedText(sheet, row + 1, split + 1, lastColumn, signature.onBehalfOf, { bold: true });
  mergedText(sheet, row + 2, split + 1, lastColumn, signature.title, { bold: true });
  for (let i = 3; i <= 6; i++) sheet.getRow(row + i).height = 18;
  mergedText(sheet, row + 7, split + 1, lastColumn, signature.name, { bold: true });
  return row + 8;
}

/** The column at which the left header block ends: the first whose running width reaches `share` of the whole. */
export function splitColumn(widths: readonly number[], share = 0.45): number {
  const total = widths.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (let i = 0; i < widths.length; i++) {
    sum += widths[i]!;
    if (sum >= total * share) return Math.min(i + 1, widths.length - 1);
  }
  return Math.max(1, widths.length - 1);
}

export interface TableStyle {
  /** How many rows at the top are headings (bold, centred). */
  headingRows: number;
  /** Rows in bold (totals, section lines). */
  boldRows?: ReadonlySet<number>;
  /** Columns centred (STT). */
  centred?: ReadonlySet<number>;
}

/**
 * Styles a table: headings bold and centred, every cell bordered, table-sized Times New Roman, text wrapped
 * so long names take two lines instead of being cut, numbers to the right.
 */
export function styleTable(
  sheet: ExcelJS.Worksheet,
  from: { row: number; column: number },
  to: { row: number; column: number },
  style: TableStyle,
): void {
  for (let row = from.row; row <= to.row; row++) {
    const heading = row < from.row + style.headingRows;
    const bold = heading || (style.boldRows?.has(row) ?? false);
    for (let column = from.column; column <= to.column; column++) {
      const cell = sheet.getCell(row, column);
      cell.border = ALL_BORDERS;
      cell.font = font(heading ? SIZES.tableHeader : SIZES.table, bold ? { bold: true } : {});
      const horizontal =
        heading || style.centred?.has(column) ? "center" : typeof cell.value === "number" ? "right" : "left";
      cell.alignment = { vertical: "middle", wrapText: true, horizontal };
      // Merged cells (headings over several columns or rows) are sized by whoever wrote them.
      if (typeof cell.value === "string" && !cell.isMerged) {
        const size = heading ? SIZES.tableHeader : SIZES.table;
        raiseRow(sheet, row, heightFor(cell.value, widthOf(sheet, column, column), size, bold));
      }
    }
  }
}
