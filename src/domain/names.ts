// Vietnamese personal names: "Nguyễn Văn An" is family name, middle name, given name. Lists are sorted
// by the given name (the last word), then by the rest, in the Vietnamese alphabet's order, as commune
// offices do.

/** Folds diacritics and đ so that "Ánh" sorts beside "Anh" and before "Bình". */
export function foldVietnamese(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase();
}

/** Collapses runs of white space and trims; keeps the user's capitalisation. */
export function normalizeFullName(raw: string): string {
  return raw.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** The Vietnamese alphabet (with the Latin letters names may still hold), in dictionary order. */
const ALPHABET = [
  "a",
  "ă",
  "â",
  "b",
  "c",
  "d",
  "đ",
  "e",
  "ê",
  "f",
  "g",
  "h",
  "i",
  "j",
  "k",
  "l",
  "m",
  "n",
  "o",
  "ô",
  "ơ",
  "p",
  "q",
  "r",
  "s",
  "t",
  "u",
  "ư",
  "v",
  "w",
  "x",
  "y",
  "z",
];
/** Each letter's place as one printable ASCII character ("A" for a, "B" for ă, …): keys compare byte by byte. */
const LETTER_CODE = new Map(ALPHABET.map((letter, index) => [letter, String.fromCharCode(0x41 + index)]));
/** Tone marks in dictionary order after the level tone: huyền, hỏi, ngã, sắc, nặng. */
const TONES = new Map([
  ["\u0300", "1"],
  ["\u0309", "2"],
  ["\u0303", "3"],
  ["\u0301", "4"],
  ["\u0323", "5"],
]);

/** One letter with its tone split off: "ặ" is the letter "ă" (base + breve) with the tone nặng. */
function splitTone(char: string): { letter: string; tone: string } {
  const parts = [...char.normalize("NFD")];
  const tone = parts.find((part) => TONES.has(part));
  const letter = parts
    .filter((part) => !TONES.has(part))
    .join("")
    .normalize("NFC");
  return { letter, tone: tone ? TONES.get(tone)! : "0" };
}

/**
 * A key that sorts by given name, then family and middle names, in Vietnamese dictionary order: letters
 * first (a < ă < â < b … d < đ …, so "Hạnh" before "Hằng" and "Dũng" before "Đạt"), then tones (level,
 * huyền, hỏi, ngã, sắc, nặng), then the name as written. Plain ASCII, so a database orders by it bytewise.
 */
export function vietnameseSortKey(fullName: string): string {
  const words = normalizeFullName(fullName).split(" ");
  const given = words[words.length - 1] ?? "";
  const rest = words.slice(0, -1).join(" ");
  const reordered = `${given} ${rest}`.trim().toLowerCase();
  let letters = "";
  let tones = "";
  for (const char of reordered) {
    const { letter, tone } = splitTone(char);
    const code = LETTER_CODE.get(letter);
    if (code) {
      letters += code;
      tones += tone;
    } else {
      // Spaces sort before any letter (a shorter name first); digits and marks keep their ASCII place.
      letters += char === " " ? " " : /[\x21-\x40]/.test(char) ? char : "~";
    }
  }
  return `${letters}\u0001${tones}\u0001${foldVietnamese(reordered)}`;
}

export function compareVietnameseNames(a: string, b: string): number {
  const ka = vietnameseSortKey(a);
  const kb = vietnameseSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

const collator = new Intl.Collator("vi", { numeric: true, sensitivity: "variant" });

/**
 * The one order of branch names (and other titles) in every list and document: the Vietnamese alphabet
 * (a ă â b c d đ e ê …, tones after the bare letter) with numbers by value, so "Ấp 2" comes before "Ấp 10".
 * Titles are read as written, from the first word: unlike people, branches are not sorted by their last word.
 */
export function compareVietnamese(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
