import { describe, expect, it } from "vitest";
import { cronExpression, isDue, previousOccurrence, type JobSchedule } from "../../src/domain/schedule.js";

const ZONE = "Asia/Ho_Chi_Minh";
const vn = (local: string) => new Date(`${local}+07:00`);

describe("job schedules in Asia/Ho_Chi_Minh", () => {
  const daily: JobSchedule = { kind: "daily", hour: 6, minute: 0 };
  const lastDay: JobSchedule = { kind: "monthly", day: "LAST", hour: 18, minute: 0 };

  it("finds the previous daily run in local time, not UTC", () => {
    expect(previousOccurrence(daily, vn("2026-03-15T05:59:00"), ZONE)).toEqual(vn("2026-03-14T06:00:00"));
    expect(previousOccurrence(daily, vn("2026-03-15T06:00:00"), ZONE)).toEqual(vn("2026-03-15T06:00:00"));
  });

  it("puts the last day on the 28th, 29th, 30th or 31st as the month has it", () => {
    expect(previousOccurrence(lastDay, vn("2026-03-01T08:00:00"), ZONE)).toEqual(vn("2026-02-28T18:00:00"));
    expect(previousOccurrence(lastDay, vn("2024-03-01T08:00:00"), ZONE)).toEqual(vn("2024-02-29T18:00:00"));
    expect(previousOccurrence(lastDay, vn("2026-05-01T00:00:00"), ZONE)).toEqual(vn("2026-04-30T18:00:00"));
    expect(previousOccurrence(lastDay, vn("2026-03-31T18:30:00"), ZONE)).toEqual(vn("2026-03-31T18:00:00"));
    expect(cronExpression(lastDay)).toBe("0 18 28-31 * *");
  });

  it("runs a missed job once after downtime and not again until the next occurrence", () => {
    const lastRun = vn("2026-03-10T06:00:05");
    const backAfterAWeek = vn("2026-03-17T09:00:00");
    expect(isDue(daily, lastRun, backAfterAWeek, ZONE)).toBe(true);
    expect(isDue(daily, backAfterAWeek, vn("2026-03-17T23:00:00"), ZONE)).toBe(false);
    expect(isDue(daily, backAfterAWeek, vn("2026-03-18T06:00:00"), ZONE)).toBe(true);
    expect(isDue(daily, null, backAfterAWeek, ZONE)).toBe(true);
  });

  it("does not run a monthly job on the 28th of a 31-day month when it is set for the last day", () => {
    expect(isDue(lastDay, vn("2026-02-28T18:00:01"), vn("2026-03-28T18:00:00"), ZONE)).toBe(false);
    expect(isDue(lastDay, vn("2026-02-28T18:00:01"), vn("2026-03-31T18:00:00"), ZONE)).toBe(true);
  });
});
