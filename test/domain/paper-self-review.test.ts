// The day a paper self-review was received: a real day, not in the future, filed under the season open today.
import { describe, expect, it } from "vitest";
import { DEFAULT_AWAY_PARAMETERS } from "../../src/domain/away.js";
import {
  checkPaperReceivedOn,
  isPaperSelfReview,
  paperSeasonFor,
  paperSubmittedAt,
  parsePaperReceivedOn,
  PAPER_SELF_REVIEW_MARK,
} from "../../src/domain/paper-self-review.js";

const P = DEFAULT_AWAY_PARAMETERS; // opens 15/11, due 10/12
const ACROSS = { selfReviewOpens: "12-15", selfReviewDue: "01-10" }; // due in the next calendar year

describe("checkPaperReceivedOn", () => {
  it("accepts a day from the opening to today, flagging one after the due date as late", () => {
    expect(checkPaperReceivedOn("2026-11-15", "2026-11-20", P)).toEqual({
      ok: true,
      value: { receivedOn: "2026-11-15", year: 2026, late: false },
    });
    expect(checkPaperReceivedOn("2026-11-20", "2026-11-20", P)).toMatchObject({ ok: true });
    expect(checkPaperReceivedOn("2026-12-11", "2026-12-20", P)).toEqual({
      ok: true,
      value: { receivedOn: "2026-12-11", year: 2026, late: true },
    });
  });

  it("refuses the future, a day before the season opened, last year's season, and any day while no season is open", () => {
    expect(checkPaperReceivedOn("2026-11-21", "2026-11-20", P)).toMatchObject({ ok: false, code: "DATE.FUTURE" });
    expect(checkPaperReceivedOn("2026-11-14", "2026-11-20", P)).toEqual({
      ok: false,
      code: "SELF_REVIEW.RECEIVED_OUT_OF_SEASON",
      params: { year: 2026, opens: "2026-11-15" },
    });
    expect(checkPaperReceivedOn("2025-12-01", "2026-11-20", P)).toMatchObject({
      ok: false,
      code: "SELF_REVIEW.RECEIVED_OUT_OF_SEASON",
    });
    expect(checkPaperReceivedOn("2026-06-01", "2026-06-02", P)).toMatchObject({
      ok: false,
      code: "SELF_REVIEW.NOT_OPEN",
    });
    expect(checkPaperReceivedOn("2026-02-30", "2026-11-20", P)).toMatchObject({ ok: false, code: "DATE.FORMAT" });
  });

  it("files early January under the previous year's season when the due date lies in the next year", () => {
    expect(checkPaperReceivedOn("2026-12-20", "2027-01-05", ACROSS)).toEqual({
      ok: true,
      value: { receivedOn: "2026-12-20", year: 2026, late: false },
    });
    expect(checkPaperReceivedOn("2026-12-14", "2027-01-05", ACROSS)).toMatchObject({
      ok: false,
      code: "SELF_REVIEW.RECEIVED_OUT_OF_SEASON",
    });
  });

  it("still records last year's papers until 31/03, received before or after the new year, and then stops", () => {
    // Handed in at the year-end meeting, typed in after the new year.
    expect(checkPaperReceivedOn("2026-12-28", "2027-01-05", P)).toEqual({
      ok: true,
      value: { receivedOn: "2026-12-28", year: 2026, late: true },
    });
    // Handed in late, in January: filed under last year, late.
    expect(checkPaperReceivedOn("2027-01-04", "2027-01-05", P)).toEqual({
      ok: true,
      value: { receivedOn: "2027-01-04", year: 2026, late: true },
    });
    expect(checkPaperReceivedOn("2026-11-16", "2027-03-31", P)).toMatchObject({
      ok: true,
      value: { year: 2026, late: false },
    });
    expect(checkPaperReceivedOn("2026-11-16", "2027-04-01", P)).toMatchObject({
      ok: false,
      code: "SELF_REVIEW.NOT_OPEN",
    });
    expect(paperSeasonFor("2027-02-01", P)).toEqual({ year: 2026, open: true });
    expect(paperSeasonFor("2027-04-01", P)).toEqual({ year: 2027, open: false });
    expect(paperSeasonFor("2027-11-15", P)).toEqual({ year: 2027, open: true });
  });

  it("parses the typed date first", () => {
    expect(parsePaperReceivedOn("18/11/2026", "2026-11-20", P)).toMatchObject({
      ok: true,
      value: { receivedOn: "2026-11-18" },
    });
    expect(parsePaperReceivedOn("31/11/2026", "2026-11-20", P)).toMatchObject({ ok: false, code: "DATE.IMPOSSIBLE" });
    expect(parsePaperReceivedOn("18/11/26", "2026-11-20", P)).toMatchObject({ ok: false, code: "DATE.FORMAT" });
  });
});

describe("the paper mark and date", () => {
  it("tells a paper version by its exact text and dates it at the start of the day received in the zone", () => {
    expect(isPaperSelfReview(PAPER_SELF_REVIEW_MARK)).toBe(true);
    expect(isPaperSelfReview("[paper] and more")).toBe(false);
    expect(isPaperSelfReview(null)).toBe(false);
    expect(paperSubmittedAt("2026-11-18", "Asia/Ho_Chi_Minh")).toEqual(new Date("2026-11-17T17:00:00Z"));
  });
});
