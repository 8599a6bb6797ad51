// The holiday calendars the committee admin confirmed, one row per year.
import type { Tx } from "../client.js";
import type { HolidayDay } from "../../domain/working-days.js";

export interface HolidayYearRecord {
  year: number;
  days: HolidayDay[];
  /** false: days changed by the admin, the year not confirmed yet. */
  confirmed: boolean;
  /** When the year was last confirmed or changed. */
  confirmedAt: Date;
  confirmedByTelegramId: string;
}

export function holidayRepository(db: Tx) {
  return {
    async all(): Promise<HolidayYearRecord[]> {
      const rows = await db.holidayYear.findMany({ orderBy: { year: "asc" } });
      return rows.map((r) => ({
        year: r.year,
        days: JSON.parse(r.days) as HolidayDay[],
        confirmed: r.confirmed,
        confirmedAt: r.confirmedAt,
        confirmedByTelegramId: r.confirmedByTelegramId,
      }));
    },
    async set(year: number, days: readonly HolidayDay[], confirmed: boolean, by: string, at: Date): Promise<void> {
      const json = JSON.stringify(days);
      const data = { days: json, confirmed, confirmedAt: at, confirmedByTelegramId: by };
      await db.holidayYear.upsert({ where: { year }, create: { year, ...data }, update: data });
    },
  };
}
