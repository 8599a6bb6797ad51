// Two bot processes behind a webhook, on one database (the suite's engine: a SQLite file in WAL mode shared
// by both with `npm test`, PostgreSQL with `npm run test:pg`), as a province runs them: the strict fake Telegram delivers updates to both in turn (a load balancer) and re-delivers
// some; the sender is killed with SIGKILL in the middle of a notification fan-out and of the updates, then
// started again. Afterwards:
// - every update was handled exactly once (one "update handled" across both processes' logs, one reply
//   each) and a chat's updates one after another, in order (each began after the previous one finished);
// - every scheduled job ran once per occurrence (no occurrence twice, none of the fast housekeeping job's
//   occurrences missing except one its killed runner left unfinished);
// - every notification was delivered, duplicates at most the ones in flight at the kill;
// - Telegram never answered 429 and never saw more than 30 messages in a second;
// - a request without the right secret got 403 and changed nothing; SIGTERM hands the sender role over
//   and exits 0.
import { randomBytes } from "node:crypto";
import { diskFileStore } from "../../src/files/file-store.js";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCommittee } from "../../src/app/committee.js";
import { createDb } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { FakeTelegram } from "../fake-telegram/server.js";
import { BotProcess, buildTestBundle, type LogLine } from "../support/bot-process.js";
import { migratedTempDatabase } from "../support/db.js";
import { queryRows } from "../support/raw-sql.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRET = randomBytes(24).toString("hex");
const WEBHOOK_URL = "https://bot.xuandong.example/telegram/webhook";
const STRANGERS = Array.from({ length: 4 }, (_, i) => 70_001 + i);
const MESSAGES_PER_CHAT = 20;
const NOTICES = 240;
const HOUSEKEEPING_SECONDS = 2;

let bundle: ReturnType<typeof buildTestBundle>;
beforeAll(() => {
  bundle = buildTestBundle();
});
afterAll(() => bundle.dispose());

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const query = async <T>(url: string, sql: string): Promise<T[]> => (await queryRows(url, sql)) as T[];

