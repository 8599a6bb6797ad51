// /xuatdulieu over the fake Bot API: a committee member receives the full workbook as a document in
// their private chat, and it reads back with the recorded data; a secretary is refused, a stranger
// learns nothing; neither receives a file.
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fake-telegram/server.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedCommune, type SeededCommune } from "../support/export-seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const ADMIN = 1000;
const NOW = new Date("2026-03-15T03:00:00Z");

describe("the full export by chat", () => {
  let e2e: E2E;
  let seeded: SeededCommune;
  beforeEach(async () => {
    e2e = await startE2E({ now: NOW, admins: [String(ADMIN)] });
    seeded = await seedCommune(e2e.running.store, {
      databaseUrl: e2e.config.databaseUrl,
      filesDir: e2e.config.filesDir,
    });
  });
  afterEach(async () => e2e.dispose());

  it("sends the committee member the workbook in their private chat, then the row counts", async () => {
    const admin = e2e.fake.user(ADMIN);
    admin.sendText("/help");
    expect((await admin.waitForMessage(has("/xuatdulieu"))).text).toContain("/xuatdulieu — xuất toàn bộ dữ liệu");
    admin.sendText("/xuatdulieu");
    await admin.waitForMessage(has("Đang chuẩn bị tệp dữ liệu đầy đủ"));
    const sent = await admin.waitForMessage((m) => m.document !== undefined, 15_000);
    expect(sent.caption).toContain("Dữ liệu đầy đủ — Đảng bộ xã Xuân Đông, xuất lúc 10:00 15/03/2026");
    const summary = await admin.waitForMessage(has("Số dòng từng trang"));
    expect(summary.text).toContain("Đảng viên: 6");
    expect(summary.text).toContain("Điểm danh: 4");

    const [document] = admin.receivedDocuments();
    expect(document!.fileName).toBe("du-lieu-dang-bo-2026-03-15.xlsx");
    const calls = e2e.fake.callsOf("sendDocument");
    expect(calls).toHaveLength(1);
    expect(String(calls[0]!.params.chat_id)).toBe(String(ADMIN));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(document!.bytes as unknown as ArrayBuffer);
    const members = workbook.getWorksheet("Đảng viên")!;
    expect(members.rowCount).toBe(1 + 6);
    const names = members.getColumn(3).values.slice(2);
    for (const m of seeded.members) expect(names).toContain(m.fullName);
    const ledger = workbook.getWorksheet("Sổ thu đảng phí")!;
    expect(ledger.getRow(1).getCell(6).value).toBe("Số tiền (đồng)");
    expect(ledger.getRow(2).getCell(6).value).toBe(150_000);
    expect(ledger.getRow(2).getCell(6).numFmt).toBe("#,##0");
    const audit = workbook.getWorksheet("Nhật ký thao tác")!;
    expect(audit.getColumn(6).values).toContain("data.export");
  });

  it("prepares one export at a time, without holding up the chat", async () => {
    const admin = e2e.fake.user(ADMIN);
    e2e.fake.delayNext("sendDocument", 1500);
    admin.sendText("/xuatdulieu");
    await admin.waitForMessage(has("Đang chuẩn bị tệp dữ liệu đầy đủ"));
    admin.sendText("/xuatdulieu");
    await admin.waitForMessage(has("đang được chuẩn bị"));
    // The bot answers other requests while the file is being sent.
    admin.sendText("/chibo");
    await admin.waitForMessage(has("Các chi bộ (2)"));
    expect(admin.receivedDocuments()).toHaveLength(0);
    await admin.waitForMessage(has("Số dòng từng trang"), 15_000);
    expect(admin.receivedDocuments()).toHaveLength(1);
    // Once it is sent, the next request is served.
    admin.sendText("/xuatdulieu");
    await admin.waitForMessage(has("Đang chuẩn bị tệp dữ liệu đầy đủ"));
    await admin.waitForMessage((m) => m.document !== undefined, 15_000);
    expect(e2e.fake.callsOf("sendDocument")).toHaveLength(2);
  });

  it("refuses a secretary and tells a stranger nothing; no file is sent", async () => {
    const secretary = e2e.fake.user(seeded.first.secretaryTelegramId);
    secretary.sendText("/xuatdulieu");
    expect((await secretary.waitForMessage()).text).toBe("Đồng chí không có quyền thực hiện thao tác này.");
    const stranger = e2e.fake.user(555_555);
    stranger.sendText("/xuatdulieu");
    expect((await stranger.waitForMessage()).text).toContain("Đồng chí chưa được cấp quyền sử dụng");
    await secretary.expectNoMessage(500);
    expect(e2e.fake.callsOf("sendDocument")).toHaveLength(0);
    const actions: string[] = [];
    for await (const row of e2e.running.store.repos.dataExport.auditLog()) actions.push(row.action);
    expect(actions).not.toContain("data.export");
  });
});
