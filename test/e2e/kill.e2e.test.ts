// The bot as a process, killed with SIGKILL (kill -9: no handler runs, nothing is flushed):
// - between the save of an extraordinary meeting and its reply, then started again: the press delivered again
//   is answered "Đã lưu lúc …" in place of the pressed message, a second press saves nothing (one meeting);
// - at random points of a 200-message fan-out, then started again each time: every message is delivered,
//   and duplicates are at most the messages in flight at the kills. The counts are printed.
import { diskFileStore } from "../../src/files/file-store.js";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCommittee } from "../../src/app/committee.js";
import { createDb } from "../../src/db/client.js";
import { createStore, type Store } from "../../src/db/store.js";
import { FakeTelegram, type FakeMessage } from "../fake-telegram/server.js";
import { BotProcess, buildTestBundle } from "../support/bot-process.js";
import { countRows, queryRows } from "../support/raw-sql.js";
import { migratedTempDatabase } from "../support/db.js";
import { seedBranch } from "../support/seed.js";
import { seededRandom } from "../support/random.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRETARY = 2001;

let bundle: ReturnType<typeof buildTestBundle>;
beforeAll(() => {
  bundle = buildTestBundle();
});
afterAll(() => bundle.dispose());

/** A migrated database with the committee and a branch, prepared by `seed` before any bot runs on it. */
async function database(seed: (store: Store) => Promise<void>): Promise<{ dir: string; url: string }> {
  const { dir, url } = await migratedTempDatabase();
  const store = createStore(createDb(url));
  try {
    await ensureCommittee(
      {
        store,
        timeZone: "Asia/Ho_Chi_Minh",
        adminTelegramIds: ["1000"],
        invitationTtlDays: 7,
        committeeName: "Đảng bộ xã Xuân Đông",
        committeePlace: "Xuân Đông",
        files: diskFileStore(`${dir}/files`),
        randomBytes,
      },
      new Date(),
    );
    await seed(store);
  } finally {
    await store.close();
  }
  return { dir, url };
}

async function spawnBot(fake: FakeTelegram, url: string, dir: string): Promise<BotProcess> {
  const bot = BotProcess.spawn(
    {
      PATH: process.env.PATH ?? "",
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: url,
      FILES_DIR: `${dir}/files`,
      ADMIN_TELEGRAM_IDS: "1000",
      LOG_LEVEL: "info",
    },
    { args: [bundle.main] },
  );
  await bot.waitForLog((line) => String(line.msg).includes("bot started"), 20_000);
  return bot;
}

