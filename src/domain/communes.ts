// A commune (Đảng bộ xã) as the province's admin adds it: its name, as party documents print it ("Đảng bộ xã Tân
// Phú": the reports turn it into "Đảng ủy xã Tân Phú"), and its place name (the "Tân Phú, ngày …" date line).
import { fail, ok, type Outcome } from "./outcome.js";

export const COMMUNE_NAME_LENGTH = { min: 10, max: 100 } as const;
export const COMMUNE_PLACE_LENGTH = { min: 2, max: 60 } as const;

const WORDS = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'’()/-]*$/u;

function tidy(raw: string): string {
  return raw.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** "Đảng bộ xã Tân Phú" (or "Đảng bộ phường …", "Đảng bộ đặc khu …"): it must begin with "Đảng bộ". */
export function parseCommuneName(raw: string): Outcome<string, "COMMUNE.NAME_INVALID"> {
  const name = tidy(raw);
  const { min, max } = COMMUNE_NAME_LENGTH;
  if (name.length < min || name.length > max || !WORDS.test(name) || !/^Đảng bộ /iu.test(name))
    return fail("COMMUNE.NAME_INVALID", { min, max });
  return ok(`Đảng bộ ${name.slice("Đảng bộ ".length)}`);
}

export function parseCommunePlace(raw: string): Outcome<string, "COMMUNE.PLACE_INVALID"> {
  const place = tidy(raw);
  const { min, max } = COMMUNE_PLACE_LENGTH;
  if (place.length < min || place.length > max || !WORDS.test(place))
    return fail("COMMUNE.PLACE_INVALID", { min, max });
  return ok(place);
}

/** Two names of one commune, however they were typed: the same letters, any case, any spacing. */
export function sameCommuneName(a: string, b: string): boolean {
  return tidy(a).toLocaleLowerCase("vi") === tidy(b).toLocaleLowerCase("vi");
}
