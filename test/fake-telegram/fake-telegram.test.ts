import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Input, Markup, Telegraf, Telegram, TelegramError } from "telegraf";
import { FakeTelegram } from "./server.js";

let fake: FakeTelegram;
let tg: Telegram;
let bot: Telegraf | undefined;
let launched: Promise<unknown> | undefined;

beforeEach(async () => {
  fake = await FakeTelegram.start();
  tg = new Telegram(fake.token, { apiRoot: fake.apiRoot });
});

afterEach(async () => {
  if (bot) {
    try {
      bot.stop("test over");
    } catch {
      /* not running */
    }
    await launched;
  }
  bot = undefined;
  launched = undefined;
  await fake.stop();
});

/** Starts a real polling Telegraf bot against the fake; resolves once it is polling. */
async function startBot(setup: (b: Telegraf) => void): Promise<Telegraf> {
  const b = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  setup(b);
  bot = b;
  launched = b.launch().catch((e: unknown) => e);
  const deadline = Date.now() + 3000;
  while (fake.callsOf("getUpdates").length === 0) {
    if (Date.now() > deadline) throw new Error("bot did not start polling");
    await new Promise((r) => setTimeout(r, 5));
  }
  return b;
}

async function apiError(p: Promise<unknown>): Promise<TelegramError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TelegramError) return e;
    throw e;
  }
  throw new Error("expected the API call to fail");
}

/** every byte value, plus sequences that could confuse a multipart parser */
function nastyBytes(): Buffer {
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  return Buffer.concat([
    Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1]), // invalid UTF-8
    Buffer.from('\r\n--\r\n\r\n--boundary\r\ncontent-disposition:form-data; name="chat_id"\r\n\r\n'),
    all,
    Buffer.from("\r\n"),
  ]);
}

