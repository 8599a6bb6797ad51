// Every document the bot makes for paper, printed as a commune clerk would: LibreOffice converts the XLSX
// to PDF (one start for the whole batch, in beforeAll) and the test reads the pages back — paper size and
// orientation, page count, the smallest text size, the typeface, headings on every page, whole names,
// Vietnamese number formats and the party-document blocks. Data sets of 5 and 45 branches with 150 and
// 1,350 members. LibreOffice and poppler are required: without them the tests fail (.ci/run installs them).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { duesLedgerXlsx } from "../../src/files/dues-ledger-xlsx.js";
import { evaluationXlsx } from "../../src/files/evaluation-xlsx.js";
import { reportXlsx } from "../../src/files/report-xlsx.js";
import { translator } from "../../src/i18n/index.js";
import {
  branchLedger,
  branchNames,
  evaluationExport,
  issuedReport,
  libreOfficeVersion,
  readPdf,
  toPdf,
  type PrintedPage,
} from "../support/printed-documents.js";

const run = promisify(execFile);
const t = translator("vi");
const A4 = { portrait: { width: 595, height: 842 }, landscape: { width: 842, height: 595 } } as const;

/**
 * Whether every word of `name` prints, in order: a wrapped name takes two lines, with the next columns'
 * figures between them in the page's text, and must still print whole (a cut name loses its last words).
 */
function printsWhole(text: string, name: string): boolean {
  let from = 0;
  for (const word of name.split(" ")) {
    const at = text.indexOf(word, from);
    if (at < 0) return false;
    from = at + word.length;
  }
  return true;
}

function ledgerOf(members: number) {
  return {
    ...branchLedger(members),
    committeeName: "Đảng bộ xã Xuân Đông",
    committeePlace: "Xuân Đông",
    today: "2026-11-20",
  };
}

const SETS = [
  { branches: 5, members: 150 },
  { branches: 45, members: 1_350 },
] as const;
const KINDS = ["QUARTER", "HALF", "YEAR"] as const;

interface Printed {
  pages: PrintedPage[];
  fonts: string[];
}

const printed = new Map<string, Printed>();
const get = (name: string) => printed.get(name) ?? expect.unreachable(`${name} was not printed`);

/** The fonts a PDF embeds, as poppler lists them ("BAAAAA+LiberationSerif-Bold" → "LiberationSerif-Bold"). */
async function fontsOf(pdf: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "chibo-fonts-"));
  try {
    await writeFile(join(dir, "a.pdf"), pdf);
    const { stdout } = await run("pdffonts", [join(dir, "a.pdf")]);
    return stdout
      .split("\n")
      .slice(2)
      .filter((line) => line.trim() !== "")
      .map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ""));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  expect(await libreOfficeVersion()).toMatch(/LibreOffice/);
  const files: Record<string, Buffer> = {};
  for (const set of SETS) {
    for (const kind of KINDS)
      files[`report-${kind}-${set.branches}.xlsx`] = await reportXlsx(
        issuedReport({ ...set, kind, parentPartyName: "Đảng bộ tỉnh Đồng Nai" }),
        t,
      );
    files[`evaluation-${set.members}.xlsx`] = await evaluationXlsx(evaluationExport(set.branches, set.members), t);
  }
  files["branch-report.xlsx"] = await reportXlsx(
    issuedReport({ branches: 45, members: 1_350, kind: "YEAR", branch: 2 }),
    t,
  );
  files["ledger-30.xlsx"] = await duesLedgerXlsx(ledgerOf(30), t);
  files["ledger-150.xlsx"] = await duesLedgerXlsx(ledgerOf(150), t);
  const pdfs = await toPdf(files);
  for (const [name, pdf] of Object.entries(pdfs))
    printed.set(name, { pages: await readPdf(pdf), fonts: await fontsOf(pdf) });
}, 300_000);