describe("kill -9 between a save and its reply", () => {
  it("saves an extraordinary meeting once, and the press delivered again says it was saved", async () => {
    const fake = await FakeTelegram.start();
    const { dir, url } = await database(
      async (store) =>
        void (await seedBranch(store, { name: "Chi bộ Ấp 1", secretaryTelegramId: SECRETARY, members: 4 })),
    );
    let bot: BotProcess | null = null;
    try {
      bot = await spawnBot(fake, url, dir);
      const secretary = fake.user(SECRETARY);
      secretary.sendText("/diemdanh");
      await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"));
      for (const [button, next] of [
        ["Bất thường", "Ngày sinh hoạt"],
        [/Hôm nay/, "📋 Chi bộ Ấp 1"],
        ["➡️ Tiếp tục", "Chủ đề"],
        ["Bỏ qua", "Nghị quyết"],
        ["Bỏ qua", "Phân công"],
        ["➡️ Xong, xem lại", "xác nhận lưu"],
      ] as const) {
        secretary.pressButton(button);
        await secretary.waitForMessage(has(next));
      }
      const confirm = secretary.lastMessage()!;
      const save = confirm.buttons.find((b) => b.text === "✅ Lưu")!.callback_data!;
      // Telegram takes the bot's calls and answers none: the bot is killed as soon as the meeting is in the file.
      fake.hold();
      secretary.pressButton("✅ Lưu", confirm);
      const lost = secretary.lastUpdateId!;
      const deadline = Date.now() + 15_000;
      while ((await countRows(url, "Meeting")) === 0) {
        if (Date.now() > deadline)
          throw new Error(`the meeting was not saved; calls waiting: ${fake.heldCalls().join(", ")}`);
        if (fake.heldCalls().length > 0 && (await countRows(url, "Meeting")) === 0) fake.releaseHeld();
        await sleep(5);
      }
      expect((await bot.kill()).signal).toBe("SIGKILL");
      fake.dropHeld();
      expect(secretary.messages().some(has("Đã lưu buổi sinh hoạt"))).toBe(false);

      // The press was never confirmed: Telegram delivers it to the next process, which finds its handling cut
      // short and handles it again, as soon as it polls. Wait until it is done with it (pressing sooner would
      // race with the answer, which takes the button away), then the pressed message says it was saved.
      bot = await spawnBot(fake, url, dir);
      await fake.waitForConfirmed(lost, 15_000);
      const answer = fake.message(SECRETARY, confirm.message_id)!;
      expect(answer.text).toMatch(
        /^✅ Đã lưu lúc \d\d:\d\d ngày \d\d\/\d\d\/\d{4}:\nĐã lưu buổi sinh hoạt bất thường ngày \d\d\/\d\d\/\d{4} của Chi bộ Ấp 1: có mặt 5\/5/,
      );
      expect(answer.buttons).toEqual([]);
      expect(await countRows(url, "Meeting")).toBe(1);
      // "✅ Lưu" tapped again (a double tap, a client still showing the keyboard): answered, nothing saved again.
      const again = secretary.pressData(save, confirm.message_id);
      await secretary.waitForCallbackAnswer(again);
      await secretary.waitForHandled();
      expect(
        secretary
          .messages()
          .filter(has("Đã lưu buổi sinh hoạt"))
          .map((m) => m.message_id),
      ).toEqual([confirm.message_id]);
      expect(await countRows(url, "Meeting")).toBe(1);
      expect((await bot.stop(15_000)).code).toBe(0);
    } finally {
      if (bot?.running) await bot.kill();
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("kill -9 at random points of a 200-message fan-out", () => {
  it("delivers every message; duplicates are at most the messages in flight at the kills", async () => {
    const COUNT = 200;
    const KILLS = 3;
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 100_000);
    const next = seededRandom(seed);
    const fake = await FakeTelegram.start();
    const recipients = Array.from({ length: COUNT }, (_, i) => 50_000 + i);
    // Everyone has talked to the bot before (it may write to them); the fan-out is queued as a job queues it.
    for (const id of recipients) fake.user(id).started = true;
    const { dir, url } = await database(async (store) => {
      await store.transaction(async (repos) => {
        await repos.outbox.enqueue(
          recipients.map((id, i) => ({
            kind: "meeting_reminder",
            subject: "branch:1",
            period: "fan-out",
            recipientTelegramId: String(id),
            text: `Nhắc lịch sinh hoạt số ${i + 1}`,
          })),
          new Date(),
        );
      });
    });
    const delivered = () => {
      const counts = new Map<string, number>();
      for (const call of fake.callsOf("sendMessage"))
        if (call.ok) counts.set(String(call.params.text), (counts.get(String(call.params.text)) ?? 0) + 1);
      return counts;
    };
    const thresholds = Array.from({ length: KILLS }, (_, k) =>
      Math.floor(((k + 0.2 + next() * 0.6) * COUNT) / (KILLS + 1)),
    );
    let inFlightAtKills = 0;
    let bot: BotProcess | null = null;
    try {
      for (const threshold of thresholds) {
        bot = await spawnBot(fake, url, dir);
        const deadline = Date.now() + 30_000;
        while (delivered().size < threshold) {
          if (Date.now() > deadline) throw new Error(`only ${delivered().size} of ${COUNT} delivered`);
          await sleep(1 + Math.floor(next() * 4));
        }
        await bot.kill();
        // In flight at the kill: delivered by Telegram, not yet recorded as sent. Only these may go twice.
        const unrecorded = (await queryRows(url, `SELECT text FROM "Notification" WHERE status <> 'SENT'`)) as {
          text: string;
        }[];
        const seen = delivered();
        inFlightAtKills += unrecorded.filter((row) => seen.has(row.text)).length;
      }
      bot = await spawnBot(fake, url, dir);
      const deadline = Date.now() + 60_000;
      while ((await countRows(url, "Notification", "status = 'SENT'")) < COUNT) {
        if (Date.now() > deadline)
          throw new Error(
            `only ${await countRows(url, "Notification", "status = 'SENT'")} of ${COUNT} recorded as sent`,
          );
        await sleep(50);
      }
      await sleep(300);
      const final = delivered();
      const sends = [...final.values()].reduce((sum, n) => sum + n, 0);
      const duplicates = sends - final.size;
      console.log(
        `fan-out of ${COUNT} with ${KILLS} kills (seed ${seed}, at ${thresholds.join(", ")} delivered): delivered ${final.size}/${COUNT}, duplicates ${duplicates}, in flight at the kills ${inFlightAtKills}`,
      );
      expect(final.size).toBe(COUNT);
      expect(duplicates).toBeLessThanOrEqual(inFlightAtKills);
      expect(await countRows(url, "Notification", "status = 'SENT'")).toBe(COUNT);
      expect((await bot.stop(15_000)).code).toBe(0);
    } finally {
      if (bot?.running) await bot.kill();
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
