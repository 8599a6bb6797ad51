// Reading a stored enum value back as the domain's type. A column holds one of a known set of words; a word
// outside it is a bug or a broken database, never something to guess at: the parser throws and says which.

/** A parser for one of `values`: returns the value typed, throws on anything else. */
export function enumParser<T extends string>(what: string, values: readonly T[]): (value: string) => T {
  const known = new Set<string>(values);
  const isKnown = (value: string): value is T => known.has(value);
  return (value) => {
    if (isKnown(value)) return value;
    throw new Error(`Unknown ${what}: ${JSON.stringify(value)}`);
  };
}
