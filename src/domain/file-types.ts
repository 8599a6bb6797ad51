// What documents members and secretaries may upload (applications, medical certificates, introduction letters,
// self-reviews): PDF, Word (DOCX) and photos (JPEG, PNG). The type is read from the file's first bytes, never
// trusted from the name or from Telegram's mime_type, and the name must agree with the content so that the
// person who opens it later gets what the name promises. Pure: the caller passes the first bytes.
import { fail, ok, type Outcome } from "./outcome.js";

export const ALLOWED_DOCUMENT_TYPES = ["PDF", "DOCX", "JPEG", "PNG"] as const;
export type DocumentType = (typeof ALLOWED_DOCUMENT_TYPES)[number];

export const MIME_TYPES: Readonly<Record<DocumentType, string>> = Object.freeze({
  PDF: "application/pdf",
  DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  JPEG: "image/jpeg",
  PNG: "image/png",
});

const EXTENSIONS: Readonly<Record<DocumentType, readonly string[]>> = Object.freeze({
  PDF: ["pdf"],
  DOCX: ["docx"],
  JPEG: ["jpg", "jpeg"],
  PNG: ["png"],
});

/** Telegram lets bots download files up to 20 MB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** How many leading bytes sniffFileType looks at: pass at least this many when the file is that long. */
export const SNIFF_BYTES = 8;

const SIGNATURES: readonly (readonly [DocumentType, readonly number[]])[] = [
  ["PDF", [0x25, 0x50, 0x44, 0x46, 0x2d]], // "%PDF-"
  ["PNG", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ["JPEG", [0xff, 0xd8, 0xff]],
  // A ZIP local file header. Every DOCX is a ZIP, but so are XLSX, PPTX, ODT, APK and plain .zip archives:
  // telling them apart needs "[Content_Types].xml" and "word/" entries, which a few leading bytes cannot show.
  ["DOCX", [0x50, 0x4b, 0x03, 0x04]],
];

/**
 * The document type by magic bytes, or null for anything else. "DOCX" means "a ZIP, possibly a DOCX":
 * checkUpload only accepts it together with a .docx name. A PDF must start with "%PDF-" at byte 0 (some
 * readers tolerate junk before it; such files are refused here).
 */
export function sniffFileType(head: Uint8Array): DocumentType | null {
  for (const [type, signature] of SIGNATURES) {
    if (head.length >= signature.length && signature.every((byte, i) => head[i] === byte)) return type;
  }
  return null;
}

/** Whether the file name's extension fits the type (.pdf; .docx; .jpg/.jpeg; .png; any letter case). */
export function extensionMatches(fileName: string, type: DocumentType): boolean {
  const name = fileName.trim().toLowerCase();
  const dot = name.lastIndexOf(".");
  if (dot < 0) return false;
  return EXTENSIONS[type].includes(name.slice(dot + 1));
}

export interface UploadFacts {
  /** The name as sent; Telegram photos have none, so the caller names them (e.g. "photo.jpg"). */
  fileName: string;
  /** The size Telegram reports before download. */
  declaredSize: number;
  /** The first bytes of the file (at least SNIFF_BYTES when the file is that long). */
  head: Uint8Array;
}

export type UploadProblem = "FILE.EMPTY" | "FILE.TOO_LARGE" | "FILE.TYPE_NOT_ALLOWED" | "FILE.NAME_MISMATCH";

/**
 * Accepts an upload when it is non-empty, within `maxBytes`, its content is PDF, JPEG or PNG (or a ZIP named
 * .docx) and its name's extension matches the content. A ZIP under any other name is TYPE_NOT_ALLOWED rather
 * than NAME_MISMATCH: it is most likely a spreadsheet or an archive, not a mis-named Word file. Limitation: a
 * ZIP renamed to .docx passes; whoever opens it finds it is not a Word document.
 */
export function checkUpload(
  upload: UploadFacts,
  maxBytes: number = DEFAULT_MAX_UPLOAD_BYTES,
): Outcome<{ type: DocumentType; mimeType: string }, UploadProblem> {
  // NaN or a negative size is as good as nothing.
  if (!(upload.declaredSize > 0) || upload.head.length === 0) return fail("FILE.EMPTY");
  if (upload.declaredSize > maxBytes) {
    return fail("FILE.TOO_LARGE", {
      maxBytes,
      maxMegabytes: Math.floor(maxBytes / (1024 * 1024)),
      size: upload.declaredSize,
    });
  }
  const type = sniffFileType(upload.head);
  if (type === null) return fail("FILE.TYPE_NOT_ALLOWED");
  if (!extensionMatches(upload.fileName, type)) {
    if (type === "DOCX") return fail("FILE.TYPE_NOT_ALLOWED");
    return fail("FILE.NAME_MISMATCH", { expected: EXTENSIONS[type].join("/") });
  }
  return ok({ type, mimeType: MIME_TYPES[type] });
}
