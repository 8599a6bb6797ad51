/**
 * Formatting parsers used by the fake Telegram server: parse_mode "HTML",
 * "MarkdownV2" and legacy "Markdown", modelled on the Bot API / TDLib rules
 * closely enough to reject what real Telegram rejects with similar messages.
 * Entity offsets/lengths are in UTF-16 code units, like Telegram's.
 */

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Thrown with the part after "Bad Request: can't parse entities: ". */
export class EntityParseError extends Error {}

const byteOffset = (s: string, i: number): number => Buffer.byteLength(s.slice(0, i), "utf8");

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset || b.length - a.length);
}

// ---------------------------------------------------------------- HTML

const HTML_TAGS: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  code: "code",
  pre: "pre",
  a: "text_link",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** Decodes one HTML character reference at s[i] === '&'; null if it is not one. */
function decodeCharRef(s: string, i: number): { value: string; end: number } | null {
  const m = /^&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z]{2,8});/.exec(s.slice(i, i + 12));
  if (!m?.[1]) return null;
  const ref = m[1];
  let value: string | undefined;
  if (ref.startsWith("#")) {
    const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) value = String.fromCodePoint(code);
  } else {
    value = NAMED_ENTITIES[ref.toLowerCase()];
  }
  return value === undefined ? null : { value, end: i + m[0].length };
}

function decodeAttr(value: string): string {
  let out = "";
  for (let i = 0; i < value.length;) {
    if (value[i] === "&") {
      const ref = decodeCharRef(value, i);
      if (ref) {
        out += ref.value;
        i = ref.end;
        continue;
      }
    }
    out += value[i];
    i++;
  }
  return out;
}

interface OpenTag {
  tag: string;
  offset: number;
  attrs: Record<string, string>;
  byteOffset: number;
}

