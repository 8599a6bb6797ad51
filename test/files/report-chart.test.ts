// The report's chart: branch names are never cut (the old chart clipped them at 32 characters).
import { describe, expect, it } from "vitest";
import { LABEL_CHARS, reportChartPng, reportChartSvg, wrapLabel } from "../../src/files/report-chart.js";

const labels = {
  title: "Tỷ lệ",
  attendance: "Dự sinh hoạt",
  dues: "Thu đảng phí",
  lowest: () => "",
  percent: (rate: number) => `${Math.round(rate * 100)}%`,
  none: "—",
};
const LONG = "Chi bộ Ấp Suối Cát 1 – Khu dân cư số 3 và cơ sở Xuân Đông";

describe("wrapLabel", () => {
  it("breaks a long name between words, keeping every word", () => {
    const lines = wrapLabel(LONG);
    expect(lines.length).toBe(2);
    expect(lines.join(" ")).toBe(LONG);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(LABEL_CHARS);
  });

  it("keeps a short name on one line and breaks a word longer than a line inside it", () => {
    expect(wrapLabel("Chi bộ Ấp 1")).toEqual(["Chi bộ Ấp 1"]);
    expect(wrapLabel("x".repeat(40), 34)).toEqual(["x".repeat(34), "x".repeat(6)]);
  });
});

describe("reportChartSvg", () => {
  it("prints every word of names over 32 characters, with no ellipsis, and makes their rows taller", () => {
    const bars = [
      { name: LONG, attendanceRate: 0.9, duesRate: 0.8 },
      { name: "Chi bộ Ấp 2", attendanceRate: 0.7, duesRate: null },
    ];
    const svg = reportChartSvg(bars, labels);
    expect(svg).not.toContain("…");
    for (const line of wrapLabel(LONG)) expect(svg).toContain(`>${line}</tspan>`);
    const short = reportChartSvg([bars[1]!, { ...bars[1]!, name: "Chi bộ Ấp 3" }], labels);
    const heightOf = (s: string) => Number(/height="(\d+)"/.exec(s)![1]);
    expect(heightOf(svg)).toBeGreaterThanOrEqual(heightOf(short));
  });

  it("renders to a PNG", async () => {
    const png = await reportChartPng([{ name: LONG, attendanceRate: 0.9, duesRate: 0.8 }], labels);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });
});
