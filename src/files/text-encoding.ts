// Decodes a text file as offices save it: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM ("Unicode
// text" in Excel), or a Vietnamese 8-bit code page — Windows-1258 (Excel's "CSV" on a Vietnamese Windows) or
// TCVN3 (the older ABC fonts). iconv-lite decodes; chardet gives the first opinion on a file that is not
// Unicode, and a check of the decoded words (Vietnamese letters, at most one tone mark per syllable) confirms
// it. When the check cannot tell the code pages apart, the caller asks the person which reading is right.
import iconv from "iconv-lite";
import { analyse } from "chardet";
import { fail, ok, type Outcome } from "../domain/outcome.js";

export const LEGACY_ENCODINGS = ["windows-1258", "tcvn"] as const;
export type LegacyEncoding = (typeof LEGACY_ENCODINGS)[number];
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | LegacyEncoding;

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
}

/** The file is 8-bit text whose code page the bytes do not settle: each reading, for the person to choose. */
export interface UnsureEncoding {
  readonly unsure: true;
  readonly readings: readonly { readonly encoding: LegacyEncoding; readonly sample: string }[];
}

export type DecodeProblem = "IMPORT.FILE_TYPE";

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

const startsWith = (content: Buffer, bom: number[]) => bom.every((byte, index) => content[index] === byte);

function utf8(content: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return null;
  }
}

/** Decoded text is compared and shown in composed form (Windows-1258 writes tone marks as separate characters). */
const finish = (text: string): string => text.replace(/^\uFEFF/, "").normalize("NFC");

function decodeWith(content: Buffer, encoding: TextEncoding): string {
  return finish(encoding === "utf-8" ? content.toString("utf8") : iconv.decode(content, encoding));
}

const VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
const TONED = new Set([..."àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"]);
const LETTERS = new Set([...VIETNAMESE_LETTERS, ..."bcdfghjklmnpqrstvwxz"]);
/** Punctuation an office file may hold besides ASCII. */
const ALLOWED_SYMBOLS = new Set([..."“”‘’–—…°№"]);

/**
 * How wrong a reading looks: characters that are neither ASCII, Vietnamese letters nor common punctuation,
 * plus words with more than one tone mark (a Vietnamese syllable has at most one). 0 for a right reading.
 */
export function oddness(text: string): number {
  let odd = 0;
  for (const char of text) {
    if (char <= "\u007f") continue;
    if (!LETTERS.has(char.toLowerCase()) && !ALLOWED_SYMBOLS.has(char)) odd++;
  }
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    let tones = 0;
    for (const char of word) if (TONED.has(char)) tones++;
    if (tones > 1) odd++;
  }
  return odd;
}

/** The first lines of a reading, to show the person choosing. */
function sampleOf(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim().length > 0)
    .slice(0, 2)
    .map((line) => line.slice(0, 120))
    .join("\n");
}

/**
 * Decodes `content`. `chosen` is the code page the person picked after an unsure answer. A file with a NUL
 * byte and no UTF-16 BOM is not text (or UTF-16 without a BOM, which cannot be told from binary).
 */
export function decodeText(
  content: Buffer,
  chosen?: LegacyEncoding,
): Outcome<DecodedText | UnsureEncoding, DecodeProblem> {
  if (chosen) return ok({ text: decodeWith(content, chosen), encoding: chosen });
  if (startsWith(content, UTF16LE_BOM)) return ok({ text: decodeWith(content, "utf-16le"), encoding: "utf-16le" });
  if (startsWith(content, UTF16BE_BOM)) return ok({ text: decodeWith(content, "utf-16be"), encoding: "utf-16be" });
  if (content.includes(0)) return fail("IMPORT.FILE_TYPE");
  const unicode = utf8(content);
  if (unicode !== null) return ok({ text: finish(unicode), encoding: "utf-8" });
  if (startsWith(content, UTF8_BOM)) return fail("IMPORT.FILE_TYPE");

  const readings = LEGACY_ENCODINGS.map((encoding) => {
    const text = decodeWith(content, encoding);
    return { encoding, text, oddness: oddness(text) };
  });
  const right = readings.filter((reading) => reading.oddness === 0);
  // chardet knows Windows-1258 (not TCVN3): it must agree before Windows-1258 is taken without asking.
  const chardetSays1258 = analyse(content)[0]?.name === "windows-1258";
  const only = right.length === 1 ? right[0]! : null;
  if (only && (only.encoding !== "windows-1258" || chardetSays1258))
    return ok({ text: only.text, encoding: only.encoding });
  const ordered = [...readings].sort((a, b) => a.oddness - b.oddness);
  return ok({ unsure: true, readings: ordered.map(({ encoding, text }) => ({ encoding, sample: sampleOf(text) })) });
}

export function isUnsure(decoded: DecodedText | UnsureEncoding): decoded is UnsureEncoding {
  return "unsure" in decoded;
}
