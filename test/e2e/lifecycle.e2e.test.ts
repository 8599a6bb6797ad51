// The bot as a process: restarts resume flows, re-delivered updates are handled once, a failing
// handler costs one apology with an error id, the command menu follows the role, SIGTERM stops cleanly.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fake-telegram/server.js";
import { FakeTelegram } from "../fake-telegram/server.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { tempDatabase } from "../support/db.js";
import { executeSql } from "../support/raw-sql.js";
import { seedBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);

describe("the running bot", () => {
  let e2e: E2E;
  beforeEach(async () => {
    e2e = await startE2E({ admins: ["1000"] });
  });
  afterEach(async () => e2e.dispose());

  it("resumes a half-finished flow after a restart", async () => {
    const branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const secretary = e2e.fake.user(2001);
    secretary.sendText("/dangvien");
    await secretary.waitForMessage(has("đảng viên"));
    secretary.pressButton("➕ Thêm đảng viên");
    await secretary.waitForMessage(has("Họ và tên"));
    secretary.sendText("Ngô Thị Hoa");
    await secretary.waitForMessage(has("Loại đảng viên"));

    await e2e.restart();

    secretary.pressButton("Dự bị");
    await secretary.waitForMessage(has("Ngày sinh"));
    secretary.sendText("01/01/1990");
    await secretary.waitForMessage(has("Ngày vào Đảng"));
    secretary.sendText("01/01/2026");
    await secretary.waitForMessage(has("Số điện thoại"));
    secretary.sendText("0912345678");
    const summary = await secretary.waitForMessage(has("kiểm tra lại"));
    expect(summary.text).toContain("Ngô Thị Hoa");
    expect(summary.text).toContain("Dự bị");
    secretary.pressButton("✅ Xác nhận");
    await secretary.waitForMessage(has("Đã thêm đồng chí Ngô Thị Hoa"));
    expect(await e2e.running.store.repos.members.countOnRoster(branch.branchId)).toBe(2);
  });

  it("handles an update Telegram delivers twice only once", async () => {
    await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const admin = e2e.fake.user(1000);
    admin.sendText("/chibo");
    await admin.waitForMessage(has("Các chi bộ"));
    admin.pressButton("➕ Thêm chi bộ");
    await admin.waitForMessage(has("tên chi bộ mới"));
    admin.sendText("Chi bộ Ấp 9");
    await admin.waitForMessage(has("Ngày thành lập"));
    const typed = admin.sendText("02/09/1975");
    await admin.waitForMessage(has("Đã tạo Chi bộ Ấp 9"));
    await admin.waitForMessage((m) => (m.text ?? "").startsWith("Chi bộ Ấp 9"));
    e2e.fake.redeliver(typed.updateId);
    await admin.expectNoMessage(400);
    const page = await e2e.running.store.repos.branches.page("deployment", 0, 10);
    expect(page.filter((b) => b.name === "Chi bộ Ấp 9")).toEqual([
      expect.objectContaining({ foundedOn: "1975-09-02" }),
    ]);
  });

  it("answers a failing handler with an apology and an error id, and keeps serving", async () => {
    const admin = e2e.fake.user(1000);
    await executeSql(e2e.dbUrl, `ALTER TABLE "Branch" RENAME TO "BranchGone"`);
    admin.sendText("/chibo");
    const apology = await admin.waitForMessage(has("Mã lỗi"));
    expect(apology.text).toMatch(/Mã lỗi: [0-9A-F]{8}/);
    await executeSql(e2e.dbUrl, `ALTER TABLE "BranchGone" RENAME TO "Branch"`);
    admin.sendText("/chibo");
    await admin.waitForMessage(has("Chưa có chi bộ"));
  });

  it("registers the command menu per role and switches language with /lang", async () => {
    await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    expect(e2e.fake.commands().map((c) => c.command)).toEqual(["start", "help"]);
    // In groups the menu offers the one command the bot answers there.
    expect(e2e.fake.commands({ type: "all_group_chats" })).toEqual([
      { command: "lienketnhom", description: "Liên kết nhóm Telegram của chi bộ" },
    ]);
    const secretary = e2e.fake.user(2001);
    secretary.sendText("/start");
    await secretary.waitForMessage(has("Chào đồng chí"));
    await e2e.fake.waitForCall("setMyCommands", (c) => JSON.stringify(c.params.scope ?? {}).includes("2001"));
    expect(e2e.fake.commands({ type: "chat", chat_id: 2001 }).map((c) => c.command)).toEqual([
      "start",
      "help",
      "menu",
      "cancel",
      "lang",
      "chibo",
      "dangvien",
      "diemdanh",
      "dangphi",
      "chuyencan",
      "nhiemvu",
      "lichhop",
      "lienketnhom",
      "xinmien",
      "capnhat",
      "tukiemdiem",
      "chuyen",
      "nhanxet",
      "canhbao",
      "baocao",
      "danhgia",
      "moi",
      "cuatoi",
      "huylienket",
    ]);

    secretary.sendText("/help");
    const help = await secretary.waitForMessage(has("/moi"));
    expect(help.text).not.toContain("/dangvien — hồ sơ của đồng chí");
    secretary.sendText("/lang");
    await secretary.waitForMessage(has("chọn ngôn ngữ"));
    secretary.pressButton("English");
    await secretary.waitForMessage(has("Switched to English"));
    await secretary.waitForMessage(has("keyboard below"));
    secretary.sendText("/help");
    expect((await secretary.waitForMessage()).text).toContain("Commands you can use");
    expect(
      secretary
        .replyKeyboard()
        ?.keyboard.flat()
        .map((b) => (typeof b === "string" ? b : b.text)),
    ).toContain("👥 Party members");
  });

  it("lets a member unlink themself, after which they are a stranger", async () => {
    await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    const secretary = e2e.fake.user(2001);
    secretary.sendText("/huylienket");
    await secretary.waitForMessage(has("hủy liên kết"));
    secretary.pressButton("✅ Xác nhận");
    await secretary.waitForMessage(has("Đã hủy liên kết"));
    secretary.sendText("/dangvien");
    expect((await secretary.waitForMessage()).text).toContain("chưa được cấp quyền");
  });
});

