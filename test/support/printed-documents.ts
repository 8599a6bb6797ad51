// Printing the bot's documents as a clerk would: LibreOffice (headless) converts the XLSX files to PDF, and
// pdf.js reads back what lands on paper — pages, paper size, every text run with its size in points.
// One LibreOffice start converts a whole batch (a cold start costs several seconds); each batch gets its
// own profile directory, so parallel test files (and other LibreOffice users) never share a lock.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pathToFileURL } from "node:url";
import type { IssuedReport } from "../../src/app/reports.js";
import type { BranchLedger } from "../../src/app/dues-status.js";
import type { EvaluationExport } from "../../src/app/evaluation.js";
import { GRADES, reportFigures, type BranchReportCounts, type Grade } from "../../src/domain/report.js";
import { compareVietnamese, vietnameseSortKey } from "../../src/domain/names.js";

const run = promisify(execFile);

export const LIBREOFFICE = process.env.LIBREOFFICE_BIN ?? "libreoffice";

/** Whether LibreOffice can be started: the rendering tests fail (not skip) without it. */
export async function libreOfficeVersion(): Promise<string> {
  const { stdout } = await run(LIBREOFFICE, ["--version"], { timeout: 60_000 });
  return stdout.trim();
}

/** Converts each named file to PDF in one LibreOffice run; returns the PDFs by the same names. */
export async function toPdf(files: Record<string, Buffer>): Promise<Record<string, Buffer>> {
  const dir = await mkdtemp(join(tmpdir(), "chibo-print-"));
  try {
    const paths = await Promise.all(
      Object.entries(files).map(async ([name, bytes]) => {
        const path = join(dir, name);
        await writeFile(path, bytes);
        return path;
      }),
    );
    const profile = pathToFileURL(join(dir, "profile")).href;
    await run(
      LIBREOFFICE,
      [
        `-env:UserInstallation=${profile}`,
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        dir,
        ...paths,
      ],
      { timeout: 300_000 },
    );
    const out: Record<string, Buffer> = {};
    for (const name of Object.keys(files)) out[name] = await readFile(join(dir, name.replace(/\.[a-z]+$/, ".pdf")));
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PrintedPage {
  width: number;
  height: number;
  /** The page's text as poppler reads it (words whole, accents and all), white space collapsed. */
  text: string;
  /** The smallest text size on the page, in points. */
  smallest: number;
}

/** The text of each page: pdftotext puts a form feed between pages. */
async function pageTexts(pdf: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "chibo-text-"));
  try {
    await writeFile(join(dir, "a.pdf"), pdf);
    const { stdout } = await run("pdftotext", ["-enc", "UTF-8", "-layout", join(dir, "a.pdf"), "-"], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.split("\f").map((page) => page.replace(/\s+/g, " ").trim());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What a PDF puts on paper, page by page: pdf.js gives each text run's size after every scaling the page
 * applies (a letter and its accent may be separate runs, so the text itself comes from poppler).
 */
export async function readPdf(pdf: Buffer): Promise<PrintedPage[]> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const texts = await pageTexts(pdf);
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const pages: PrintedPage[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const items = content.items.filter((item) => "str" in item && item.str.trim() !== "") as {
      str: string;
      transform: number[];
    }[];
    // The size of a run is the length of its vertical axis after every scaling the page applies.
    const sizes = items.map((item) => Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0));
    pages.push({
      width: Math.round(x1 - x0),
      height: Math.round(y1 - y0),
      text: texts[number - 1] ?? "",
      smallest: Math.min(...sizes),
    });
  }
  await document.destroy();
  return pages;
}

// Data sets shaped like a real commune: long branch names (past the 32 characters the chart once cut),
// Vietnamese names, hundreds of thousands of đồng.

const PLACES = [
  "Xuân Đông",
  "Ấp Bảo Hòa",
  "Ấp Suối Cát",
  "Ấp Trung Lương",
  "Đông Hà",
  "Ấp Tân Hợp",
  "Ấp An Lộc",
  "Ấp Gia Yên",
  "Ấp Việt Kiều",
  "Ấp Lộc Hòa",
];

/** Branch names; every fifth is long enough to need two lines. */
export function branchNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const place = PLACES[i % PLACES.length]!;
    const number = Math.floor(i / PLACES.length) + 1;
    return i % 5 === 2
      ? `Chi bộ ${place} ${number} – Khu dân cư số ${i + 1} và cơ sở Xuân Đông`
      : `Chi bộ ${place} ${number}`;
  });
}

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi"];
const MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc"];
const GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Khánh", "Lan", "Ánh", "Tường Vy", "Thu Trang", "Quốc Bảo"];

