// Roster spreadsheets for tests and the bench: a real one (exceljs), and zip bombs made from a real one by
// swapping its sheet for a huge, highly compressible one. A small ZIP writer (deflate, CRC-32, central
// directory) lets a test also lie about an entry's unpacked size, as a crafted bomb would.
import { crc32, deflateRawSync } from "node:zlib";
import yauzl from "yauzl";
import { loadExcel } from "../../src/files/excel.js";

export const ROSTER_HEADER = [
  "Họ và tên",
  "Ngày sinh",
  "Ngày vào Đảng",
  "Ngày chính thức",
  "Loại",
  "Số điện thoại",
  "Nơi cư trú",
  "Nơi làm việc",
];

/** A roster of `rows` members as Excel would save it (dates as dates). */
const GIVEN = ["An", "Bình", "Cường", "Dũng", "Em", "Giang", "Hà", "Hùng", "Khánh", "Lan"];
const letter = (n: number) => String.fromCharCode(65 + (n % 26));
/** Distinct names made of letters only, as the roster requires: "Nguyễn Văn An Ba", … */
export const rosterName = (i: number) =>
  `Nguyễn Văn ${GIVEN[i % 10]} ${letter(Math.floor(i / 10))}${letter(Math.floor(i / 260)).toLowerCase()}`;

export async function rosterXlsx(rows: number, name = rosterName): Promise<Buffer> {
  const excel = await loadExcel();
  const workbook = new excel.Workbook();
  const sheet = workbook.addWorksheet("Danh sách");
  sheet.addRow(ROSTER_HEADER);
  for (let i = 0; i < rows; i++) {
    sheet.addRow([
      name(i),
      new Date(Date.UTC(1940 + (i % 35), i % 12, 1 + (i % 28))),
      "15/05/1995",
      "15/05/1996",
      "Chính thức",
      `09${String(10_000_000 + i).slice(-8)}`,
      `Ấp ${1 + (i % 9)}, xã Xuân Đông`,
      "Làm nông",
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** The unpacked size written in the headers (default: the true one). */
  declaredSize?: number;
}

export async function unzipEntries(zip: Buffer): Promise<ZipEntry[]> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const entries: ZipEntry[] = [];
  for await (const entry of file.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of (await file.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) chunks.push(chunk);
    entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  file.close();
  return entries;
}

/** A ZIP archive (deflate) of these entries. */
export function zipOf(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const packed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A valid roster spreadsheet whose sheet unpacks to about `megabytes` MB: rows of one cell holding a
 * megabyte of the same letter, which deflate packs a thousand to one (500 MB in about half a megabyte): a
 * zip bomb. `lie` writes a small unpacked size in the headers.
 */
export async function zipBombXlsx(megabytes: number, options: { lie?: boolean } = {}): Promise<Buffer> {
  const entries = await unzipEntries(await rosterXlsx(2));
  const sheet = entries.find((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name))!;
  const row = `<row><c t="inlineStr"><is><t>${"A".repeat(1024 * 1024)}</t></is></c></row>`;
  const head =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  const tail = "</sheetData></worksheet>";
  const count = Math.ceil((megabytes * 1024 * 1024) / Buffer.byteLength(row));
  sheet.data = Buffer.concat([
    Buffer.from(head),
    ...Array.from({ length: count }, () => Buffer.from(row)),
    Buffer.from(tail),
  ]);
  if (options.lie) sheet.declaredSize = 4096;
  return zipOf(entries);
}

/** "A", "B", … "Z", "AA", …: a spreadsheet column's letters (1-based). */
function columnLetters(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * A spreadsheet as heavy as the reading limits let through: `rows` × `columns` cells of `cellChars` letters
 * each, under a roster's header row. The reader takes it all in; the roster rules then refuse the row count.
 */
export async function fullSheetXlsx(rows: number, columns: number, cellChars: number): Promise<Buffer> {
  const entries = await unzipEntries(await rosterXlsx(2));
  const sheet = entries.find((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name))!;
  const text = "Nguyễn Văn ".repeat(Math.ceil(cellChars / 11)).slice(0, cellChars);
  const parts = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  ];
  for (let r = 1; r <= rows; r++) {
    parts.push(`<row r="${r}">`);
    // The first row is a roster's header, so that the roster rules read on (and refuse the row count).
    for (let c = 1; c <= columns; c++)
      parts.push(
        `<c r="${columnLetters(c)}${r}" t="inlineStr"><is><t>${r === 1 ? (ROSTER_HEADER[c - 1] ?? `Ghi chú ${c}`) : text}</t></is></c>`,
      );
    parts.push("</row>");
  }
  parts.push("</sheetData></worksheet>");
  sheet.data = Buffer.from(parts.join(""), "utf8");
  return zipOf(entries);
}
