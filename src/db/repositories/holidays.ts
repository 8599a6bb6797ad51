// The holiday calendars admins confirmed, one row per year: the deployment's (the province's), and each
// commune's own years over it.
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

type HolidayRow = Omit<HolidayYearRecord, "days"> & { days: string };
const recordOf = (r: HolidayRow): HolidayYearRecord => ({
  year: r.year,
  days: JSON.parse(r.days) as HolidayDay[],
  confirmed: r.confirmed,
  confirmedAt: r.confirmedAt,
  confirmedByTelegramId: r.confirmedByTelegramId,
});

export function holidayRepository(db: Tx) {
  return {
    /** The deployment's (province's) years. */
    async all(): Promise<HolidayYearRecord[]> {
      return (await db.holidayYear.findMany({ orderBy: { year: "asc" } })).map(recordOf);
    },
    async set(year: number, days: readonly HolidayDay[], confirmed: boolean, by: string, at: Date): Promise<void> {
      const json = JSON.stringify(days);
      const data = { days: json, confirmed, confirmedAt: at, confirmedByTelegramId: by };
      await db.holidayYear.upsert({ where: { year }, create: { year, ...data }, update: data });
    },
    /** A commune's own years. */
    async ofCommittee(committeeId: number): Promise<HolidayYearRecord[]> {
      return (await db.committeeHolidayYear.findMany({ where: { committeeId }, orderBy: { year: "asc" } })).map(
        recordOf,
      );
    },
    /** The communes that keep a year of their own. */
    async committeesWithOwn(): Promise<number[]> {
      const rows = await db.committeeHolidayYear.findMany({ distinct: ["committeeId"], select: { committeeId: true } });
      return rows.map((r) => r.committeeId);
    },
    async setForCommittee(
      committeeId: number,
      year: number,
      days: readonly HolidayDay[],
      confirmed: boolean,
      by: string,
      at: Date,
    ): Promise<void> {
      const json = JSON.stringify(days);
      const data = { days: json, confirmed, confirmedAt: at, confirmedByTelegramId: by };
      await db.committeeHolidayYear.upsert({
        where: { committeeId_year: { committeeId, year } },
        create: { committeeId, year, ...data },
        update: data,
      });
    },
  };
}
