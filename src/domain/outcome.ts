// Expected failures are values with stable codes; the chat layer maps each code to catalog text.
export type Outcome<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: C; readonly params?: Readonly<Record<string, string | number>> };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<C extends string>(code: C, params?: Record<string, string | number>): { ok: false; code: C; params?: Record<string, string | number> } {
  return params ? { ok: false, code, params } : { ok: false, code };
}
