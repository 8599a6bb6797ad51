// The holiday calendars the committee admin confirmed, one row per year.
import type { Tx } from "../client.js";
import type { HolidayDay } from "../../domain/working-days.js";

export interface HolidayYearRecord {
  year: number;
  days: HolidayDay[];
  confirmedAt: Date;
  confirmedByTelegramId: string;
}

export function holidayRepository(db: Tx) {
  return {
    async all(): Promise<HolidayYearRecord[]> {
      const rows = await db.holidayYear.findMany({ orderBy: { year: "asc" } });
      return rows.map((r) => ({ year: r.year, days: JSON.parse(r.days) as HolidayDay[], confirmedAt: r.confirmedAt, confirmedByTelegramId: r.confirmedByTelegramId }));
    },
    async set(year: number, days: readonly HolidayDay[], by: string, at: Date): Promise<void> {
      const json = JSON.stringify(days);
      await db.holidayYear.upsert({ where: { year }, create: { year, days: json, confirmedAt: at, confirmedByTelegramId: by }, update: { days: json, confirmedAt: at, confirmedByTelegramId: by } });
    },
  };
}
