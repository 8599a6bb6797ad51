/**
 * Minimal, binary-safe multipart/form-data parser (RFC 7578) for the fake
 * Telegram server. Works on a fully buffered body; only node built-ins.
 *
 * Telegraf writes parts as
 *   --B\r\ncontent-disposition:form-data; name="document"; filename="x.pdf"\r\n\r\n<bytes>\r\n--B--
 * i.e. no space after the header colon, no per-part content-type, raw UTF-8
 * (unescaped) file names and no CRLF after the closing delimiter. All of that
 * is accepted here, as is the usual browser/curl form.
 */

export interface MultipartFile {
  fieldName: string;
  fileName: string;
  /** content-type header of the part, if the client sent one */
  contentType?: string;
  data: Buffer;
}

export interface MultipartResult {
  fields: Record<string, string>;
  files: Record<string, MultipartFile>;
}

export class MultipartError extends Error {}

export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

const CRLF = Buffer.from("\r\n");
const CRLFCRLF = Buffer.from("\r\n\r\n");

export function parseMultipart(body: Buffer, contentType: string): MultipartResult {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new MultipartError("multipart boundary is missing");
  const delimiter = Buffer.from(`--${boundary}`);
  const innerDelimiter = Buffer.from(`\r\n--${boundary}`);
  const fields: Record<string, string> = {};
  const files: Record<string, MultipartFile> = {};

  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError("multipart body has no boundary delimiter");
  pos += delimiter.length;

  for (;;) {
    // just after a delimiter: "--" closes, otherwise (optional padding) CRLF
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (!(body[pos] === 0x0d && body[pos + 1] === 0x0a)) {
      throw new MultipartError("malformed multipart delimiter line");
    }
    pos += 2;

    let headerText: string;
    let contentStart: number;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) {
      headerText = "";
      contentStart = pos + 2;
    } else {
      const headerEnd = body.indexOf(CRLFCRLF, pos);
      if (headerEnd < 0) throw new MultipartError("unterminated multipart part headers");
      headerText = body.toString("utf8", pos, headerEnd);
      contentStart = headerEnd + 4;
    }

    const next = body.indexOf(innerDelimiter, contentStart);
    if (next < 0) throw new MultipartError("unterminated multipart part (closing delimiter missing)");
    const data = body.subarray(contentStart, next);
    pos = next + innerDelimiter.length;

    const headers = new Map<string, string>();
    for (const line of headerText.split(CRLF.toString())) {
      if (!line) continue;
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get("content-disposition");
    if (!disposition) continue;
    const name = dispositionParam(disposition, "name");
    if (name === undefined) continue;
    const fileName = fileNameOf(disposition);
    if (fileName !== undefined) {
      const file: MultipartFile = { fieldName: name, fileName, data: Buffer.from(data) };
      const ct = headers.get("content-type");
      if (ct) file.contentType = ct;
      files[name] = file;
    } else {
      fields[name] = data.toString("utf8");
    }
  }
  return { fields, files };
}

function dispositionParam(disposition: string, param: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${param}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i");
  const m = re.exec(disposition);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
}

function fileNameOf(disposition: string): string | undefined {
  const star = /(?:^|;)\s*filename\*\s*=\s*([^']*)'[^']*'([^;\s]*)/i.exec(disposition);
  if (star?.[2] !== undefined) {
    try {
      return decodeURIComponent(star[2]);
    } catch {
      /* fall through to plain filename */
    }
  }
  // Telegraf does not escape quotes inside file names, so take everything up
  // to the last quote of the header when the value is quoted.
  const quoted = /(?:^|;)\s*filename\s*=\s*"(.*)"\s*(?:;[^"]*)?$/i.exec(disposition);
  if (quoted?.[1] !== undefined) return quoted[1];
  const bare = /(?:^|;)\s*filename\s*=\s*([^;\s]*)/i.exec(disposition);
  return bare?.[1];
}
