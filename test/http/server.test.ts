// The webhook's HTTP server on its own: the secret is checked before anything is read, an update is answered
// once handled (an error asks Telegram to deliver it again), and a drain refuses new updates (503, health
// too) while the ones in the handler finish.
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Update } from "telegraf/types";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";

const SECRET = "s".repeat(40);
const update = (id: number) => ({
  update_id: id,
  message: { message_id: 1, date: 0, chat: { id: 5, type: "private" }, text: "hi" },
});

let server: HttpServer | null = null;
afterEach(async () => {
  await server?.drain();
  server = null;
});

async function start(handleUpdate: (update: Update) => Promise<void>) {
  server = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    webhookPath: "/hook",
    secret: SECRET,
    handleUpdate,
    health: () => Promise.resolve({ ok: true, role: "standby" }),
    logger: pino({ level: "silent" }),
  });
  const base = `http://127.0.0.1:${server.port}`;
  const post = (body: unknown, secret: string | null = SECRET) =>
    fetch(`${base}/hook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
      },
      body: JSON.stringify(body),
    });
  return { base, post };
}

describe("the webhook server", () => {
  it("refuses a request without the right secret (403) and hands nothing to the bot", async () => {
    const handled: number[] = [];
    const { post } = await start((u) => {
      handled.push(u.update_id);
      return Promise.resolve();
    });
    for (const secret of [null, "", "wrong", SECRET.slice(1), `${SECRET}x`])
      expect((await post(update(1), secret)).status).toBe(403);
    expect(handled).toEqual([]);
    expect((await post(update(2))).status).toBe(200);
    expect(handled).toEqual([2]);
  });

  it("answers 200 once the update was handled, 500 when it failed (Telegram delivers it again), 400 to junk", async () => {
    const { post, base } = await start((u) =>
      u.update_id === 9 ? Promise.reject(new Error("chat busy")) : Promise.resolve(),
    );
    expect((await post(update(8))).status).toBe(200);
    expect((await post(update(9))).status).toBe(500);
    expect((await post({ no: "update id" })).status).toBe(400);
    expect((await fetch(`${base}/other`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("draining: new updates and /healthz get 503 while the update in the handler finishes", async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const handled: number[] = [];
    const { post, base } = await start(async (u) => {
      if (u.update_id === 1) await blocked;
      handled.push(u.update_id);
    });
    const inFlight = post(update(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const draining = server!.drain();
    expect(server!.draining).toBe(true);
    expect((await post(update(2))).status).toBe(503);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, draining: true });
    release();
    expect((await inFlight).status).toBe(200);
    await draining;
    expect(handled).toEqual([1]);
  });
});