export function memberName(i: number): string {
  return `${FAMILY[i % FAMILY.length]} ${MIDDLE[Math.floor(i / 10) % MIDDLE.length]} ${GIVEN[Math.floor(i / 7) % GIVEN.length]}`;
}

/** A report as issued, with `members` spread over `branches`; one branch's when `branch` is given. */
export function issuedReport(options: {
  branches: number;
  members: number;
  kind: "QUARTER" | "HALF" | "YEAR";
  branch?: number;
  parentPartyName?: string;
  signerName?: string;
}): IssuedReport {
  const names = branchNames(options.branches).sort(compareVietnamese);
  const perBranch = Math.floor(options.members / options.branches);
  const counts: BranchReportCounts[] = names.map((name, i) => {
    const members = perBranch + (i < options.members % options.branches ? 1 : 0);
    const meetings = options.kind === "YEAR" ? 12 : options.kind === "HALF" ? 6 : 3;
    const expected = members * meetings;
    const unexcused = i % 4;
    const excused = Math.floor(expected * 0.06);
    const grades = Object.fromEntries(
      GRADES.map((g, k) => [
        g,
        k === 0 ? Math.floor(members / 5) : k === 1 ? members - Math.floor(members / 5) - 1 : k === 2 ? 1 : 0,
      ]),
    ) as Record<Grade, number>;
    return {
      branchId: i + 1,
      branchName: name,
      regularMeetings: meetings,
      thematicMeetings: meetings / 3,
      expected,
      present: expected - excused - unexcused,
      excused,
      unexcused,
      duesExpected: members * meetings * 35_000,
      duesCollected: members * meetings * 35_000 - (i % 3) * 70_000,
      duesRemitted: Math.floor(members * meetings * 35_000 * 0.3),
      members,
      away: i % 6,
      exempted: i % 3,
      transfersIn: i % 2,
      transfersOut: (i + 1) % 2,
      transfersOverdue: i % 7 === 0 ? 1 : 0,
      selfReviewsReceived: options.kind === "YEAR" ? members - (i % 3) : null,
      selfReviewsMissing: options.kind === "YEAR" ? i % 3 : null,
      alertsOpened: i % 5,
      alertsHandled: i % 4,
      grades: options.kind === "YEAR" ? grades : null,
    };
  });
  const scoped = options.branch === undefined ? counts : [counts[options.branch]!];
  const period =
    options.kind === "YEAR"
      ? {
          kind: "YEAR" as const,
          key: "2026",
          year: 2026,
          index: 1,
          from: "2026-01-01",
          to: "2026-12-31",
          fromMonth: "2026-01",
          toMonth: "2026-12",
        }
      : options.kind === "HALF"
        ? {
            kind: "HALF" as const,
            key: "2026-H1",
            year: 2026,
            index: 1,
            from: "2026-01-01",
            to: "2026-06-30",
            fromMonth: "2026-01",
            toMonth: "2026-06",
          }
        : {
            kind: "QUARTER" as const,
            key: "2026-Q3",
            year: 2026,
            index: 3,
            from: "2026-07-01",
            to: "2026-09-30",
            fromMonth: "2026-07",
            toMonth: "2026-09",
          };
  return {
    period,
    asOf: period.to,
    partial: false,
    branchId: options.branch === undefined ? null : options.branch + 1,
    branchName: options.branch === undefined ? null : names[options.branch]!,
    figures: reportFigures(scoped, ""),
    number: 7,
    issuedOn: "2027-01-05",
    committeeName: "Đảng bộ xã Xuân Đông",
    committeePlace: "Xuân Đông",
    parentPartyName: options.parentPartyName ?? "",
    signerName: options.signerName ?? null,
  };
}