/** An instant as either engine returns it: epoch ms or ISO text (SQLite, by adapter), a Date (pg). */
const instant = (value: string | number | Date | null): number | null =>
  value === null
    ? null
    : value instanceof Date
      ? value.getTime()
      : typeof value === "number"
        ? value
        : Date.parse(value);

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("two bot processes behind a webhook, one killed mid-run", () => {
  it("handles each update once and in order, runs each job once, delivers each notice, within Telegram's budget", async () => {
    const fake = await FakeTelegram.start({ messagesPerSecond: 30 });
    const { dir, url, release } = await migratedTempDatabase();
    const ports = [await freePort(), await freePort()] as const;
    const recipients = Array.from({ length: NOTICES / 2 }, (_, i) => 60_000 + i);
    for (const id of recipients) fake.user(id).started = true;
    const store = createStore(createDb(url));
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
    // A scan's fan-out, queued as a job queues it: two notices for each of 120 people.
    await store.transaction((repos) =>
      repos.outbox.enqueue(
        recipients.flatMap((id, i) =>
          [1, 2].map((n) => ({
            kind: "finding_alert",
            subject: `finding:${i}:${n}`,
            period: "2026-12",
            recipientTelegramId: String(id),
            text: `Cảnh báo số ${n} cho đồng chí ${i + 1}`,
          })),
        ),
        new Date(),
      ),
    );
    await store.close();

    const logs: LogLine[][] = [];
    const spawn = async (index: 0 | 1): Promise<BotProcess> => {
      const bot = BotProcess.spawn(
        {
          PATH: process.env.PATH ?? "",
          BOT_TOKEN: fake.token,
          TELEGRAM_API_ROOT: fake.apiRoot,
          DATABASE_URL: url,
          FILES_DIR: `${dir}/files`,
          ADMIN_TELEGRAM_IDS: "1000",
          LOG_LEVEL: "debug",
          WEBHOOK_URL,
          WEBHOOK_SECRET: SECRET,
          PORT: String(ports[index]),
          HOUSEKEEPING_SECONDS: String(HOUSEKEEPING_SECONDS),
        },
        { args: [bundle.main] },
      );
      logs.push(bot.logs);
      await bot.waitForLog((line) => line.msg === "webhook server listening", 20_000);
      return bot;
    };
    const targets = ports.map((port) => `http://127.0.0.1:${port}`);
    const bots: (BotProcess | null)[] = [null, null];
    try {
      bots[0] = await spawn(0);
      await bots[0].waitForLog((line) => line.msg === "this process is now the sender", 10_000);
      bots[1] = await spawn(1);
      await until("the webhook registered", () => fake.webhookInfo() !== undefined, 10_000);
      expect(fake.webhookInfo()).toEqual({
        url: WEBHOOK_URL,
        secretToken: SECRET,
        allowedUpdates: ["message", "callback_query"],
      });
      fake.deliverWebhooksTo(targets);

      // Without the right secret: 403, and nothing is done.
      const forged = {
        update_id: 999_999,
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 79_999, type: "private" },
          from: { id: 79_999, is_bot: false, first_name: "X" },
          text: "/start",
        },
      };
      const wrongSecrets: Record<string, string>[] = [
        {},
        { "x-telegram-bot-api-secret-token": "wrong" },
        { "x-telegram-bot-api-secret-token": SECRET.slice(1) },
      ];
      for (const headers of wrongSecrets) {
        const response = await fetch(`${targets[0]}/telegram/webhook`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(forged),
        });
        expect(response.status).toBe(403);
      }
      const health = await fetch(`${targets[1]}/healthz`);
      const healthBody: unknown = await health.json();
      expect(health.status, JSON.stringify(healthBody)).toBe(200);
      expect(healthBody).toMatchObject({
        ok: true,
        database: { reachable: true },
        migrations: { applied: true },
        sender: { role: "standby" },
      });

      // The strangers write, a message every 250 ms in turn; every fifth is delivered again afterwards.
      const sent = new Map<number, number[]>(STRANGERS.map((id) => [id, []]));
      const writing = (async () => {
        for (let n = 0; n < MESSAGES_PER_CHAT; n++) {
          for (const id of STRANGERS) {
            const updateId = fake.user(id).sendText(`Tin nhắn ${n + 1}`).updateId;
            sent.get(id)!.push(updateId);
            if (updateId % 5 === 0) setTimeout(() => fake.redeliver(updateId), 400);
            await sleep(250);
          }
        }
      })();

      // Kill the sender in the middle of its fan-out, and of the updates.
      await until(
        "the fan-out under way",
        () =>
          fake.callsOf("sendMessage").filter((c) => c.ok && String(c.params.text).startsWith("Cảnh báo")).length >= 60,
        30_000,
      );
      // ... preferably while it is handling an update (polled closely for a few seconds).
      const handlingOnA = () => fake.webhookDeliveries.some((d) => d.target === targets[0] && d.endedAt === 0);
      for (const deadline = Date.now() + 4000; !handlingOnA() && Date.now() < deadline;)
        await new Promise((resolve) => setImmediate(resolve));
      const killedAt = Date.now();
      await bots[0].kill();
      const unrecorded = await query<{ text: string }>(url, `SELECT text FROM "Notification" WHERE status <> 'SENT'`);
      const deliveredTexts = new Set(
        fake
          .callsOf("sendMessage")
          .filter((c) => c.ok)
          .map((c) => String(c.params.text)),
      );
      const inFlightAtKill = unrecorded.filter((row) => deliveredTexts.has(row.text)).length;
      await sleep(1500);
      bots[0] = await spawn(0);
      await writing;

      const allUpdates = [...sent.values()].flat();
      await until("every update answered", () => fake.pendingUpdates().length === 0, 60_000);
      await until(
        "every notice recorded as sent",
        async () =>
          Number(
            (await query<{ n: number }>(url, `SELECT COUNT(*) AS n FROM "Notification" WHERE status = 'SENT'`))[0]!.n,
          ) === NOTICES,
        60_000,
      );
      await sleep(500);

      // Each update once, in order per chat.
      // In the killed process's hands when it died: the only updates that may have been answered twice.
      const diedOnA = fake.webhookDeliveries
        .filter((d) => d.target === targets[0] && d.status === 0 && d.startedAt <= killedAt)
        .map((d) => d.updateId);
      const handled = logs.flat().filter((line) => line.msg === "update handled");
      // An update the killed process had in hand may have been handled there (its log line lost with the
      // process, pino writes asynchronously) or handled again by the other: only those are not exactly one.
      for (const updateId of allUpdates) {
        const lines = handled.filter((line) => line.updateId === updateId).length;
        if (diedOnA.includes(updateId))
          expect(lines, `update ${updateId} (in hand at the kill)`).toBeLessThanOrEqual(2);
        else expect(lines, `update ${updateId}`).toBe(1);
      }
      expect(logs.flat().filter((line) => line.msg === "duplicate update ignored").length).toBeGreaterThanOrEqual(1);
      const claims = new Map(
        (
          await query<{
            updateId: string;
            handledAt: string | number | Date;
            finishedAt: string | number | Date | null;
          }>(url, `SELECT "updateId", "handledAt", "finishedAt" FROM "ProcessedUpdate"`)
        ).map((row) => [
          Number(row.updateId),
          { handledAt: instant(row.handledAt)!, finishedAt: instant(row.finishedAt) },
        ]),
      );
      expect(claims.has(999_999)).toBe(false);
      for (const [chatId, updateIds] of sent) {
        for (const [i, updateId] of updateIds.entries()) {
          const claim = claims.get(updateId)!;
          expect(claim.finishedAt, `update ${updateId} finished`).not.toBeNull();
          if (i > 0)
            expect(
              claim.handledAt,
              `update ${updateId} began after the previous one of chat ${chatId} finished`,
            ).toBeGreaterThanOrEqual(claims.get(updateIds[i - 1]!)!.finishedAt!);
        }
        const replies = fake.messagesIn(chatId).filter((m) => m.sender === "bot").length;
        const interrupted = updateIds.filter((id) => diedOnA.includes(id)).length;
        expect(replies).toBeGreaterThanOrEqual(MESSAGES_PER_CHAT);
        expect(replies).toBeLessThanOrEqual(MESSAGES_PER_CHAT + interrupted);
      }
      expect(fake.messagesIn(79_999)).toHaveLength(0);

      // Each notice delivered; duplicates at most those in flight at the kill.
      const counts = new Map<string, number>();
      for (const call of fake.callsOf("sendMessage"))
        if (call.ok && String(call.params.text).startsWith("Cảnh báo"))
          counts.set(String(call.params.text), (counts.get(String(call.params.text)) ?? 0) + 1);
      const duplicates = [...counts.values()].reduce((sum, n) => sum + n, 0) - counts.size;
      expect(counts.size).toBe(NOTICES);
      expect(duplicates).toBeLessThanOrEqual(inFlightAtKill);

      // Within Telegram's budget.
      expect(fake.calls.filter((c) => c.error?.error_code === 429)).toEqual([]);
      expect(fake.maxMessagesInAnySecond()).toBeLessThanOrEqual(30);

      // Each job occurrence once; the housekeeping occurrences all there but one its killed runner left.
      const ran = logs
        .flat()
        .filter((line) => line.msg === "job ran" || line.msg === "missed run skipped: too late to catch up");
      const keys = ran.map((line) => `${String(line.job)} ${String(line.slot)}`);
      expect(keys.length).toBe(new Set(keys).size);
      const slots = await query<{ job: string; slot: string; finishedAt: string | number | Date | null }>(
        url,
        `SELECT "job", "slot", "finishedAt" FROM "JobSlot" WHERE "job" = 'housekeeping' ORDER BY "slot"`,
      );
      const first = Date.parse(slots[0]!.slot);
      const last = Date.parse(slots[slots.length - 1]!.slot);
      const ranSlots = new Set(
        ran.filter((line) => line.job === "housekeeping").map((line) => Date.parse(String(line.slot))),
      );
      const unfinished = slots.filter((row) => row.finishedAt === null).map((row) => Date.parse(row.slot));
      expect(unfinished.length).toBeLessThanOrEqual(1);
      const missing: string[] = [];
      for (let at = first; at <= last; at += HOUSEKEEPING_SECONDS * 1000)
        if (!ranSlots.has(at) && !unfinished.includes(at)) missing.push(new Date(at).toISOString());
      expect(missing).toEqual([]);
      expect(ranSlots.size).toBeGreaterThanOrEqual(10);
      for (const job of ["rule-scan", "dues-reminders", "report-delivery"])
        expect(ran.filter((line) => line.job === job)).toHaveLength(1);

      // SIGTERM: the sender hands its role over and exits 0; the other takes it within seconds.
      const senderIndex = bots[1].logs.some((line) => line.msg === "this process is now the sender") ? 1 : 0;
      const standby = bots[1 - senderIndex]!;
      const handedAt = Date.now();
      expect((await bots[senderIndex]!.stop(15_000)).code).toBe(0);
      expect(bots[senderIndex]!.logs.some((line) => line.msg === "sender role handed over")).toBe(true);
      await standby.waitForLog(
        (line) => line.msg === "this process is now the sender" && Date.parse(String(line.time)) >= handedAt,
        5_000,
      );
      expect((await standby.stop(15_000)).code).toBe(0);
      console.log(
        `two processes: ${allUpdates.length} updates (${fake.webhookDeliveries.length} deliveries, ${diedOnA.length} cut by the kill), ${NOTICES} notices (${duplicates} sent twice, ${inFlightAtKill} in flight at the kill), ${ranSlots.size} housekeeping runs, at most ${fake.maxMessagesInAnySecond()} messages in a second`,
      );
    } finally {
      for (const bot of bots) if (bot?.running) await bot.kill();
      await fake.stop();
      release();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
