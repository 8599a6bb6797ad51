// Waiting out outages: Telegram unreachable at start (30 s) or while running → the bot keeps trying with
// growing waits, one log line when the connection goes and one when it is back, and polls again without a
// restart; notices queued meanwhile go out once. A wrong token (401) or another poller (409) → a clear
// message and exit code 2.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram, type FakeMessage } from "../fake-telegram/server.js";
import { BotProcess, buildTestBundle } from "../support/bot-process.js";
import { tempDatabase } from "../support/db.js";
import { outboxSettled, startE2E } from "../support/e2e.js";
import { capturingLogger } from "../support/logs.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);

const messages = (lines: Record<string, unknown>[], fragment: string) =>
  lines.filter((line) => String(line.msg).includes(fragment));

describe("Telegram unreachable", () => {
  it("at start for 30 s: the bot keeps trying with growing waits and polls once Telegram is back, without a restart", async () => {
    const { logger, lines } = capturingLogger();
    const e2e = await startE2E({
      admins: ["1000"],
      logger,
      waitForConnection: false,
      beforeStart: ({ fake }) => fake.goOffline(),
    });
    try {
      // startE2E made the fake before starting the bot; it was taken offline from the very first try.
      expect(e2e.fake.calls).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      const tries = e2e.fake.offlineAttempts.map((at) => at);
      e2e.fake.goOnline();
      const admin = e2e.fake.user(1000);
      admin.sendText("/start");
      await admin.waitForMessage(has("Quản trị"), 40_000);

      // Tries 1 s, 2 s, 4 s, 8 s, 16 s apart: growing, never hammering.
      const gaps = tries.slice(1).map((at, i) => at - tries[i]!);
      expect(tries.length).toBeGreaterThanOrEqual(4);
      expect(tries.length).toBeLessThanOrEqual(7);
      for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]! * 1.5);
      // One line when it went, one when it came back; the same process all along.
      expect(messages(lines, "polling: Telegram cannot be reached")).toHaveLength(1);
      expect(messages(lines, "polling: Telegram is reachable again")).toHaveLength(1);
      expect(messages(lines, "bot started with long polling")).toHaveLength(1);
      expect(messages(lines, "stopping")).toEqual([]);
    } finally {
      await e2e.dispose();
    }
  }, 90_000);

  it("while running: polling and the outbox wait, then resume; a notice queued meanwhile arrives once", async () => {
    const { logger, lines } = capturingLogger();
    const e2e = await startE2E({ admins: ["1000"], logger, reconnectDelay: (n) => Math.min(100 * 2 ** (n - 1), 800) });
    try {
      const admin = e2e.fake.user(1000);
      admin.sendText("/start");
      await admin.waitForMessage(has("Quản trị"));
      e2e.fake.goOffline();
      await e2e.running.store.transaction((repos) =>
        repos.outbox.enqueue(
          [
            {
              kind: "test_notice",
              subject: "outage",
              period: "",
              recipientTelegramId: "1000",
              text: "Thông báo gửi trong lúc mất mạng",
            },
          ],
          e2e.clock.now,
        ),
      );
      // Offline until the bot has tried a few times (its waits grow: 100, 200, 400, 800 ms…) and both the
      // polling and the outbox have found Telegram unreachable.
      const triedEnough = () =>
        e2e.fake.offlineAttempts.length > 2 &&
        messages(lines, "polling: Telegram cannot be reached").length > 0 &&
        messages(lines, "outbox: Telegram cannot be reached").length > 0;
      for (const deadline = Date.now() + 20_000; !triedEnough();) {
        if (Date.now() > deadline) throw new Error("the bot did not retry while Telegram was unreachable");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      e2e.fake.goOnline();
      await admin.waitForMessage(has("Thông báo gửi trong lúc mất mạng"), 10_000);
      admin.sendText("/help");
      await admin.waitForMessage(has("/chibo"), 10_000);
      // The message reaches the chat before the sender marks its row sent.
      await outboxSettled(e2e);
      const row = await e2e.running.store.repos.outbox.find("test_notice", "outage", "", "1000");
      expect(row).toMatchObject({ status: "SENT", attempts: 1 });
      expect(admin.messages().filter((m) => m.text === "Thông báo gửi trong lúc mất mạng")).toHaveLength(1);
      expect(messages(lines, "polling: Telegram cannot be reached")).toHaveLength(1);
      expect(messages(lines, "polling: Telegram is reachable again")).toHaveLength(1);
      expect(messages(lines, "outbox: Telegram cannot be reached")).toHaveLength(1);
      expect(messages(lines, "outbox: Telegram is reachable again")).toHaveLength(1);
      expect(messages(lines, "stopping")).toEqual([]);
    } finally {
      await e2e.dispose();
    }
  });
});

describe("Telegram refusing the bot", () => {
  let bundle: ReturnType<typeof buildTestBundle>;
  beforeAll(() => {
    bundle = buildTestBundle();
  });
  afterAll(() => bundle.dispose());

  async function run(
    setup: (fake: FakeTelegram) => void,
    token?: (fake: FakeTelegram) => string,
  ): Promise<{ code: number | null; output: string; fake: FakeTelegram }> {
    const fake = await FakeTelegram.start();
    const { dir, url } = await tempDatabase();
    try {
      setup(fake);
      const bot = BotProcess.spawn(
        {
          PATH: process.env.PATH ?? "",
          BOT_TOKEN: token?.(fake) ?? fake.token,
          TELEGRAM_API_ROOT: fake.apiRoot,
          DATABASE_URL: url,
          LOG_LEVEL: "info",
        },
        { args: [bundle.main] },
      );
      const exit = await Promise.race([
        bot.exited,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000)),
      ]);
      if (!exit) await bot.kill();
      return { code: exit?.code ?? null, output: bot.output(), fake };
    } finally {
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("exits with code 2 and says the token was refused (401)", async () => {
    const { code, output } = await run(
      () => undefined,
      (fake) => fake.token.replace(/:.*/, ":WRONG-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"),
    );
    expect(code).toBe(2);
    expect(output).toContain("Telegram refused BOT_TOKEN (401 Unauthorized)");
    expect(output).toContain("@BotFather");
  });

  it("exits with code 2 and says another poller uses the token (409)", async () => {
    const { code, output, fake } = await run((fake) =>
      fake.failNext("getUpdates", {
        error_code: 409,
        description:
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      }),
    );
    expect(code).toBe(2);
    expect(output).toContain("another program is polling with this bot token");
    expect(fake.callsOf("getUpdates").filter((c) => c.ok === false)).toHaveLength(1);
  });
});
