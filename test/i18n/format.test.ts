import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatInstant,
  formatInstantDate,
  formatMoney,
  formatMonth,
  formatReportDate,
} from "../../src/i18n/format.js";

const VN = "Asia/Ho_Chi_Minh";

describe("formatDate", () => {
  it("writes an ISO date day first with zero padding", () => {
    expect(formatDate("1980-03-05")).toBe("05/03/1980");
    expect(formatDate("2026-12-31")).toBe("31/12/2026");
  });
});

describe("formatMoney", () => {
  it.each([
    [0, "0 đ"],
    [5, "5 đ"],
    [999, "999 đ"],
    [1000, "1.000 đ"],
    [50000, "50.000 đ"],
    [123456, "123.456 đ"],
    [5000000, "5.000.000 đ"],
    [1234567890, "1.234.567.890 đ"],
    [-50000, "-50.000 đ"],
    [-999, "-999 đ"],
    [-1000, "-1.000 đ"],
  ])("writes %d as %j", (dong, text) => {
    expect(formatMoney(dong)).toBe(text);
  });

  it.each([0.5, 1000.01, -2.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses %d, which is not whole đồng", (dong) => {
    expect(() => formatMoney(dong)).toThrow(/whole/);
  });
});

describe("formatMonth", () => {
  it("writes Vietnamese months as 'tháng M/yyyy' without padding", () => {
    expect(formatMonth(2026, 3, "vi")).toBe("tháng 3/2026");
    expect(formatMonth(2026, 12, "vi")).toBe("tháng 12/2026");
  });

  it("writes English months by name", () => {
    expect(formatMonth(2026, 3, "en")).toBe("March 2026");
    expect(formatMonth(2025, 12, "en")).toBe("December 2025");
  });
});

describe("formatReportDate", () => {
  it("writes the report date line with padded day and month", () => {
    expect(formatReportDate("Xuân Đông", "2026-01-05")).toBe("Xuân Đông, ngày 05 tháng 01 năm 2026");
    expect(formatReportDate("Xuân Đông", "2026-11-25")).toBe("Xuân Đông, ngày 25 tháng 11 năm 2026");
  });
});

describe("formatInstant / formatInstantDate", () => {
  it("shows time and date in Vietnam, not in the process zone (UTC)", () => {
    const instant = new Date("2026-03-31T17:30:00Z");
    expect(formatInstant(instant, VN)).toBe("00:30 01/04/2026");
    expect(formatInstant(instant, "UTC")).toBe("17:30 31/03/2026");
    expect(formatInstantDate(instant, VN)).toBe("01/04/2026");
  });

  it("uses a 24-hour clock", () => {
    expect(formatInstant(new Date("2026-06-01T08:05:00Z"), VN)).toBe("15:05 01/06/2026");
    expect(formatInstant(new Date("2026-06-01T16:59:00Z"), VN)).toBe("23:59 01/06/2026");
  });
});
