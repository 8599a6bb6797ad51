// Vietnamese personal names: "Nguyễn Văn An" is family name, middle name, given name. Lists are sorted
// by the given name (the last word), then by the rest, as commune offices do.

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

/**
 * A key that sorts by given name, then family and middle names. The folded form comes first so accents
 * only break ties ("An" < "Ân" < "Anh").
 */
export function vietnameseSortKey(fullName: string): string {
  const words = normalizeFullName(fullName).split(" ");
  const given = words[words.length - 1] ?? "";
  const rest = words.slice(0, -1).join(" ");
  const reordered = `${given} ${rest}`.trim();
  return `${foldVietnamese(reordered)}\u0001${reordered.toLowerCase()}`;
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
