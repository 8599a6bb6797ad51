// The report's chart: attendance rate and dues collection rate per branch, as horizontal bars (branch
// names are long and read best on the left, wrapped over up to three lines, never cut). Drawn as SVG and rendered to PNG by resvg with the bundled
// DejaVu Sans, so Vietnamese diacritics come out the same on any server, with no browser and no system
// fonts. A commune has tens of branches; beyond MAX_BRANCHES the chart shows those with the lowest
// attendance, which are the ones a reader needs to see, and says so.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
];

export const MAX_BRANCHES = 40;

export interface ChartBar {
  name: string;
  attendanceRate: number | null;
  duesRate: number | null;
}

export interface ChartLabels {
  title: string;
  attendance: string;
  dues: string;
  /** Under the title when only some branches are shown. */
  lowest: (shown: number, total: number) => string;
  /** A rate as people read it ("86,8%"). */
  percent: (rate: number) => string;
  none: string;
}

const WIDTH = 1000;
const LABEL_WIDTH = 300;
const PLOT_LEFT = LABEL_WIDTH + 20;
const PLOT_WIDTH = WIDTH - PLOT_LEFT - 90;
const BAR = 13;
const ROW = BAR * 2 + 14;
const TOP = 110;
const COLOURS = { attendance: "#1f5fa8", dues: "#c8102e", grid: "#d0d0d0", text: "#222222" };

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/** Characters of a 14 px DejaVu Sans label that fit the label column. */
export const LABEL_CHARS = 34;
const LINE = 16;

/**
 * A branch name over as many lines as it needs, broken between words (a word longer than a line is broken
 * inside): "Chi bộ Ấp Suối Cát 1 – Khu dân cư số 3 và cơ sở Xuân Đông" is two lines, never "…cơ sở Xuân".
 */
export function wrapLabel(text: string, max = LABEL_CHARS): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let piece = word; piece.length > 0;) {
      const room = line === "" ? max : max - line.length - 1;
      if (piece.length <= room) {
        line = line === "" ? piece : `${line} ${piece}`;
        piece = "";
      } else if (line !== "") {
        lines.push(line);
        line = "";
      } else {
        lines.push(piece.slice(0, max));
        piece = piece.slice(max);
      }
    }
  }
  if (line !== "") lines.push(line);
  return lines.length > 0 ? lines : [""];
}

/** The branches to draw, in the report's order; the lowest-attendance ones when there are too many. */
export function barsToDraw(bars: readonly ChartBar[]): ChartBar[] {
  if (bars.length <= MAX_BRANCHES) return [...bars];
  const rank = (bar: ChartBar) => bar.attendanceRate ?? Number.POSITIVE_INFINITY;
  const keep = new Set([...bars].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_BRANCHES));
  return bars.filter((bar) => keep.has(bar));
}

export function reportChartSvg(bars: readonly ChartBar[], labels: ChartLabels): string {
  const shown = barsToDraw(bars);
  // A row is as tall as its name's lines need, and at least the two bars.
  const names = shown.map((bar) => wrapLabel(bar.name));
  const rowHeights = names.map((lines) => Math.max(ROW, lines.length * LINE + 10));
  const tops = rowHeights.map((_, i) => TOP + rowHeights.slice(0, i).reduce((a, b) => a + b, 0));
  const bottom = TOP + rowHeights.reduce((a, b) => a + b, 0);
  const height = Math.max(bottom, TOP + ROW) + 40;
  const x = (rate: number) => PLOT_LEFT + Math.min(Math.max(rate, 0), 1) * PLOT_WIDTH;
  const parts: string[] = [];
  parts.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${WIDTH / 2}" y="34" font-size="20" font-weight="bold" text-anchor="middle" fill="${COLOURS.text}">${escapeXml(labels.title)}</text>`,
  );
  if (shown.length < bars.length) {
    parts.push(
      `<text x="${WIDTH / 2}" y="58" font-size="14" text-anchor="middle" fill="${COLOURS.text}">${escapeXml(labels.lowest(shown.length, bars.length))}</text>`,
    );
  }
  // Legend.
  parts.push(`<rect x="${PLOT_LEFT}" y="72" width="16" height="12" fill="${COLOURS.attendance}"/>`);
  parts.push(
    `<text x="${PLOT_LEFT + 22}" y="83" font-size="14" fill="${COLOURS.text}">${escapeXml(labels.attendance)}</text>`,
  );
  parts.push(`<rect x="${PLOT_LEFT + 330}" y="72" width="16" height="12" fill="${COLOURS.dues}"/>`);
  parts.push(
    `<text x="${PLOT_LEFT + 352}" y="83" font-size="14" fill="${COLOURS.text}">${escapeXml(labels.dues)}</text>`,
  );
  // Grid every 25%.
  for (const step of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${x(step)}" y1="${TOP - 8}" x2="${x(step)}" y2="${bottom}" stroke="${COLOURS.grid}" stroke-width="1"/>`,
    );
    parts.push(
      `<text x="${x(step)}" y="${bottom + 18}" font-size="12" text-anchor="middle" fill="${COLOURS.text}">${escapeXml(labels.percent(step))}</text>`,
    );
  }
  shown.forEach((bar, i) => {
    const lines = names[i]!;
    // The bars sit in the middle of the row, the name's lines centred on them.
    const y = tops[i]! + (rowHeights[i]! - ROW) / 2;
    const firstBaseline = y + BAR + 5 - ((lines.length - 1) * LINE) / 2;
    const spans = lines
      .map((line, k) => `<tspan x="${LABEL_WIDTH}" y="${firstBaseline + k * LINE}">${escapeXml(line)}</tspan>`)
      .join("");
    parts.push(`<text font-size="14" text-anchor="end" fill="${COLOURS.text}">${spans}</text>`);
    for (const [j, rate, colour] of [
      [0, bar.attendanceRate, COLOURS.attendance],
      [1, bar.duesRate, COLOURS.dues],
    ] as const) {
      const top = y + j * BAR;
      if (rate === null) {
        parts.push(
          `<text x="${PLOT_LEFT + 4}" y="${top + BAR - 2}" font-size="11" fill="${COLOURS.text}">${escapeXml(labels.none)}</text>`,
        );
        continue;
      }
      parts.push(
        `<rect x="${PLOT_LEFT}" y="${top}" width="${(x(rate) - PLOT_LEFT).toFixed(1)}" height="${BAR - 1}" fill="${colour}"/>`,
      );
      parts.push(
        `<text x="${(x(rate) + 4).toFixed(1)}" y="${top + BAR - 2}" font-size="11" fill="${COLOURS.text}">${escapeXml(labels.percent(rate))}</text>`,
      );
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans">${parts.join("")}</svg>`;
}

/** The chart as PNG. The renderer (a native module) is loaded on the first chart, not when the bot starts. */
export async function reportChartPng(bars: readonly ChartBar[], labels: ChartLabels): Promise<Buffer> {
  const svg = reportChartSvg(bars, labels);
  const { Resvg } = await import("@resvg/resvg-js");
  const rendered = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
  }).render();
  return Buffer.from(rendered.asPng());
}
