import { describe, expect, it } from "vitest";
import {
  ALLOWED_DOCUMENT_TYPES,
  MIME_TYPES,
  checkUpload,
  extensionMatches,
  sniffFileType,
} from "../../src/domain/file-types.js";

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => new TextEncoder().encode(text);

// Real file openings.
const PDF = ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj");
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00); // JFIF
const JPEG_EXIF = bytes(0xff, 0xd8, 0xff, 0xe1, 0x1c, 0x45, 0x45, 0x78, 0x69, 0x66); // phone camera
const DOCX = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, ...ascii("[Content_Types].xml")]);
const EXE = bytes(0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00); // "MZ"
const OLD_DOC = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1); // Word 97-2003 .doc
const EMPTY_ZIP = bytes(0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0);
const MB = 1024 * 1024;

describe("sniffFileType", () => {
  it.each([
    [PDF, "PDF"],
    [PNG, "PNG"],
    [JPEG, "JPEG"],
    [JPEG_EXIF, "JPEG"],
    [DOCX, "DOCX"],
  ] as const)("recognises %#", (head, type) => {
    expect(sniffFileType(head)).toBe(type);
  });

  it.each([
    ["an EXE", EXE],
    ["an old .doc", OLD_DOC],
    ["an empty ZIP", EMPTY_ZIP],
    ["nothing", bytes()],
    ["a truncated PNG signature", PNG.slice(0, 7)],
    ["a PDF header not at byte 0", ascii(" %PDF-1.4")],
    ["plain text", ascii("Hello")],
  ])("gives null for %s", (_, head) => {
    expect(sniffFileType(head)).toBeNull();
  });
});

describe("extensionMatches", () => {
  it.each([
    ["don.pdf", "PDF"],
    ["DON.PDF", "PDF"],
    ["Đơn xin miễn sinh hoạt.docx", "DOCX"],
    ["anh.jpg", "JPEG"],
    ["anh.JPEG", "JPEG"],
    ["giay-kham.png", "PNG"],
    ["ban.sao.pdf ", "PDF"],
  ] as const)("%j fits %s", (name, type) => {
    expect(extensionMatches(name, type)).toBe(true);
  });

  it.each([
    ["don.pdf", "PNG"],
    ["don.doc", "DOCX"],
    ["don", "PDF"],
    ["pdf", "PDF"],
    ["anh.jpg.exe", "JPEG"],
    ["anh.jfif", "JPEG"],
  ] as const)("%j does not fit %s", (name, type) => {
    expect(extensionMatches(name, type)).toBe(false);
  });
});

describe("checkUpload", () => {
  it.each([
    ["don.pdf", PDF, "PDF"],
    ["Don xin.DOCX", DOCX, "DOCX"],
    ["anh.jpg", JPEG, "JPEG"],
    ["anh.jpeg", JPEG_EXIF, "JPEG"],
    ["giay.png", PNG, "PNG"],
  ] as const)("accepts %j", (fileName, head, type) => {
    expect(checkUpload({ fileName, declaredSize: 120_000, head })).toEqual({
      ok: true,
      value: { type, mimeType: MIME_TYPES[type] },
    });
  });

  it("gives the standard MIME types", () => {
    expect(ALLOWED_DOCUMENT_TYPES.map((t) => MIME_TYPES[t])).toEqual([
      "application/pdf",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "image/jpeg",
      "image/png",
    ]);
  });

  it("refuses a PDF named .png: the name must say what the content is", () => {
    expect(checkUpload({ fileName: "anh.png", declaredSize: 50_000, head: PDF })).toEqual({
      ok: false,
      code: "FILE.NAME_MISMATCH",
      params: { expected: "pdf" },
    });
    expect(checkUpload({ fileName: "anh.pdf", declaredSize: 50_000, head: JPEG })).toEqual({
      ok: false,
      code: "FILE.NAME_MISMATCH",
      params: { expected: "jpg/jpeg" },
    });
  });

  it("refuses an EXE, even one named .pdf", () => {
    expect(checkUpload({ fileName: "setup.exe", declaredSize: 50_000, head: EXE })).toEqual({
      ok: false,
      code: "FILE.TYPE_NOT_ALLOWED",
    });
    expect(checkUpload({ fileName: "don.pdf", declaredSize: 50_000, head: EXE })).toEqual({
      ok: false,
      code: "FILE.TYPE_NOT_ALLOWED",
    });
  });

  it("refuses a ZIP not named .docx (a spreadsheet, an archive) as a type not allowed", () => {
    expect(checkUpload({ fileName: "bang.xlsx", declaredSize: 50_000, head: DOCX })).toEqual({
      ok: false,
      code: "FILE.TYPE_NOT_ALLOWED",
    });
    expect(checkUpload({ fileName: "ho-so.zip", declaredSize: 50_000, head: DOCX })).toEqual({
      ok: false,
      code: "FILE.TYPE_NOT_ALLOWED",
    });
  });

  it("refuses an empty file", () => {
    expect(checkUpload({ fileName: "don.pdf", declaredSize: 0, head: bytes() })).toEqual({
      ok: false,
      code: "FILE.EMPTY",
    });
    expect(checkUpload({ fileName: "don.pdf", declaredSize: 0, head: PDF })).toEqual({ ok: false, code: "FILE.EMPTY" });
    expect(checkUpload({ fileName: "don.pdf", declaredSize: 100, head: bytes() })).toEqual({
      ok: false,
      code: "FILE.EMPTY",
    });
    expect(checkUpload({ fileName: "don.pdf", declaredSize: Number.NaN, head: PDF })).toEqual({
      ok: false,
      code: "FILE.EMPTY",
    });
  });

  it("refuses 25 MB and accepts exactly the limit", () => {
    expect(checkUpload({ fileName: "scan.pdf", declaredSize: 25 * MB, head: PDF })).toEqual({
      ok: false,
      code: "FILE.TOO_LARGE",
      params: { maxBytes: 20 * MB, maxMegabytes: 20, size: 25 * MB },
    });
    expect(checkUpload({ fileName: "scan.pdf", declaredSize: 20 * MB, head: PDF }).ok).toBe(true);
    expect(checkUpload({ fileName: "scan.pdf", declaredSize: 20 * MB + 1, head: PDF }).ok).toBe(false);
  });

  it("takes a smaller limit as a parameter", () => {
    expect(checkUpload({ fileName: "anh.png", declaredSize: 6 * MB, head: PNG }, 5 * MB)).toMatchObject({
      ok: false,
      code: "FILE.TOO_LARGE",
    });
  });
});
