// Test files as offices save them: text in the Vietnamese code pages and in UTF-16, made with iconv-lite.
import iconv from "iconv-lite";

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/;

/** Windows-1258 writes the base letters (â, ơ, đ…) precomposed and the five tone marks as separate characters. */
export function windows1258(text: string): Buffer {
  const decomposed = [...text.normalize("NFD").matchAll(/\P{M}\p{M}*/gu)].map(([cluster]) => {
    const marks = [...cluster.slice(1)];
    const base = (cluster[0]! + marks.filter((mark) => !TONE_MARKS.test(mark)).join("")).normalize("NFC");
    return base + marks.filter((mark) => TONE_MARKS.test(mark)).join("");
  });
  return iconv.encode(decomposed.join(""), "windows1258");
}

export function tcvn3(text: string): Buffer {
  return iconv.encode(text.normalize("NFC"), "tcvn");
}

/** "Unicode text" from Excel: UTF-16 with its byte order mark. */
export function utf16(text: string, endian: "le" | "be"): Buffer {
  return Buffer.concat([
    Buffer.from(endian === "le" ? [0xff, 0xfe] : [0xfe, 0xff]),
    iconv.encode(text, endian === "le" ? "utf16le" : "utf16-be"),
  ]);
}