describe("FakeTelegram with a real polling Telegraf bot", () => {
  it("round-trips a /start deep link, an inline button and an edit", async () => {
    const seenEntities: unknown[] = [];
    await startBot((b) => {
      b.start(async (ctx) => {
        seenEntities.push(ctx.message.entities);
        await ctx.reply(
          `Hello ${ctx.from.first_name}, code ${ctx.payload}`,
          Markup.inlineKeyboard([
            [Markup.button.callback("Confirm ✅", "confirm:1"), Markup.button.callback("Cancel", "cancel")],
          ]),
        );
      });
      b.action("confirm:1", async (ctx) => {
        await ctx.answerCbQuery("Done");
        await ctx.editMessageText("Confirmed");
      });
    });
    const an = fake.user(1001, { firstName: "An", languageCode: "vi" });
    const { updateId } = an.sendText("/start CODE42");
    expect(updateId).toBeGreaterThan(0);

    const hello = await an.waitForMessage();
    expect(hello.text).toBe("Hello An, code CODE42");
    // telegraf's `hide: false` is not part of the stored (Telegram) button
    expect(hello.buttons).toEqual([
      { text: "Confirm ✅", callback_data: "confirm:1" },
      { text: "Cancel", callback_data: "cancel" },
    ]);
    expect(seenEntities).toEqual([[{ type: "bot_command", offset: 0, length: 6 }]]);

    const cb = an.pressButton("Confirm");
    const answer = await an.waitForCallbackAnswer(cb);
    expect(answer.text).toBe("Done");
    const edited = await an.waitForMessage((m) => m.text === "Confirmed");
    expect(edited.message_id).toBe(hello.message_id);
    // editMessageText without reply_markup removes the inline keyboard, like Telegram
    expect(edited.buttons).toEqual([]);
    expect(edited.history).toHaveLength(1);
    expect(edited.history[0]?.text).toBe("Hello An, code CODE42");
    expect(an.messages()).toHaveLength(1);

    // a second answer to the same query is refused
    const again = await apiError(tg.answerCbQuery(cb));
    expect(again.code).toBe(400);
    expect(again.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
    // the message no longer has the button
    expect(() => an.pressButton("Confirm")).toThrow(/no button matching "Confirm"/);
  });

  it("redelivers an update with the same update_id", async () => {
    const seen: number[] = [];
    await startBot((b) => {
      b.on("message", async (ctx) => {
        seen.push(ctx.update.update_id);
        await ctx.reply(`got ${seen.length}`);
      });
    });
    const u = fake.user(7);
    const { updateId } = u.sendText("hello");
    await u.waitForMessage((m) => m.text === "got 1");
    fake.redeliver(updateId);
    u.mark();
    await u.waitForMessage((m) => m.text === "got 2");
    expect(seen).toEqual([updateId, updateId]);
  });

  it("confirms an update only once the bot has handled it", async () => {
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    await startBot((b) => {
      b.on("message", async (ctx) => {
        await blocked;
        await ctx.reply("done");
      });
    });
    const u = fake.user(8);
    const { updateId } = u.sendText("hello");
    // Delivered, still being handled: not confirmed.
    await expect(fake.waitForConfirmed(updateId, 300)).rejects.toThrow(/not confirmed within 300 ms/);
    release();
    await u.waitForHandled();
    expect(u.lastMessage()?.text).toBe("done");
    await expect(fake.waitForConfirmed(updateId + 1000)).rejects.toThrow(/unknown update_id/);
  });

  it("delivers a user document that the bot downloads byte-exact through getFile", async () => {
    await startBot((b) => {
      b.on("document", async (ctx) => {
        const link = await ctx.telegram.getFileLink(ctx.message.document.file_id);
        const res = await fetch(link);
        const bytes = Buffer.from(await res.arrayBuffer());
        await ctx.reply(
          `${ctx.message.document.file_name} ${ctx.message.document.mime_type} ${bytes.length} ${createHash("sha256").update(bytes).digest("hex")}`,
        );
      });
    });
    const content = nastyBytes();
    const u = fake.user(42);
    u.sendDocument({ fileName: "Danh sách đảng viên.csv", mimeType: "text/csv", content, caption: "tháng 5" });
    const reply = await u.waitForMessage();
    expect(reply.text).toBe(
      `Danh sách đảng viên.csv text/csv ${content.length} ${createHash("sha256").update(content).digest("hex")}`,
    );
    const getFile = fake.callsOf("getFile")[0];
    expect(getFile?.ok).toBe(true);
    expect((getFile?.result as { file_path: string }).file_path).toMatch(/^documents\/file_\d+\.csv$/);
  });

  it("sends forged callback data with pressData and finds buttons by predicate", async () => {
    const data: string[] = [];
    await startBot((b) => {
      b.command("menu", (ctx) =>
        ctx.reply(
          "Menu",
          Markup.inlineKeyboard([
            Markup.button.callback("Một", "pick:1"),
            Markup.button.url("Web", "https://example.org"),
          ]),
        ),
      );
      b.on("callback_query", async (ctx) => {
        const d = "data" in ctx.callbackQuery ? ctx.callbackQuery.data : "";
        data.push(d);
        await ctx.answerCbQuery(d.startsWith("pick:") ? undefined : "Invalid");
      });
    });
    const u = fake.user(11);
    u.sendText("/menu");
    const menu = await u.waitForMessage((m) => m.text === "Menu");
    await u.waitForCallbackAnswer(u.pressButton((b) => b.callback_data === "pick:1"));
    const forged = await u.waitForCallbackAnswer(u.pressData("admin:delete-all", menu.message_id));
    expect(forged.text).toBe("Invalid");
    expect(data).toEqual(["pick:1", "admin:delete-all"]);
    expect(() => u.pressButton("Web")).toThrow(/not a callback button/);
    await u.expectNoMessage(50);
  });

  it("lets the polling loop recover from a 429 on getUpdates", async () => {
    fake.failNext("getUpdates", { error_code: 429, retry_after: 0 });
    await startBot((b) => b.on("text", (ctx) => ctx.reply("pong")));
    const u = fake.user(5);
    u.sendText("ping");
    expect((await u.waitForMessage()).text).toBe("pong");
    const [first] = fake.callsOf("getUpdates");
    expect(first?.error).toEqual({
      error_code: 429,
      description: "Too Many Requests: retry after 0",
      parameters: { retry_after: 0 },
    });
  });

  it("reports what the bot did when waitForMessage times out", async () => {
    await startBot((b) =>
      b.on("text", async (ctx) => {
        await ctx.reply("x", Markup.inlineKeyboard([Markup.button.callback("bad", "d".repeat(65))])).catch(() => {});
        await ctx.reply("something else");
      }),
    );
    const u = fake.user(9);
    u.sendText("hi");
    const err = await u.waitForMessage((m) => m.text === "never", 300).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/FAILED sendMessage → 400 Bad Request: BUTTON_DATA_INVALID/);
    expect((err as Error).message).toMatch(/sent #\d+: "something else"/);
  });
});

describe("FakeTelegram strictness (telegraf Telegram client)", () => {
  it("refuses a wrong token with 401 and unknown methods with 404", async () => {
    const wrong = new Telegram("123456:WRONG-token-ABCDEFGHIJKLMNOPQRSTUVW", { apiRoot: fake.apiRoot });
    const e = await apiError(wrong.getMe());
    expect(e.response).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    const me = await tg.getMe();
    expect(me).toMatchObject({ id: 123456, is_bot: true, username: "chibo_test_bot" });
    const unknown = await apiError(tg.callApi("fooBar" as "getMe", {}));
    expect(unknown.response).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
    // method names are case-insensitive, like Telegram's
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/GETME`);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  });

  it("refuses 65-byte callback data with BUTTON_DATA_INVALID (bytes, not characters)", async () => {
    fake.user(1).sendText("hi");
    const kb = (data: string) => Markup.inlineKeyboard([Markup.button.callback("b", data)]);
    await expect(tg.sendMessage(1, "ok", kb("x".repeat(64)))).resolves.toMatchObject({ text: "ok" });
    for (const data of ["x".repeat(65), "ệ".repeat(22), ""]) {
      const e = await apiError(tg.sendMessage(1, "x", kb(data)));
      expect(e.code).toBe(400);
      expect(e.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    }
    const textOnly = await apiError(
      tg.sendMessage(1, "x", { reply_markup: { inline_keyboard: [[{ text: "no action" } as never]] } }),
    );
    expect(textOnly.description).toMatch(/Text buttons are unallowed in the inline keyboard/);
  });

  it("enforces text length 1..4096 and caption length ≤ 1024", async () => {
    fake.user(1).sendText("hi");
    await expect(tg.sendMessage(1, "é".repeat(4096))).resolves.toBeTruthy();
    const long = await apiError(tg.sendMessage(1, "a".repeat(4097)));
    expect(long.description).toBe("Bad Request: message is too long");
    const empty = await apiError(tg.sendMessage(1, "  \n "));
    expect(empty.description).toBe("Bad Request: message text is empty");
    const emptyHtml = await apiError(tg.sendMessage(1, "<b> </b>", { parse_mode: "HTML" }));
    expect(emptyHtml.description).toBe("Bad Request: message text is empty");
    const caption = await apiError(
      tg.sendDocument(1, Input.fromBuffer(Buffer.from("x"), "a.txt"), { caption: "c".repeat(1025) }),
    );
    expect(caption.description).toBe("Bad Request: message caption is too long");
  });

  it("parses HTML like Telegram and rejects bad markup", async () => {
    const u = fake.user(1);
    u.sendText("hi");
    const m = await tg.sendMessage(1, '<b>Chi bộ</b> &lt;3&gt; &amp; <a href="https://x.vn/?a=1&amp;b=2">link</a>', {
      parse_mode: "HTML",
    });
    expect(m.text).toBe("Chi bộ <3> & link");
    expect(m.entities).toEqual([
      { type: "bold", offset: 0, length: 6 },
      { type: "text_link", offset: 13, length: 4, url: "https://x.vn/?a=1&b=2" },
    ]);
    expect(u.lastMessage()?.text).toBe("Chi bộ <3> & link");
    const unclosed = await apiError(tg.sendMessage(1, "<b>bold", { parse_mode: "HTML" }));
    expect(unclosed.description).toBe(
      "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
    );
    const unknown = await apiError(tg.sendMessage(1, "<div>x</div>", { parse_mode: "HTML" }));
    expect(unknown.description).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0',
    );
    const crossed = await apiError(tg.sendMessage(1, "<b><i>x</b></i>", { parse_mode: "HTML" }));
    expect(crossed.description).toMatch(/Unmatched end tag at byte offset 7, expected "<\/i>", found "<\/b>"/);
    const lt = await apiError(tg.sendMessage(1, "a < b", { parse_mode: "HTML" }));
    expect(lt.description).toMatch(/can't parse entities: Unsupported start tag "" at byte offset 2/);
    const md = await apiError(tg.sendMessage(1, "Total: 5.", { parse_mode: "MarkdownV2" }));
    expect(md.description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
  });

  it("refuses edits that change nothing, and edits/deletes of missing messages", async () => {
    fake.user(1).sendText("hi");
    const kb = Markup.inlineKeyboard([Markup.button.callback("A", "a")]);
    const sent = await tg.sendMessage(1, "Question?", kb);
    const same = await apiError(tg.editMessageText(1, sent.message_id, undefined, "Question?", kb));
    expect(same.description).toBe(
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current message content and reply markup of the message",
    );
    const sameMarkup = await apiError(tg.editMessageReplyMarkup(1, sent.message_id, undefined, kb.reply_markup));
    expect(sameMarkup.code).toBe(400);
    // same text without the keyboard is a modification (the keyboard goes away)
    await tg.editMessageText(1, sent.message_id, undefined, "Question?");
    expect(fake.message(1, sent.message_id)?.buttons).toEqual([]);
    const noKb = await apiError(tg.editMessageText(1, sent.message_id, undefined, "Question?"));
    expect(noKb.description).toMatch(/message is not modified/);
    // different formatting of the same text is a modification
    await tg.editMessageText(1, sent.message_id, undefined, "<b>Question?</b>", { parse_mode: "HTML" });

    const missingEdit = await apiError(tg.editMessageText(1, 999, undefined, "x"));
    expect(missingEdit.description).toBe("Bad Request: message to edit not found");
    await tg.deleteMessage(1, sent.message_id);
    const missingDelete = await apiError(tg.deleteMessage(1, sent.message_id));
    expect(missingDelete.description).toBe("Bad Request: message to delete not found");
    const editDeleted = await apiError(tg.editMessageText(1, sent.message_id, undefined, "y"));
    expect(editDeleted.description).toBe("Bad Request: message to edit not found");
    expect(fake.messagesIn(1)).toEqual([]);
    expect(fake.messagesIn(1, { includeDeleted: true })[0]?.history).toHaveLength(2);
  });

  it("answers 403 for users who never started the bot or blocked it", async () => {
    const never = await apiError(tg.sendMessage(555, "hello"));
    expect(never.response).toEqual({
      ok: false,
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    const u = fake.user(556);
    u.sendText("/start");
    await tg.sendMessage(556, "welcome");
    fake.block(556);
    const blocked = await apiError(tg.sendMessage(556, "still there?"));
    expect(blocked.response).toEqual({
      ok: false,
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    u.sendText("/start"); // "Restart" unblocks
    await expect(tg.sendMessage(556, "welcome back")).resolves.toBeTruthy();
    const unknownCb = await apiError(tg.answerCbQuery("12345"));
    expect(unknownCb.description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
  });

  it("injects failures with failNext (429 carries retry_after)", async () => {
    fake.user(1).sendText("hi");
    fake.failNext("sendMessage", { error_code: 429, retry_after: 7 }, 2);
    for (let i = 0; i < 2; i++) {
      const e = await apiError(tg.sendMessage(1, "x"));
      expect(e.code).toBe(429);
      expect(e.parameters).toEqual({ retry_after: 7 });
      expect(e.description).toBe("Too Many Requests: retry after 7");
    }
    await expect(tg.sendMessage(1, "x")).resolves.toMatchObject({ text: "x" });
    fake.failNext("sendMessage", { error_code: 403, description: "Forbidden: user is deactivated" });
    const e = await apiError(tg.sendMessage(1, "x"));
    expect(e.response).toEqual({ ok: false, error_code: 403, description: "Forbidden: user is deactivated" });
    expect(fake.callsOf("sendMessage").map((c) => c.ok)).toEqual([false, false, true, false]);
  });

  it("goes offline: connections are cut and refused (network errors, no answer) until it is back", async () => {
    const polling = tg.getUpdates(30, 100, 0, []).then(
      () => "answered",
      (e: unknown) => (e as Error).name,
    );
    await new Promise((r) => setTimeout(r, 50));
    fake.goOffline();
    expect(await polling).toBe("FetchError");
    const refused = await tg.sendMessage(1, "x").catch((e: unknown) => e as Error);
    expect(refused).toMatchObject({ name: "FetchError" });
    expect(fake.offlineAttempts.length).toBeGreaterThanOrEqual(1);
    expect(fake.callsOf("sendMessage")).toEqual([]);
    fake.goOnline();
    fake.user(1).sendText("hi");
    await expect(tg.sendMessage(1, "x")).resolves.toMatchObject({ text: "x" });
  });

  it("holds calls until released one by one, or drops them as a dead process would", async () => {
    fake.user(1).sendText("hi");
    fake.hold();
    const first = tg.sendMessage(1, "một");
    const second = tg.sendMessage(1, "hai").catch((e: unknown) => (e as Error).name);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.heldCalls()).toEqual(["sendMessage", "sendMessage"]);
    expect(fake.messagesIn(1)).toEqual([]);
    expect(fake.releaseHeld()).toBe(true);
    await expect(first).resolves.toMatchObject({ text: "một" });
    fake.dropHeld();
    expect(await second).toBe("FetchError");
    expect(fake.messagesIn(1).map((m) => m.text)).toEqual(["một"]);
    await expect(tg.sendMessage(1, "ba")).resolves.toMatchObject({ text: "ba" });
  });

  it("answers the older of two overlapping getUpdates with 409 Conflict", async () => {
    const other = new Telegram(fake.token, { apiRoot: fake.apiRoot });
    const first = tg.getUpdates(5, 100, 0, []);
    await new Promise((r) => setTimeout(r, 50));
    const secondP = other.getUpdates(0, 100, 0, []);
    const conflict = await apiError(first);
    expect(conflict.response).toEqual({
      ok: false,
      error_code: 409,
      description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    await expect(secondP).resolves.toEqual([]);
  });

  it("implements getUpdates offset, limit and long polling", async () => {
    const u = fake.user(3);
    const ids = [u.sendText("a").updateId, u.sendText("b").updateId, u.sendText("c").updateId];
    const firstTwo = await tg.getUpdates(0, 2, 0, []);
    expect(firstTwo.map((x) => x.update_id)).toEqual(ids.slice(0, 2));
    // without a new offset nothing is confirmed
    expect((await tg.getUpdates(0, 100, 0, [])).map((x) => x.update_id)).toEqual(ids);
    const rest = await tg.getUpdates(0, 100, (ids[1] as number) + 1, []);
    expect(rest.map((x) => x.update_id)).toEqual([ids[2]]);
    // long poll: held until an update arrives
    const started = Date.now();
    const pending = tg.getUpdates(5, 100, (ids[2] as number) + 1, []);
    setTimeout(() => u.sendText("d"), 100);
    const got = await pending;
    expect(got).toHaveLength(1);
    expect((got[0] as { message: { text: string } }).message.text).toBe("d");
    expect(Date.now() - started).toBeLessThan(2000);
    // long poll with nothing to deliver times out with []
    await expect(tg.getUpdates(1, 100, got[0]!.update_id + 1, [])).resolves.toEqual([]);
  });

  it("stores sendDocument multipart uploads byte-exact and serves them through getFile", async () => {
    const u = fake.user(77);
    u.sendText("/report");
    const bytes = nastyBytes();
    const msg = await tg.sendDocument(77, Input.fromBuffer(bytes, "Báo cáo tháng 5.xlsx"), {
      caption: "<b>Báo cáo</b> tháng 5",
      parse_mode: "HTML",
      ...Markup.inlineKeyboard([Markup.button.callback("Xong", "done")]),
    });
    expect(msg.document).toMatchObject({
      file_name: "Báo cáo tháng 5.xlsx",
      mime_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      file_size: bytes.length,
    });
    expect(msg.caption).toBe("Báo cáo tháng 5");
    const [doc] = u.receivedDocuments();
    expect(doc?.bytes.equals(bytes)).toBe(true);
    expect(doc?.fileName).toBe("Báo cáo tháng 5.xlsx");
    expect(u.lastMessage()?.buttons).toEqual([{ text: "Xong", callback_data: "done" }]);

    const call = fake.callsOf("sendDocument")[0];
    expect(call?.transport).toBe("multipart");
    expect(call?.params).toMatchObject({
      chat_id: "77",
      document: { fileName: "Báo cáo tháng 5.xlsx", size: bytes.length },
      reply_markup: { inline_keyboard: [[{ text: "Xong", callback_data: "done", hide: false }]] },
    });
    expect(call?.params).not.toHaveProperty("method");

    const link = await tg.getFileLink(msg.document.file_id);
    const downloaded = Buffer.from(await (await fetch(link)).arrayBuffer());
    expect(downloaded.equals(bytes)).toBe(true);

    // re-sending by file_id (JSON request) reuses the stored file
    const again = await tg.sendDocument(77, msg.document.file_id);
    expect(again.document.file_unique_id).toBe(msg.document.file_unique_id);
    expect(u.receivedDocuments()).toHaveLength(2);

    const bad = await apiError(tg.getFile("nope"));
    expect(bad.description).toBe("Bad Request: invalid file_id");
    const badDoc = await apiError(tg.sendDocument(77, "nope"));
    expect(badDoc.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
  });

  it("accepts standard multipart (fetch FormData), urlencoded and GET query requests", async () => {
    fake.user(8).sendText("hi");
    const form = new FormData();
    form.set("chat_id", "8");
    form.set("reply_markup", JSON.stringify({ inline_keyboard: [[{ text: "Go", url: "https://example.org" }]] }));
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000100000000808020000", "hex");
    form.set("photo", new Blob([png], { type: "image/png" }), "p.png");
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendPhoto`, { method: "POST", body: form });
    const body = (await res.json()) as { ok: boolean; result: { photo: Array<{ width: number; height: number }> } };
    expect(body.ok).toBe(true);
    expect(body.result.photo[0]).toMatchObject({ width: 16, height: 8 });

    const q = await fetch(
      `${fake.apiRoot}/bot${fake.token}/sendMessage?chat_id=8&text=${encodeURIComponent("xin chào")}`,
    );
    expect(((await q.json()) as { result: { text: string } }).result.text).toBe("xin chào");
    const ue = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({ chat_id: "8", text: "form" }),
    });
    expect(ue.status).toBe(200);
    expect(fake.messagesIn(8).map((m) => m.text ?? "[photo]")).toEqual(["[photo]", "xin chào", "form"]);
  });

  it("stores setMyCommands per scope and language", async () => {
    await tg.setMyCommands([{ command: "start", description: "Bắt đầu" }]);
    await tg.setMyCommands([{ command: "help", description: "Help" }], {
      scope: { type: "all_private_chats" },
      language_code: "en",
    });
    expect(fake.commands()).toEqual([{ command: "start", description: "Bắt đầu" }]);
    expect(fake.commands({ type: "all_private_chats" }, "en")).toEqual([{ command: "help", description: "Help" }]);
    expect(fake.commands({ type: "all_private_chats" })).toEqual([]);
    const e = await apiError(tg.setMyCommands([{ command: "Bad-Command", description: "x" }]));
    expect(e.description).toBe("Bad Request: BOT_COMMAND_INVALID");
  });
});

