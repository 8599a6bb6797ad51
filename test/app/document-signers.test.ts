// Who signs the printed documents, read back from the XLSX files the bot produces: the committee's reports
// and evaluation tally print the Party Committee secretary's name the admin set in /caidat (a dotted line
// while none is set); a branch's report and dues ledger print the name of the member holding
// BRANCH_SECRETARY. Setting the name is the admin's alone, checked and audited.
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changeCommitteeSigner, committeeSigner } from "../../src/app/document-signers.js";
import type { AppDeps } from "../../src/app/deps.js";
import { branchLedger } from "../../src/app/dues-status.js";
import { evaluationExport } from "../../src/app/evaluation.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { issueReport } from "../../src/app/reports.js";
import { duesLedgerXlsx } from "../../src/files/dues-ledger-xlsx.js";
import { evaluationXlsx } from "../../src/files/evaluation-xlsx.js";
import { reportXlsx } from "../../src/files/report-xlsx.js";
import { translator } from "../../src/i18n/index.js";
import { appDepsFor, createTestDatabase, type TestDatabase } from "../support/db.js";
import { seedBranch, type SeededBranch } from "../support/seed.js";

const NOW = new Date("2026-12-20T02:00:00Z");
const ADMIN = 1000;
const SECRETARY = 2001;
const DOTS = translator("vi")("documents.nameLine");
const t = translator("vi");

interface SignedSheet {
  texts: string[];
  /** The name line of the signature block: five rows under "BÍ THƯ", under the room to sign and stamp. */
  signer: string;
}

/** The sheet that carries the signature block ("BÍ THƯ"): its texts and the name under the signature. */
async function signedSheet(bytes: Buffer): Promise<SignedSheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  const signed = workbook.worksheets.flatMap((sheet) => {
    const texts: string[] = [];
    let title: { row: number; column: number } | null = null;
    sheet.eachRow((row, rowNumber) =>
      row.eachCell((cell, column) => {
        texts.push(cell.text);
        if (cell.text === "BÍ THƯ" && !title) title = { row: rowNumber, column };
      }),
    );
    const at = title as { row: number; column: number } | null;
    return at ? [{ texts, signer: sheet.getCell(at.row + 5, at.column).text }] : [];
  });
  expect(signed).toHaveLength(1);
  return signed[0]!;
}

describe("who signs the printed documents", () => {
  let db: TestDatabase;
  let deps: AppDeps;
  let branch: SeededBranch;
  const request = async (telegramId: number) => ({
    actor: await identifyActor(deps, { id: telegramId, first_name: "X" }),
    now: NOW,
  });

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = appDepsFor(db);
    branch = await seedBranch(db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 3 });
  });
  afterEach(async () => db.dispose());

  async function committeeDocuments(): Promise<{ report: SignedSheet; tally: SignedSheet }> {
    const issued = await issueReport(deps, await request(ADMIN), "2026-11", null);
    const evaluation = await evaluationExport(deps, await request(ADMIN));
    if (!issued.ok || !evaluation.ok) throw new Error("not issued");
    return {
      report: await signedSheet(await reportXlsx(issued.value, t)),
      tally: await signedSheet(await evaluationXlsx(evaluation.value, t)),
    };
  }

  it("prints the committee secretary's name the admin set, and the dotted line before and after clearing it", async () => {
    const before = await committeeDocuments();
    expect(before.report.signer).toBe(DOTS);
    expect(before.tally.signer).toBe(DOTS);

    expect(await changeCommitteeSigner(deps, await request(ADMIN), "  Nguyễn   Văn Hùng ")).toEqual({
      ok: true,
      value: "Nguyễn Văn Hùng",
    });
    const named = await committeeDocuments();
    expect(named.report.signer).toBe("Nguyễn Văn Hùng");
    expect(named.tally.signer).toBe("Nguyễn Văn Hùng");
    expect(named.report.texts).not.toContain(DOTS);

    expect(await changeCommitteeSigner(deps, await request(ADMIN), "-")).toEqual({ ok: true, value: null });
    expect((await committeeDocuments()).report.signer).toBe(DOTS);
    const audit = await db.store.repos.audit.forEntity("Setting", "committeeSecretaryName");
    expect(audit.map((a) => [a.actorTelegramId, a.before, a.after])).toEqual([
      ["1000", { committeeSecretaryName: null }, { committeeSecretaryName: "Nguyễn Văn Hùng" }],
      ["1000", { committeeSecretaryName: "Nguyễn Văn Hùng" }, { committeeSecretaryName: null }],
    ]);
  });

  it("refuses a name that is not a full name, and anyone but an admin", async () => {
    expect(await changeCommitteeSigner(deps, await request(ADMIN), "Hùng")).toMatchObject({
      ok: false,
      code: "MEMBER.NAME_INVALID",
    });
    expect(await changeCommitteeSigner(deps, await request(ADMIN), "Nguyễn Văn 3")).toMatchObject({ ok: false });
    expect(await changeCommitteeSigner(deps, await request(SECRETARY), "Nguyễn Văn Hùng")).toMatchObject({
      ok: false,
      code: "AUTH.FORBIDDEN",
    });
    expect(await committeeSigner(db.store.repos)).toBeNull();
  });

  it("prints the branch secretary's name on the branch's report and dues ledger", async () => {
    // The committee's secretary does not sign for the branch.
    await changeCommitteeSigner(deps, await request(ADMIN), "Nguyễn Văn Hùng");
    const issued = await issueReport(deps, await request(SECRETARY), "2026-11", branch.branchId);
    const ledger = await branchLedger(deps, await request(SECRETARY), branch.branchId, 2026);
    if (!issued.ok || !ledger.ok) throw new Error("not issued");
    const report = await signedSheet(await reportXlsx(issued.value, t));
    const book = await signedSheet(await duesLedgerXlsx(ledger.value, t));
    expect(report.texts).toContain("T/M CHI BỘ");
    expect(report.signer).toBe("Bí Thư 1 Một");
    expect(book.signer).toBe("Bí Thư 1 Một");

    // A branch with no secretary: the dotted line.
    await db.store.transaction(async (repos) => {
      const user = await repos.users.findByTelegramId(String(SECRETARY));
      await repos.users.revokeBranchRoles(user!.id, branch.branchId, NOW);
    });
    const unsigned = await branchLedger(deps, await request(ADMIN), branch.branchId, 2026);
    if (!unsigned.ok) throw new Error(unsigned.code);
    expect((await signedSheet(await duesLedgerXlsx(unsigned.value, t))).signer).toBe(DOTS);
  });
});