/** The production entry point, as `npm start` runs it: the esbuild bundle under plain node. */
const MAIN = ["--enable-source-maps", "dist/main.js"];

describe("the process", () => {
  beforeAll(() => {
    execFileSync(process.execPath, ["scripts/build.mjs"]);
  });

  it("exits with a clear message naming BOT_TOKEN when it is missing, writing nothing", async () => {
    const { dir, file, url } = await tempDatabase();
    const child = spawn(process.execPath, MAIN, {
      env: { PATH: process.env.PATH, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain("BOT_TOKEN");
    expect(stderr).toContain("@BotFather");
    const { existsSync } = await import("node:fs");
    expect(existsSync(file)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it("stops on SIGTERM: finishes the update in flight, closes the database, exits 0", async () => {
    const fake = await FakeTelegram.start();
    const { dir, url } = await tempDatabase();
    const child = spawn(process.execPath, MAIN, {
      env: {
        PATH: process.env.PATH,
        BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATABASE_URL: url,
        ADMIN_TELEGRAM_IDS: "1000",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      // Polling has started once the long poll is waiting (it is answered only when an update comes).
      const deadline = Date.now() + 20_000;
      while (fake.callsOf("getUpdates").length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const admin = fake.user(1000);
      // Telegram is slow to take the reply: the update is still in flight when SIGTERM comes.
      fake.delayNext("sendMessage", 1500);
      admin.sendText("/chibo");
      const replyDeadline = Date.now() + 10_000;
      while (fake.callsOf("sendMessage").length === 0 && Date.now() < replyDeadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(fake.callsOf("sendMessage")).toHaveLength(1);
      child.kill("SIGTERM");
      await admin.waitForMessage(has("chi bộ"), 10_000).catch((error: unknown) => {
        throw new Error(`${String(error)}\n--- bot output ---\n${stdout}`);
      });
      expect({ code: await exited, stdout }).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('"msg":"stopped"'),
      });
    } finally {
      child.kill("SIGKILL");
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