describe("FakeTelegram group chats", () => {
  it("lets the bot post only while it is in the group, and delivers members' messages with their sender", async () => {
    const group = fake.group(-1005, "Chi bộ Ấp 1");
    expect((await apiError(tg.sendMessage(-1005, "hi"))).response.error_code).toBe(403);
    expect((await apiError(tg.sendMessage(-999, "hi"))).response.description).toBe("Bad Request: chat not found");
    const seen: { type: string; chat: number; from?: number; text?: string }[] = [];
    await startBot((b) => {
      b.on(
        "my_chat_member",
        (ctx) => void seen.push({ type: ctx.myChatMember.new_chat_member.status, chat: ctx.chat.id }),
      );
      b.on(
        "message",
        (ctx) =>
          void seen.push({
            type: ctx.chat.type,
            chat: ctx.chat.id,
            from: ctx.from.id,
            text: "text" in ctx.message ? ctx.message.text : undefined,
          }),
      );
    });
    group.addBot(7);
    group.sendText(8, "/lienketnhom");
    for (let waited = 0; seen.length < 2 && waited < 3000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([
      { type: "member", chat: -1005 },
      { type: "group", chat: -1005, from: 8, text: "/lienketnhom" },
    ]);
    await tg.sendMessage(-1005, "Thông báo");
    expect(fake.messagesIn(-1005).map((m) => m.text)).toEqual(["Thông báo"]);
    group.removeBot(7);
    expect((await apiError(tg.sendMessage(-1005, "again"))).response.error_code).toBe(403);
  });
});

describe("webhook", () => {
  it("checks setWebhook as Telegram does, and refuses getUpdates while a webhook is set", async () => {
    await expect(tg.setWebhook("http://bot.example/hook")).rejects.toMatchObject({
      response: { error_code: 400, description: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook" },
    });
    await expect(tg.setWebhook("https://bot.example/hook", { secret_token: "no spaces!" })).rejects.toMatchObject({
      response: { error_code: 400 },
    });
    expect(
      await tg.setWebhook("https://bot.example/hook", { secret_token: "abc_DEF-123", allowed_updates: ["message"] }),
    ).toBe(true);
    expect(fake.webhookInfo()).toEqual({
      url: "https://bot.example/hook",
      secretToken: "abc_DEF-123",
      allowedUpdates: ["message"],
    });
    expect((await tg.getWebhookInfo()).url).toBe("https://bot.example/hook");
    await expect(tg.callApi("getUpdates", {})).rejects.toMatchObject({ response: { error_code: 409 } });
    expect(await tg.deleteWebhook()).toBe(true);
    expect(await tg.callApi("getUpdates", {})).toEqual([]);
  });

  it("posts updates with the secret to the backends in turn, a chat in order, until one answers 2xx", async () => {
    const { createServer } = await import("node:http");
    const seen: Array<{ backend: number; updateId: number; secret: unknown }> = [];
    let failFirst = true;
    const backends = await Promise.all(
      [0, 1].map(
        (backend) =>
          new Promise<{ url: string; close(): void }>((resolve) => {
            const server = createServer((req, res) => {
              let body = "";
              req.on("data", (chunk: Buffer) => (body += chunk.toString()));
              req.on("end", () => {
                const update = JSON.parse(body) as { update_id: number };
                seen.push({
                  backend,
                  updateId: update.update_id,
                  secret: req.headers["x-telegram-bot-api-secret-token"],
                });
                if (failFirst) {
                  failFirst = false;
                  res.writeHead(500).end();
                } else res.writeHead(200).end();
              });
            });
            server.listen(0, "127.0.0.1", () =>
              resolve({
                url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
                close: () => server.close(),
              }),
            );
          }),
      ),
    );
    try {
      await tg.setWebhook("https://bot.example/hook", { secret_token: "sekret" });
      fake.deliverWebhooksTo(backends.map((b) => b.url));
      const user = fake.user(4001);
      const ids = [user.sendText("one").updateId, user.sendText("two").updateId, user.sendText("three").updateId];
      for (let i = 0; i < 100 && fake.pendingUpdates().length > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(fake.pendingUpdates()).toEqual([]);
      // The first delivery failed (500) and went again to the other backend before the chat's next update.
      expect(seen.map((s) => s.updateId)).toEqual([ids[0], ids[0], ids[1], ids[2]]);
      expect(seen.map((s) => s.backend)).toEqual([0, 1, 0, 1]);
      expect(seen.every((s) => s.secret === "sekret")).toBe(true);
      expect(fake.webhookDeliveries.map((d) => d.status)).toEqual([500, 200, 200, 200]);
    } finally {
      for (const b of backends) b.close();
    }
  });

  it("answers 429 past the messages-per-second limit", async () => {
    const limited = await FakeTelegram.start({ messagesPerSecond: 3 });
    try {
      const api = new Telegram(limited.token, { apiRoot: limited.apiRoot });
      limited.user(4002).started = true;
      for (let i = 0; i < 3; i++) await api.sendMessage(4002, `m${i}`);
      await expect(api.sendMessage(4002, "one too many")).rejects.toMatchObject({
        response: { error_code: 429, parameters: { retry_after: 1 } },
      });
      expect(limited.maxMessagesInAnySecond()).toBe(3);
    } finally {
      await limited.stop();
    }
  });
});