export function parseHtml(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === "&") {
      const ref = decodeCharRef(input, i);
      if (ref) {
        text += ref.value;
        i = ref.end;
      } else {
        text += c;
        i++;
      }
      continue;
    }
    if (c !== "<") {
      text += c;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (input[i] === "/") {
      // end tag
      i++;
      const close = input.indexOf(">", i);
      if (close < 0) throw new EntityParseError(`Unclosed end tag at byte offset ${byteOffset(input, begin)}`);
      const name = input.slice(i, close).trim().toLowerCase();
      i = close + 1;
      const open = stack.pop();
      if (!open) throw new EntityParseError(`Unexpected end tag at byte offset ${byteOffset(input, begin)}`);
      if (open.tag !== name) {
        throw new EntityParseError(
          `Unmatched end tag at byte offset ${byteOffset(input, begin)}, expected "</${open.tag}>", found "</${name}>"`,
        );
      }
      const length = text.length - open.offset;
      const type = HTML_TAGS[open.tag] as string;
      if (type === "text_link") {
        const href = open.attrs.href;
        if (href) entities.push({ type, offset: open.offset, length, url: href });
      } else if (type === "code" && stack.at(-1)?.tag === "pre" && stack.at(-1)?.offset === open.offset) {
        const lang = /^language-(.+)$/.exec(open.attrs.class ?? "")?.[1];
        if (lang) (stack.at(-1) as OpenTag).attrs["data-language"] = lang;
        else entities.push({ type, offset: open.offset, length });
      } else if (type === "pre") {
        const lang = open.attrs["data-language"];
        entities.push(
          lang ? { type, offset: open.offset, length, language: lang } : { type, offset: open.offset, length },
        );
      } else if (type === "custom_emoji") {
        const id = open.attrs["emoji-id"];
        if (id) entities.push({ type, offset: open.offset, length, custom_emoji_id: id });
      } else if (type === "blockquote" && "expandable" in open.attrs) {
        entities.push({ type: "expandable_blockquote", offset: open.offset, length });
      } else {
        entities.push({ type, offset: open.offset, length });
      }
      continue;
    }
    // start tag
    let j = i;
    while (j < input.length && !isSpace(input[j]) && input[j] !== ">") j++;
    if (j >= input.length) throw new EntityParseError(`Unclosed start tag at byte offset ${byteOffset(input, begin)}`);
    const tag = input.slice(i, j).toLowerCase();
    if (!(tag in HTML_TAGS)) {
      throw new EntityParseError(`Unsupported start tag "${tag}" at byte offset ${byteOffset(input, begin)}`);
    }
    i = j;
    const attrs: Record<string, string> = {};
    for (;;) {
      while (isSpace(input[i])) i++;
      if (i >= input.length)
        throw new EntityParseError(`Unclosed start tag at byte offset ${byteOffset(input, begin)}`);
      if (input[i] === ">") {
        i++;
        break;
      }
      let k = i;
      while (k < input.length && /[a-zA-Z0-9_-]/.test(input[k] as string)) k++;
      if (k === i) {
        throw new EntityParseError(
          `Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(input, begin)}`,
        );
      }
      const attrName = input.slice(i, k).toLowerCase();
      i = k;
      while (isSpace(input[i])) i++;
      if (input[i] !== "=") {
        attrs[attrName] = "";
        continue;
      }
      i++;
      while (isSpace(input[i])) i++;
      let value: string;
      const q = input[i];
      if (q === '"' || q === "'") {
        const end = input.indexOf(q, i + 1);
        if (end < 0) {
          throw new EntityParseError(`Unclosed start tag "${tag}" at byte offset ${byteOffset(input, begin)}`);
        }
        value = input.slice(i + 1, end);
        i = end + 1;
      } else {
        let e = i;
        while (e < input.length && !isSpace(input[e]) && input[e] !== ">") e++;
        value = input.slice(i, e);
        i = e;
      }
      attrs[attrName] = decodeAttr(value);
    }
    if (tag === "span" && attrs.class !== "tg-spoiler") {
      throw new EntityParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(input, begin)}`);
    }
    stack.push({ tag, offset: text.length, attrs, byteOffset: byteOffset(input, begin) });
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------- MarkdownV2

const MDV2_NAMES: Record<string, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  code: "Code",
  pre: "Pre",
  text_link: "TextUrl",
  blockquote: "BlockQuote",
};

interface OpenMd {
  type: string;
  offset: number;
  byteOffset: number;
  language?: string;
}

export function parseMarkdownV2(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: OpenMd[] = [];
  let quoteStart: number | undefined;
  let i = 0;
  const reserved = "_*[]()~`>#+-=|{}.!";
  const reservedError = (ch: string): EntityParseError =>
    new EntityParseError(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);

  while (i < input.length) {
    const c = input[i] as string;
    const top = stack.at(-1);
    const atLineStart = i === 0 || input[i - 1] === "\n";

    // block quotes: '>' at the start of a line
    if (atLineStart && (!top || (top.type !== "pre" && top.type !== "code"))) {
      if (c === ">") {
        if (quoteStart === undefined) quoteStart = text.length;
        i++;
        continue;
      }
      if (quoteStart !== undefined && i > 0) {
        // previous line ended the quote (the newline belongs to the quote's line)
        const end = text.endsWith("\n") ? text.length - 1 : text.length;
        entities.push({ type: "blockquote", offset: quoteStart, length: end - quoteStart });
        quoteStart = undefined;
      }
    }

    if (c === "\\") {
      const next = input[i + 1];
      if (next !== undefined && next.charCodeAt(0) >= 1 && next.charCodeAt(0) <= 126) {
        text += next;
        i += 2;
        continue;
      }
      if (top?.type === "pre" || top?.type === "code") {
        text += c;
        i++;
        continue;
      }
      throw reservedError("\\");
    }

    if (top && (top.type === "code" || top.type === "pre")) {
      if (top.type === "pre" && input.startsWith("```", i)) {
        stack.pop();
        const e: MessageEntity = { type: "pre", offset: top.offset, length: text.length - top.offset };
        if (top.language) e.language = top.language;
        entities.push(e);
        i += 3;
        continue;
      }
      if (top.type === "code" && c === "`") {
        stack.pop();
        entities.push({ type: "code", offset: top.offset, length: text.length - top.offset });
        i++;
        continue;
      }
      text += c;
      i++;
      continue;
    }

    if (!reserved.includes(c)) {
      text += c;
      i++;
      continue;
    }

    // does c close the innermost entity?
    let closes = false;
    if (top) {
      switch (top.type) {
        case "bold":
          closes = c === "*";
          break;
        case "italic":
          closes = c === "_" && input[i + 1] !== "_";
          break;
        case "underline":
          closes = c === "_" && input[i + 1] === "_";
          break;
        case "strikethrough":
          closes = c === "~";
          break;
        case "spoiler":
          closes = c === "|" && input[i + 1] === "|";
          break;
        case "text_link":
          closes = c === "]";
          break;
      }
    }
    if (closes && top) {
      stack.pop();
      const length = text.length - top.offset;
      if (top.type === "underline" || top.type === "spoiler") i += 2;
      else i++;
      if (top.type === "text_link") {
        let url = "";
        if (input[i] === "(") {
          i++;
          let closed = false;
          while (i < input.length) {
            const u = input[i] as string;
            if (u === "\\" && input[i + 1] !== undefined) {
              url += input[i + 1];
              i += 2;
              continue;
            }
            if (u === ")") {
              closed = true;
              i++;
              break;
            }
            url += u;
            i++;
          }
          if (!closed) {
            throw new EntityParseError(`Can't find end of a url at byte offset ${byteOffset(input, i)}`);
          }
        }
        if (url) entities.push({ type: "text_link", offset: top.offset, length, url });
      } else {
        entities.push({ type: top.type, offset: top.offset, length });
      }
      continue;
    }

    const begin = i;
    const open = (type: string, width: number): void => {
      stack.push({ type, offset: text.length, byteOffset: byteOffset(input, begin) });
      i += width;
    };
    switch (c) {
      case "*":
        open("bold", 1);
        break;
      case "_":
        if (input[i + 1] === "_") open("underline", 2);
        else open("italic", 1);
        break;
      case "~":
        open("strikethrough", 1);
        break;
      case "|":
        if (input[i + 1] !== "|") throw reservedError("|");
        open("spoiler", 2);
        break;
      case "[":
        open("text_link", 1);
        break;
      case "`":
        if (input.startsWith("```", i)) {
          i += 3;
          const nl = input.indexOf("\n", i);
          let language: string | undefined;
          if (nl >= 0) {
            const first = input.slice(i, nl);
            if (/^[A-Za-z0-9_+#.-]*$/.test(first)) {
              if (first) language = first;
              i = nl + 1;
            }
          }
          const entry: OpenMd = { type: "pre", offset: text.length, byteOffset: byteOffset(input, begin) };
          if (language) entry.language = language;
          stack.push(entry);
        } else {
          open("code", 1);
        }
        break;
      default:
        throw reservedError(c);
    }
  }
  if (quoteStart !== undefined) {
    entities.push({ type: "blockquote", offset: quoteStart, length: text.length - quoteStart });
  }
  const unclosed = stack.at(-1);
  if (unclosed) {
    throw new EntityParseError(
      `Can't find end of ${MDV2_NAMES[unclosed.type] ?? unclosed.type} entity at byte offset ${unclosed.byteOffset}`,
    );
  }
  return { text, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------- legacy Markdown

export function parseMarkdown(input: string): FormattedText {
  let text = "";
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === "\\" && "_*`[".includes(input[i + 1] ?? "")) {
      text += input[i + 1];
      i += 2;
      continue;
    }
    if (!"_*`[".includes(c)) {
      text += c;
      i++;
      continue;
    }
    const begin = i;
    const fail = (): never => {
      throw new EntityParseError(`Can't find end of the entity starting at byte offset ${byteOffset(input, begin)}`);
    };
    if (c === "[") {
      const close = input.indexOf("]", i + 1);
      if (close < 0) fail();
      const inner = input.slice(i + 1, close);
      if (input[close + 1] === "(") {
        const end = input.indexOf(")", close + 2);
        if (end < 0) fail();
        const url = input.slice(close + 2, end);
        entities.push({ type: "text_link", offset: text.length, length: inner.length, url });
        text += inner;
        i = end + 1;
      } else {
        text += inner;
        i = close + 1;
      }
      continue;
    }
    if (c === "`" && input.startsWith("```", i)) {
      const end = input.indexOf("```", i + 3);
      if (end < 0) fail();
      let inner = input.slice(i + 3, end);
      let language: string | undefined;
      const nl = inner.indexOf("\n");
      if (nl >= 0 && /^[A-Za-z0-9_+#.-]+$/.test(inner.slice(0, nl))) {
        language = inner.slice(0, nl);
        inner = inner.slice(nl + 1);
      }
      const e: MessageEntity = { type: "pre", offset: text.length, length: inner.length };
      if (language) e.language = language;
      entities.push(e);
      text += inner;
      i = end + 3;
      continue;
    }
    const end = input.indexOf(c, i + 1);
    if (end < 0) fail();
    const inner = input.slice(i + 1, end);
    const type = c === "*" ? "bold" : c === "_" ? "italic" : "code";
    entities.push({ type, offset: text.length, length: inner.length });
    text += inner;
    i = end + 1;
  }
  return { text, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------- helpers

/** Telegram strips leading and trailing white space from message texts and captions. */
export function trimFormatted(ft: FormattedText): FormattedText {
  const lead = /^[ \t\r\n\f\v]*/.exec(ft.text)?.[0].length ?? 0;
  const trimmed = ft.text.slice(lead).replace(/[ \t\r\n\f\v]+$/, "");
  const entities: MessageEntity[] = [];
  for (const e of ft.entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(trimmed.length, e.offset + e.length - lead);
    if (end > start) entities.push({ ...e, offset: start, length: end - start });
  }
  return { text: trimmed, entities };
}

/** Number of Unicode code points, which is what Telegram's length limits count. */
export const codePointLength = (s: string): number => Array.from(s).length;
