// Checks a ZIP archive (an XLSX is one) before any spreadsheet library opens it: a 490 KB file can unpack
// to gigabytes (a "zip bomb"), and exceljs unpacks whatever it is given. yauzl reads the central directory
// without unpacking anything, so the number of entries and the sizes they declare are checked first; then
// every entry is inflated once, counting bytes and keeping none, and given up as soon as it passes its
// limit: yauzl also refuses an entry whose real size differs from the size it declared, so an archive
// that lies about its sizes is caught too. Memory stays at a few buffers whatever the archive holds.
import yauzl from "yauzl";

export interface ZipLimits {
  /** Entries in the archive (a spreadsheet saved by Excel has about a dozen). */
  maxEntries: number;
  /** Unpacked bytes of any one entry. */
  maxEntryBytes: number;
  /** Unpacked bytes of all entries together. */
  maxTotalBytes: number;
}

export type ZipVerdict =
  | { ok: true; entries: number; totalBytes: number }
  | { ok: false; problem: "unreadable" | "too-many-entries" | "too-large" };

class LimitExceeded extends Error {
  constructor(readonly problem: "too-many-entries" | "too-large") {
    super(problem);
  }
}

export async function checkZip(content: Buffer, limits: ZipLimits): Promise<ZipVerdict> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(content, {
      lazyEntries: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch {
    return { ok: false, problem: "unreadable" };
  }
  try {
    if (zip.entryCount > limits.maxEntries) return { ok: false, problem: "too-many-entries" };
    const entries: yauzl.Entry[] = [];
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      if (entry.uncompressedSize > limits.maxEntryBytes || declared > limits.maxTotalBytes)
        return { ok: false, problem: "too-large" };
      entries.push(entry);
    }
    let total = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith("/")) continue;
      const stream = await zip.openReadStreamPromise(entry);
      let size = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        total += chunk.length;
        if (size > limits.maxEntryBytes || total > limits.maxTotalBytes) {
          stream.destroy();
          throw new LimitExceeded("too-large");
        }
      }
    }
    return { ok: true, entries: entries.length, totalBytes: total };
  } catch (error) {
    if (error instanceof LimitExceeded) return { ok: false, problem: error.problem };
    // yauzl's "too many bytes in the stream" (an entry bigger than it declared) is a bomb too.
    if (error instanceof Error && /too many bytes|expected .* bytes/i.test(error.message))
      return { ok: false, problem: "too-large" };
    return { ok: false, problem: "unreadable" };
  } finally {
    zip.close();
  }
}