/** A branch's ledger for 2026 seen in November: paid, unpaid, deferred, not yet due and off-the-books months. */
export function branchLedger(members: number): BranchLedger {
  const rows = Array.from({ length: members }, (_, i) => {
    const rate = [35_000, 5_000, 120_000, 18_000][i % 4]!;
    const states = Array.from({ length: 12 }, (_, m) => {
      if (i % 9 === 4 && m < 3) return "NOT_MEMBER" as const;
      if (m >= 11) return "NOT_YET_DUE" as const;
      if (i % 11 === 6 && m >= 6) return "DEFERRED" as const;
      if (i % 7 === 3 && m >= 8) return "UNPAID" as const;
      if (i % 13 === 5) return "EXEMPT" as const;
      return "PAID" as const;
    });
    const months = states.map((s) => (s === "PAID" ? rate : 0));
    const owedMonths = states.flatMap((s, m) => (s === "UNPAID" ? [`2026-${String(m + 1).padStart(2, "0")}`] : []));
    const deferredMonths = states.flatMap((s, m) =>
      s === "DEFERRED" ? [`2026-${String(m + 1).padStart(2, "0")}`] : [],
    );
    return {
      memberId: i + 1,
      name: memberName(i),
      rate,
      states,
      months,
      total: months.reduce((a, b) => a + b, 0),
      owed: owedMonths.length * rate,
      owedMonths,
      deferredMonths,
    };
  }).sort((a, b) => (vietnameseSortKey(a.name) < vietnameseSortKey(b.name) ? -1 : 1));
  const monthTotals = Array.from({ length: 12 }, (_, m) => rows.reduce((sum, row) => sum + row.months[m]!, 0));
  return {
    branchName: "Chi bộ Ấp Trung Lương 3 – Khu dân cư số 23 và cơ sở Xuân Đông",
    year: 2026,
    rows,
    monthTotals,
    total: monthTotals.reduce((a, b) => a + b, 0),
  } as BranchLedger;
}

/** The committee's evaluation export: `members` graded (some pending) over `branches`. */
export function evaluationExport(branches: number, members: number): EvaluationExport {
  const names = branchNames(branches).sort(compareVietnamese);
  const lines = names.map((name, b) => ({
    branchId: b + 1,
    branchName: name,
    members: 0,
    grades: Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>,
    pending: 0,
  }));
  const rows = Array.from({ length: members }, (_, i) => {
    const line = lines[i % branches]!;
    line.members++;
    const graded = i % 10 !== 0;
    const grade = GRADES[i % GRADES.length]!;
    if (graded) line.grades[grade]++;
    else line.pending++;
    return {
      branchId: line.branchId,
      branchName: line.branchName,
      memberId: i + 1,
      fullName: memberName(i),
      kind: i % 8 === 0 ? "PROBATIONARY" : "OFFICIAL",
      sortKey: vietnameseSortKey(memberName(i)),
      evaluation: graded
        ? {
            grade,
            note: i % 6 === 0 ? "Hoàn thành tốt nhiệm vụ được giao tại khu dân cư" : null,
            recordedAt: new Date("2026-12-10T03:00:00Z"),
          }
        : null,
    };
  }).sort((a, b) => a.branchId - b.branchId || (a.sortKey < b.sortKey ? -1 : 1));
  const totals = {
    members,
    grades: Object.fromEntries(GRADES.map((g) => [g, lines.reduce((s, l) => s + l.grades[g], 0)])) as Record<
      Grade,
      number
    >,
    pending: lines.reduce((s, l) => s + l.pending, 0),
  };
  return {
    season: { year: 2026, open: true, late: false, opensOn: "2026-11-15", closesOn: "2027-01-31" },
    lines,
    totals,
    committeeName: "Đảng bộ xã Xuân Đông",
    parentPartyName: "Đảng bộ tỉnh Đồng Nai",
    signerName: null,
    place: "Xuân Đông",
    today: "2026-12-20",
    rows,
  } as unknown as EvaluationExport;
}
