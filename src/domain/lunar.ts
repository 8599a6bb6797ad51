// The lunar days Vietnam's public holidays follow (Tết, the Hùng Kings' day), computed for any year by a
// well-kept calendar library (date-holidays, its Vietnamese calendar in UTC+7: no network, no table to update).
// Loaded on first use: the library costs about 40 MB of memory and is needed only for a year the committee has
// not confirmed yet.
import { createRequire } from "node:module";
import type { IsoDate } from "./dates.js";

interface HolidayEntry {
  date: string;
  rule: string;
  type: string;
}
interface HolidaysLibrary {
  getHolidays(year: number): HolidayEntry[];
}

let library: HolidaysLibrary | null = null;
const cache = new Map<number, { tetEve: IsoDate; hungKings: IsoDate }>();

function load(): HolidaysLibrary {
  if (!library) {
    const Holidays = createRequire(import.meta.url)("date-holidays") as new (country: string) => HolidaysLibrary;
    library = new Holidays("VN");
  }
  return library;
}

/** Tết's eve (giao thừa, the day before the lunar new year) and the Hùng Kings' day (10/3 lunar) of a year. */
export function lunarDaysOf(year: number): { tetEve: IsoDate; hungKings: IsoDate } {
  let days = cache.get(year);
  if (!days) {
    const entries = load().getHolidays(year);
    const dateOf = (rule: string) => {
      const entry = entries.find((e) => e.rule === rule);
      if (!entry) throw new Error(`date-holidays gives no "${rule}" for ${year}`);
      return entry.date.slice(0, 10);
    };
    days = { tetEve: dateOf("1 day before vietnamese 1-0-1 P5D"), hungKings: dateOf("vietnamese 3-0-10") };
    cache.set(year, days);
  }
  return days;
}
