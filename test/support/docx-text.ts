// Reads a .docx back as a person would: the text of each paragraph of word/document.xml, in order.
import { unzipEntries } from "./xlsx-files.js";

const decode = (xml: string) =>
  xml
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

export async function docxParagraphs(docx: Buffer): Promise<string[]> {
  const document = (await unzipEntries(docx)).find((entry) => entry.name === "word/document.xml");
  if (!document) throw new Error("no word/document.xml in the file");
  const xml = document.data.toString("utf8");
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((paragraph) =>
    [...paragraph[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)]
      .map((m) => (m[0] === "<w:tab/>" ? "\t" : decode(m[1] ?? "")))
      .join(""),
  );
}

/** The XML itself, for layout checks (fonts, page size). */
export async function docxXml(docx: Buffer, name = "word/document.xml"): Promise<string> {
  const entry = (await unzipEntries(docx)).find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name} in the file`);
  return entry.data.toString("utf8");
}
