// The throttle on a fake clock: sleeping advances the clock, so every grant instant is exact.
import { describe, expect, it } from "vitest";
import { createThrottle, type ThrottleOptions } from "../../src/notify/throttle.js";

function fakeClock(start = 0) {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

function setup(options: ThrottleOptions = {}) {
  const clock = fakeClock();
  const throttle = createThrottle({
    perSecond: 25,
    perChatPerSecond: 1,
    perGroupPerMinute: 20,
    now: clock.now,
    sleep: clock.sleep,
    ...options,
  });
  const grants: { chatId: number; at: number }[] = [];
  /** One message to `chatId` whose request is answered at once. */
  const acquire = (chatId: number) =>
    throttle.send(chatId, () => {
      grants.push({ chatId, at: clock.t });
      return Promise.resolve();
    });
  return { clock, throttle, grants, acquire };
}

/** The most grants inside any half-open window (t - span, t]. */
function maxInWindow(times: number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - spanMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe("createThrottle", () => {
  it("lets 25 messages a second through overall, never 26 in any second", async () => {
    const { grants, acquire } = setup();
    for (let i = 1; i <= 100; i++) await acquire(i); // 100 different private chats
    const times = grants.map((g) => g.at);
    expect(times.slice(0, 25)).toEqual(Array(25).fill(0));
    expect(times[25]).toBe(1000);
    expect(times[50]).toBe(2000);
    expect(times[99]).toBe(3000);
    expect(maxInWindow(times, 1000)).toBe(25);
  });

  it("grants concurrent callers in call order with the same limits", async () => {
    const { grants, acquire } = setup();
    await Promise.all(Array.from({ length: 60 }, (_, i) => acquire(i + 1)));
    expect(grants.map((g) => g.chatId)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(
      maxInWindow(
        grants.map((g) => g.at),
        1000,
      ),
    ).toBe(25);
    expect(grants.at(-1)!.at).toBe(2000);
  });

  it("spaces messages to one chat by a second", async () => {
    const { grants, acquire } = setup();
    for (let i = 0; i < 5; i++) await acquire(7);
    expect(grants.map((g) => g.at)).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it("does not slow other chats when messages are interleaved", async () => {
    const { grants, acquire } = setup();
    for (let round = 0; round < 3; round++) for (const chat of [1, 2, 3]) await acquire(chat);
    expect(grants.map((g) => `${g.chatId}@${g.at}`)).toEqual([
      "1@0",
      "2@0",
      "3@0",
      "1@1000",
      "2@1000",
      "3@1000",
      "1@2000",
      "2@2000",
      "3@2000",
    ]);
  });

  it("allows a group 20 messages a minute (and still one a second)", async () => {
    const { grants, acquire } = setup();
    for (let i = 0; i < 23; i++) await acquire(-100123);
    const times = grants.map((g) => g.at);
    expect(times.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1000));
    expect(times[20]).toBe(60_000);
    expect(times[21]).toBe(61_000);
    expect(times[22]).toBe(62_000);
    expect(maxInWindow(times, 60_000)).toBe(20);
  });

  it("keeps the group limit per group, and private chats are not counted per minute", async () => {
    const { grants, acquire } = setup();
    for (let i = 0; i < 20; i++) await acquire(-1);
    await acquire(-2); // another group: free at once
    const otherGroupAt = grants.at(-1)!.at;
    expect(otherGroupAt).toBe(19_000);
    for (let i = 0; i < 25; i++) await acquire(42); // a private chat: one a second, no minute cap
    expect(grants.at(-1)!.at - grants.at(-25)!.at).toBe(24_000);
  });

  it("holds every send after pause (429 retry_after)", async () => {
    const { clock, throttle, grants, acquire } = setup();
    await acquire(1);
    throttle.pause(3000);
    await acquire(2);
    await acquire(3);
    expect(grants.map((g) => g.at)).toEqual([0, 3000, 3000]);
    expect(clock.t).toBe(3000);
  });

  it("forgets nothing it still needs when many chats come and go", async () => {
    const { grants, acquire } = setup({ perSecond: 1000 });
    for (let i = 1; i <= 600; i++) await acquire(i);
    await acquire(1); // the sweeps after 256 and 512 grants must not have forgotten chat 1 (granted at 0)
    expect(grants.at(-1)!.at).toBe(1000);
  });

  it("refuses something that is not a chat id", async () => {
    const { throttle } = setup();
    await expect(throttle.send(0, () => Promise.resolve())).rejects.toThrow(/not a chat id/);
    await expect(throttle.send(1.5, () => Promise.resolve())).rejects.toThrow(/not a chat id/);
    await throttle.send(5, () => Promise.resolve()); // the queue still works after a refusal
  });

  it("counts a message until its request is answered: a slow request holds its place in the window", async () => {
    const { clock, throttle } = setup({ perSecond: 2 });
    const answer: (() => void)[] = [];
    const slow = (chatId: number) => throttle.send(chatId, () => new Promise<void>((resolve) => answer.push(resolve)));
    const first = slow(1);
    const second = slow(2);
    let thirdAt: number | null = null;
    const third = throttle.send(3, () => {
      thirdAt = clock.t;
      return Promise.resolve();
    });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(answer).toHaveLength(2); // both in flight
    expect(thirdAt).toBeNull(); // and the third waits for one of them, however long
    clock.t = 1500;
    answer[0]!();
    await first;
    await third;
    expect(thirdAt).toBe(2500); // a second after the first was answered, not after it was granted
    answer[1]!();
    await second;
  });

  it("passes on the request's result and its failure, and frees the place either way", async () => {
    const { throttle } = setup({ perSecond: 1 });
    await expect(throttle.send(1, () => Promise.resolve(42))).resolves.toBe(42);
    await expect(throttle.send(2, () => Promise.reject(new Error("403")))).rejects.toThrow("403");
    await expect(throttle.send(3, () => Promise.resolve("next"))).resolves.toBe("next");
  });

  it("never lets more than perSecond arrive within a second when requests are delayed unevenly (real clock)", async () => {
    // The first five requests take 600 ms to reach the server (a busy CPU, a slow network), the rest none:
    // counted at the grant only, the next five would be granted at 1000 ms and arrive with the first five.
    const throttle = createThrottle({ perSecond: 5, perChatPerSecond: 5 });
    const arrivals: number[] = [];
    const began = Date.now();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        throttle.send(i + 1, async () => {
          if (i < 5) await new Promise((resolve) => setTimeout(resolve, 600));
          arrivals.push(Date.now() - began);
        }),
      ),
    );
    expect(arrivals).toHaveLength(12);
    expect(maxInWindow(arrivals, 1000)).toBeLessThanOrEqual(5);
  });

  it("grants nothing past the time allowed until it is extended (a sender whose lease is running out)", async () => {
    const { clock, throttle, grants, acquire } = setup({ perSecond: 1 });
    throttle.allowFor(1500);
    await acquire(1); // at 0
    await acquire(2); // at 1000, still before 1500
    let third = false;
    const pending = acquire(3).then(() => (third = true));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(third).toBe(false); // 2000 would be past 1500: held, however long
    clock.t = 4000;
    throttle.allowFor(5000); // renewed at 4000
    await pending;
    expect(grants.map((g) => g.at)).toEqual([0, 1000, 4000]);
  });

  it("validates its limits", () => {
    expect(() => createThrottle({ perSecond: 0 })).toThrow(/perSecond/);
    expect(() => createThrottle({ perGroupPerMinute: 2.5 })).toThrow(/perGroupPerMinute/);
  });
});
