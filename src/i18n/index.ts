// Message catalogs and the translator. Vietnamese is the default; English mirrors every key.
import { en } from "./en.js";
import { vi } from "./vi.js";

export type Locale = "vi" | "en";
export const LOCALES: readonly Locale[] = ["vi", "en"];

/** The shape of a catalog: the Vietnamese one, with every leaf a string. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalog = Shape<typeof vi>;

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<typeof vi>;

export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

const catalogs: Record<Locale, Catalog> = { vi, en };

function lookup(catalog: Catalog, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/**
 * Fills {name} placeholders, and chooses between the words of a plural token {name|one|other} by the
 * number `name` ("{count} {count|meeting|meetings}"): English needs it, Vietnamese nouns do not change.
 */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template
    .replace(/\{(\w+)\|([^{}|]*)\|([^{}|]*)\}/g, (whole, name: string, one: string, other: string) =>
      name in params ? (Number(params[name]) === 1 ? one : other) : whole,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => interpolate(lookup(catalog, key) ?? lookup(vi, key) ?? key, params);
}

/** Looks up a key built at run time (e.g. from an error code); undefined when the catalog lacks it. */
export function hasKey(key: string): key is MessageKey {
  return lookup(vi, key) !== undefined;
}

/** Every key of a catalog, dotted: used by the test that both catalogs match. */
export function keysOf(catalog: object, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([name, value]) =>
    typeof value === "string" ? [`${prefix}${name}`] : keysOf(value as object, `${prefix}${name}.`),
  );
}

export { catalogs };
