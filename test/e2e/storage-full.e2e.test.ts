// Storage trouble is reported: the bot runs as a process whose file-size limit the test lowers to nothing
// while it runs (`prlimit`, as a full disk would: no write can grow a file), then raises again. Users get
// "Máy chủ đang hết chỗ lưu trữ / không ghi được; Văn phòng Đảng ủy đã được báo" and nothing is half
// written; the admins (configured and the committee's office) get one alert; the bot resumes by itself
// when space returns.
import { diskFileStore } from "../../src/files/file-store.js";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeSqliteOnly } from "../support/engine.js";
import { ensureCommittee } from "../../src/app/committee.js";
import { createDb } from "../../src/db/client.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import { createStore } from "../../src/db/store.js";
import { FakeTelegram, type FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { BotProcess, buildTestBundle } from "../support/bot-process.js";
import { tempDatabaseFile } from "../support/db.js";
import { seedBranch } from "../support/seed.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const ADMIN = 1000;
const OFFICE = 3001;
const SECRETARY = 2001;
const FULL = "Máy chủ đang hết chỗ lưu trữ / không ghi được; Văn phòng Đảng ủy đã được báo.";
const ALERT = "Máy chủ của Sổ Chi Bộ đang hết chỗ lưu trữ";

let bundle: ReturnType<typeof buildTestBundle>;
beforeAll(() => {
  bundle = buildTestBundle();
});
afterAll(() => bundle.dispose());

/** Sets the running process's file-size limit (soft; the hard one stays unlimited, so it can be raised again). */
const fileSizeLimit = (pid: number, bytes: number | "unlimited") =>
  execFileSync("prlimit", ["--pid", String(pid), `--fsize=${bytes}:`]);

describeSqliteOnly("a full disk", () => {
  it("tells users, alerts the admins once, writes nothing half, and resumes when space returns", async () => {
    const fake = await FakeTelegram.start();
    const { dir, file, url } = tempDatabaseFile();
    let bot: BotProcess | null = null;
    try {
      migrateSqlite(file);
      const store = createStore(createDb(url));
      await ensureCommittee(
        {
          store,
          timeZone: "Asia/Ho_Chi_Minh",
          adminTelegramIds: [String(ADMIN)],
          invitationTtlDays: 7,
          committeeName: "Đảng bộ xã Xuân Đông",
          committeePlace: "Xuân Đông",
          files: diskFileStore(`${dir}/files`),
          randomBytes,
        },
        new Date(),
      );
      await seedBranch(store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY });
      await store.transaction(async (repos) => {
        const user = await repos.users.upsert(String(OFFICE), "Văn phòng", null);
        await repos.users.grantRole(user.id, "COMMITTEE_OFFICE", null, "seed", new Date());
      });
      await store.close();

      bot = BotProcess.spawn(
        {
          PATH: process.env.PATH ?? "",
          BOT_TOKEN: fake.token,
          TELEGRAM_API_ROOT: fake.apiRoot,
          DATABASE_URL: url,
          FILES_DIR: `${dir}/files`,
          ADMIN_TELEGRAM_IDS: String(ADMIN),
          LOG_LEVEL: "info",
        },
        { args: [bundle.main] },
      );
      await bot.waitForLog((line) => String(line.msg).includes("bot started"), 20_000);
      const [admin, office, secretary] = [ADMIN, OFFICE, SECRETARY].map((id) => fake.user(id)) as [
        FakeUser,
        FakeUser,
        FakeUser,
      ];
      for (const user of [admin, office, secretary]) {
        user.sendText("/start");
        await user.waitForMessage(has("Chào đồng chí"));
      }

      // The disk is full: no file can grow.
      fileSizeLimit(bot.pid, 1);
      secretary.sendText("/chibo");
      expect((await secretary.waitForMessage(has("Máy chủ"), 10_000)).text).toBe(
        `${FULL} Thao tác vừa rồi chưa được ghi; đồng chí vui lòng thử lại sau.`,
      );
      // The admin tries to create a branch: refused at the first write, nothing half-written.
      admin.sendText("/chibo");
      await admin.waitForMessage(has(FULL), 10_000);
      const alertToAdmin = await admin.waitForMessage(has(ALERT), 10_000);
      expect(alertToAdmin.text).toContain("(SQLITE_");
      await office.waitForMessage(has(ALERT), 10_000);
      for (let i = 0; i < 3; i++) {
        secretary.sendText("/dangvien");
        await secretary.waitForMessage(has(FULL), 10_000);
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(admin.messages().filter(has(ALERT))).toHaveLength(1);
      expect(office.messages().filter(has(ALERT))).toHaveLength(1);
      expect(secretary.messages().filter(has(ALERT))).toHaveLength(0);

      // Space returns: the same process answers again, and writes.
      fileSizeLimit(bot.pid, "unlimited");
      secretary.sendText("/chibo");
      await secretary.waitForMessage(has("Chi bộ Ấp 1"), 10_000);
      admin.sendText("/chibo");
      await admin.waitForMessage(has("Các chi bộ"), 10_000);
      admin.pressButton("➕ Thêm chi bộ");
      await admin.waitForMessage(has("tên chi bộ mới"), 10_000);
      admin.sendText("Chi bộ Ấp 9");
      await admin.waitForMessage(has("Ngày thành lập"), 10_000);
      admin.pressButton("Bỏ qua");
      await admin.waitForMessage(has("Đã tạo Chi bộ Ấp 9"), 10_000);
      expect(bot.running).toBe(true);
      const stopped = await bot.stop(15_000);
      expect(stopped.code).toBe(0);
    } catch (error) {
      const logs = (bot?.logs ?? [])
        .filter((line) => Number(line.level) >= 40)
        .map(
          (line) =>
            `${String(line.msg)} ${JSON.stringify((line.err as { message?: string } | undefined)?.message ?? "")}`,
        );
      throw new Error(`${String(error)}\n--- the bot's warnings and errors ---\n${logs.join("\n")}`);
    } finally {
      if (bot?.running) await bot.kill();
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
