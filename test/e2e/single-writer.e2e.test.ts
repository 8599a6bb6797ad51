// One writer per database: a second bot process started on the same database (SQLite file or PostgreSQL) refuses to start with a
// message naming the running one (PID, host, start time) and exit code 2, writing nothing; a process
// killed with -9 leaves no stale claim behind.
import { hostname } from "node:os";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInstant } from "../../src/i18n/format.js";
import { FakeTelegram } from "../fake-telegram/server.js";
import { BotProcess, buildTestBundle } from "../support/bot-process.js";
import { tempDatabase } from "../support/db.js";
import { startE2E } from "../support/e2e.js";

let bundle: ReturnType<typeof buildTestBundle>;
beforeAll(() => {
  bundle = buildTestBundle();
});
afterAll(() => bundle.dispose());

const envFor = (fake: FakeTelegram, url: string) => ({
  PATH: process.env.PATH ?? "",
  BOT_TOKEN: fake.token,
  TELEGRAM_API_ROOT: fake.apiRoot,
  DATABASE_URL: url,
  LOG_LEVEL: "info",
});

describe("a second process on the same database", () => {
  it("is refused with exit code 2, naming the running one, and writes nothing", async () => {
    const startedAt = new Date("2026-03-15T03:00:00Z");
    const e2e = await startE2E({ now: startedAt });
    try {
      const before = e2e.fake.calls.length;
      const second = BotProcess.spawn(envFor(e2e.fake, e2e.dbUrl), { args: [bundle.main] });
      const exit = await second.exited;
      expect(exit.code).toBe(2);
      const output = second.output();
      expect(output).toContain("another chibo process is already running");
      expect(output).toContain(`PID ${process.pid}`);
      expect(output).toContain(`host ${hostname()}`);
      // The running one's start time, in the deployment's zone (10:00 on 15/03/2026 in Hồ Chí Minh City).
      expect(output).toContain(`started ${formatInstant(startedAt, "Asia/Ho_Chi_Minh")}`);
      expect(output).toContain("10:00 15/03/2026");
      // It never talked to Telegram, and the running bot goes on.
      expect(e2e.fake.calls.slice(before).filter((c) => c.method !== "getUpdates")).toEqual([]);
      const admin = e2e.fake.user(1000);
      admin.sendText("/chibo");
      await admin.waitForMessage((m) => (m.text ?? "").includes("chi bộ"));
    } finally {
      await e2e.dispose();
    }
  });

  it("starts once the first was killed with -9: the claim dies with its process", async () => {
    const fake = await FakeTelegram.start();
    const { dir, url } = await tempDatabase();
    try {
      const first = BotProcess.spawn(envFor(fake, url), { args: [bundle.main] });
      await first.waitForLog((line) => String(line.msg).includes("bot started"), 20_000);
      expect((await first.kill()).signal).toBe("SIGKILL");
      const second = BotProcess.spawn(envFor(fake, url), { args: [bundle.main] });
      await second.waitForLog((line) => String(line.msg).includes("bot started"), 20_000);
      const stopped = await second.stop(15_000);
      expect(stopped.code).toBe(0);
    } finally {
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
