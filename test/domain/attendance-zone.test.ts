import { describe, expect, it } from "vitest";
import { monthOf } from "../../src/domain/attendance.js";
import { isoDateIn } from "../../src/domain/dates.js";

const VN = "Asia/Ho_Chi_Minh"; // UTC+7, no daylight saving

/** The month a meeting held at `instant` belongs to, by the branch's local calendar. */
function meetingMonth(instant: string): string {
  return monthOf(isoDateIn(new Date(instant), VN));
}

describe("the month a meeting belongs to, in Asia/Ho_Chi_Minh", () => {
  it("a meeting at 23:30 on 31/03/2026 local time belongs to March", () => {
    expect(isoDateIn(new Date("2026-03-31T16:30:00Z"), VN)).toBe("2026-03-31");
    expect(meetingMonth("2026-03-31T16:30:00Z")).toBe("2026-03");
  });

  it("a meeting at 00:30 on 01/04/2026 local time belongs to April, though it is still 31 March in UTC", () => {
    expect(isoDateIn(new Date("2026-03-31T17:30:00Z"), VN)).toBe("2026-04-01");
    expect(meetingMonth("2026-03-31T17:30:00Z")).toBe("2026-04");
    expect(monthOf(isoDateIn(new Date("2026-03-31T17:30:00Z"), "UTC"))).toBe("2026-03");
  });

  it("the first instant of 01/04 local (17:00Z) is April, the last second of 31/03 local is March", () => {
    expect(meetingMonth("2026-03-31T17:00:00Z")).toBe("2026-04");
    expect(meetingMonth("2026-03-31T16:59:59Z")).toBe("2026-03");
  });

  it("a meeting at 23:30 on 31/12/2026 local time belongs to December 2026", () => {
    expect(isoDateIn(new Date("2026-12-31T16:30:00Z"), VN)).toBe("2026-12-31");
    expect(meetingMonth("2026-12-31T16:30:00Z")).toBe("2026-12");
  });

  it("a meeting at 00:30 on 01/01/2027 local time belongs to January 2027 (year boundary)", () => {
    expect(isoDateIn(new Date("2026-12-31T17:30:00Z"), VN)).toBe("2027-01-01");
    expect(meetingMonth("2026-12-31T17:30:00Z")).toBe("2027-01");
    expect(monthOf(isoDateIn(new Date("2026-12-31T17:30:00Z"), "UTC"))).toBe("2026-12");
  });
});