/** What every printed document shares: A4 in its orientation, ≥ 9 pt, one serif family, page numbers, no "###". */
function expectFiledAsIs(document: Printed, orientation: "portrait" | "landscape"): void {
  expect(document.pages.length).toBeGreaterThan(0);
  document.pages.forEach((page, i) => {
    expect({ width: page.width, height: page.height }, `page ${i + 1}`).toEqual(A4[orientation]);
    expect(page.smallest, `smallest text on page ${i + 1}`).toBeGreaterThanOrEqual(9);
    expect(page.text, `page ${i + 1}`).toContain(`Trang ${i + 1}/${document.pages.length}`);
    // A number too wide for its column prints as ###.
    expect(page.text).not.toMatch(/###/);
  });
  // Times New Roman, or its metric twin Liberation Serif where it is not installed: one family throughout.
  for (const font of document.fonts) expect(font).toMatch(/^(LiberationSerif|TimesNewRoman)/);
}

function expectPartyHeader(first: PrintedPage, issuer: string, number: string | null): void {
  expect(first.text).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
  expect(first.text).toContain(issuer);
  if (number) expect(first.text).toContain(number);
}

function expectSignature(last: PrintedPage, onBehalfOf: string): void {
  expect(last.text).toContain(onBehalfOf);
  expect(last.text).toContain("BÍ THƯ");
  expect(last.text).toContain("……");
}

describe.each(SETS)("the committee's reports, $branches branches and $members members", ({ branches, members }) => {
  it.each(KINDS)("%s: portrait A4 parts at ≥ 9 pt, headings and names on every page, whole branch names", (kind) => {
    const report = get(`report-${kind}-${branches}.xlsx`);
    expectFiledAsIs(report, "portrait");
    const parts = kind === "YEAR" ? 5 : 4;
    // One part a page for 5 branches; 45 branches take two pages a part at most.
    expect(report.pages.length).toBeGreaterThanOrEqual(parts);
    expect(report.pages.length).toBeLessThanOrEqual(branches <= 5 ? parts : parts * 2);
    expectPartyHeader(report.pages[0]!, "ĐẢNG ỦY XÃ XUÂN ĐÔNG", "Số 7-BC/ĐU");
    expect(report.pages[0]!.text).toContain("ĐẢNG BỘ TỈNH ĐỒNG NAI");
    expect(report.pages[0]!.text).toContain("Xuân Đông, ngày 05 tháng 01 năm 2027");
    expect(report.pages[0]!.text).toContain("BÁO CÁO");
    for (const page of report.pages) expect(page.text).toContain("Chi bộ");
    const all = report.pages.map((p) => p.text).join(" ");
    for (const name of branchNames(branches)) expect(printsWhole(all, name), name).toBe(true);
    // Vietnamese formats set in the cells: thousands with dots, money in đồng, rates with a decimal comma.
    if (members >= 1_000) expect(report.pages.map((p) => p.text).join(" ")).toContain("1.350");
    expect(report.pages.map((p) => p.text).join(" ")).toMatch(/\d{1,3}(\.\d{3})+ đ/);
    expect(report.pages.map((p) => p.text).join(" ")).toMatch(/\d+,\d%/);
    const last = report.pages.at(-1)!;
    expect(last.text).toContain("Nơi nhận:");
    expectSignature(last, "T/M ĐẢNG ỦY");
  });
});

describe("a branch's report", () => {
  it("is one portrait page for one branch, with no totals row repeating it", () => {
    const report = get("branch-report.xlsx");
    expectFiledAsIs(report, "portrait");
    expect(report.pages).toHaveLength(1);
    const [page] = report.pages;
    expectPartyHeader(page!, "CHI BỘ", "Số 7-BC/CB");
    expect(page!.text).toContain("ĐẢNG BỘ XÃ XUÂN ĐÔNG");
    expect(page!.text).not.toContain("Tổng cộng");
    expect(page!.text).toContain("Nơi nhận:");
    expectSignature(page!, "T/M CHI BỘ");
  });
});

describe.each([30, 150])("the dues ledger of %i members", (members) => {
  it("prints landscape with the names, STT and rate on every page, and owed months apart from months not owed", () => {
    const ledger = get(`ledger-${members}.xlsx`);
    expectFiledAsIs(ledger, "landscape");
    const names = ledgerOf(members).rows.map((r) => r.name);
    for (const [i, page] of ledger.pages.entries()) {
      expect(page.text, `page ${i + 1}`).toContain("Họ và tên");
      expect(page.text, `page ${i + 1}`).toContain("STT");
      expect(page.text, `page ${i + 1}`).toContain("Mức đóng");
      expect(
        names.some((name) => page.text.includes(name)),
        `a member's name on page ${i + 1}`,
      ).toBe(true);
    }
    const all = ledger.pages.map((p) => p.text).join(" ");
    // Both halves of the year list every member.
    for (const name of names) expect(all.split(name).length - 1).toBeGreaterThanOrEqual(2);
    expect(all).toMatch(/ nợ /);
    expect(all).toContain("—");
    expect(all).toContain("hoãn");
    expect(all).toContain("miễn");
    expectPartyHeader(ledger.pages[0]!, "CHI BỘ ẤP TRUNG LƯƠNG", null);
    expect(ledger.pages[0]!.text).toContain("Xuân Đông, ngày 20 tháng 11 năm 2026");
    expect(ledger.pages[0]!.text).toContain("SỔ THU, NỘP ĐẢNG PHÍ NĂM 2026");
    expectSignature(ledger.pages.at(-1)!, "T/M CHI BỘ");
  });
});

describe.each(SETS)("the evaluation, $branches branches and $members members", ({ branches, members }) => {
  it("lists at most one page per 35 members with headings on every page; the tally is a signed party document", () => {
    const evaluation = get(`evaluation-${members}.xlsx`);
    expectFiledAsIs(evaluation, "portrait");
    const listPages = evaluation.pages.filter((page) => page.text.includes("Họ và tên"));
    expect(listPages.length).toBeGreaterThan(0);
    expect(listPages.length).toBeLessThanOrEqual(members / 35);
    for (const page of listPages) expect(page.text).toMatch(/STT Họ và tên Đảng viên Xếp loại Ghi chú/);
    const tallyPages = evaluation.pages.slice(0, evaluation.pages.indexOf(listPages[0]!));
    expectPartyHeader(tallyPages[0]!, "ĐẢNG ỦY XÃ XUÂN ĐÔNG", null);
    expect(tallyPages[0]!.text).toContain("Xuân Đông, ngày 20 tháng 12 năm 2026");
    expectSignature(tallyPages.at(-1)!, "T/M ĐẢNG ỦY");
    const tally = tallyPages.map((p) => p.text).join(" ");
    for (const name of branchNames(branches)) expect(printsWhole(tally, name), name).toBe(true);
    if (members >= 1_000) expect(tally).toContain("1.350");
    const list = listPages.map((p) => p.text).join(" ");
    for (const row of evaluationExport(branches, members).rows) expect(list).toContain(row.fullName);
  });
});
