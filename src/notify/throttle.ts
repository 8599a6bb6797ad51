// Telegram's broadcast limits, kept on our side so the bot is not answered 429: at most `perSecond` messages
// a second overall, `perChatPerSecond` a second to one chat, `perGroupPerMinute` a minute to one group
// (group and channel chats have negative ids).
//
// A sliding-window log per limit: `send` reserves the earliest instant at which every window that would
// contain the message still has room (N in any W milliseconds, never more, unlike a token bucket that
// allows a full bucket on top of the refill), then makes the call. Grants are made in call order (FIFO), one
// at a time, so the reserved instants never go backwards; a caller with many messages to one chat should
// interleave chats, or that chat's spacing holds up the others. Time is injected: tests run on a fake
// clock, the runtime on Date.now and setTimeout.
//
// A message counts from its grant until its call has settled, not at one instant: Telegram counts it when
// the request arrives, somewhere in between, and a busy CPU or network can hold a request back long enough
// that messages granted over more than a second arrive within one. While a call is in flight its message
// stays in every window; once settled, it counts at the moment it settled. So N messages in any W
// milliseconds of Telegram's clock, whatever the delays: of N + 1 arriving within W, the last one granted
// would have found the other N in flight or settled less than W before.

export interface ThrottleOptions {
  perSecond?: number;
  perChatPerSecond?: number;
  perGroupPerMinute?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Throttle {
  /**
   * Calls `call` (the request that sends one message to `chatId`) once the limits allow; the message counts
   * against them until the call has settled. Resolves or rejects as the call does.
   */
  send<T>(chatId: number, call: () => Promise<T>): Promise<T>;
  /** Holds every send for `ms` from now (Telegram's 429 retry_after); grants already waiting stay valid. */
  pause(ms: number): void;
  /**
   * Grants nothing from `ms` from now on, until called again (the sender role keeps it short of its lease:
   * a sender that lost its role without knowing stops before its successor starts). Open by default.
   */
  allowFor(ms: number): void;
}

export const TELEGRAM_LIMITS = { perSecond: 25, perChatPerSecond: 1, perGroupPerMinute: 20 } as const;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** One message in the windows: granted `at`; `end` is when its call settled, Infinity while it is in flight. */
interface Send {
  at: number;
  end: number;
}

/** The recent messages under one limit: those in flight or settled within the last `spanMs`. */
class Window {
  private sends: Send[] = [];
  constructor(
    readonly limit: number,
    readonly spanMs: number,
  ) {}

  /** Earliest instant at which one more message keeps at most `limit` in any `spanMs` (Infinity: wait for a call to settle). */
  earliest(now: number): number {
    this.sends = this.sends.filter((s) => s.end > now - this.spanMs);
    if (this.sends.length < this.limit) return Number.NEGATIVE_INFINITY;
    // The limit-th latest must have left the window (which is half-open: (t - span, t]).
    const ends = this.sends.map((s) => s.end).sort((a, b) => a - b);
    return ends[ends.length - this.limit]! + this.spanMs;
  }

  record(send: Send): void {
    this.sends.push(send);
  }

  /** True when the window no longer constrains anything after `now`. */
  idle(now: number): boolean {
    return this.sends.every((s) => s.end + this.spanMs <= now);
  }
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createThrottle(options: ThrottleOptions = {}): Throttle {
  const perSecond = options.perSecond ?? TELEGRAM_LIMITS.perSecond;
  const perChatPerSecond = options.perChatPerSecond ?? TELEGRAM_LIMITS.perChatPerSecond;
  const perGroupPerMinute = options.perGroupPerMinute ?? TELEGRAM_LIMITS.perGroupPerMinute;
  for (const [name, value] of Object.entries({ perSecond, perChatPerSecond, perGroupPerMinute })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`createThrottle: ${name} must be a positive integer, got ${value}`);
  }
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;

  const overall = new Window(perSecond, SECOND);
  const chats = new Map<number, Window>();
  const groups = new Map<number, Window>();
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let openUntil = Number.POSITIVE_INFINITY;
  let lastGrant = Number.NEGATIVE_INFINITY;
  let grantsSinceSweep = 0;
  let queue: Promise<void> = Promise.resolve();

  const windowOf = (map: Map<number, Window>, chatId: number, limit: number, spanMs: number) => {
    let window = map.get(chatId);
    if (!window) {
      window = new Window(limit, spanMs);
      map.set(chatId, window);
    }
    return window;
  };

  /** Forgets chats that have been quiet for longer than their window, so the maps stay small. */
  const sweep = (at: number) => {
    for (const map of [chats, groups]) {
      for (const [chatId, window] of map) if (window.idle(at)) map.delete(chatId);
    }
  };

  /** Resolves when some call settles (an in-flight message leaves the windows' future) or allowFor extends. */
  let settled: { promise: Promise<void>; resolve: () => void } | null = null;
  const nextSettled = () => {
    if (!settled) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      settled = { promise, resolve };
    }
    return settled.promise;
  };

  const grant = async (chatId: number): Promise<Send> => {
    const chat = windowOf(chats, chatId, perChatPerSecond, SECOND);
    const group = chatId < 0 ? windowOf(groups, chatId, perGroupPerMinute, MINUTE) : undefined;
    let start = now();
    let at = Number.POSITIVE_INFINITY;
    for (;;) {
      at = Math.max(
        start,
        lastGrant,
        pausedUntil,
        overall.earliest(start),
        chat.earliest(start),
        group?.earliest(start) ?? Number.NEGATIVE_INFINITY,
      );
      if (at !== Number.POSITIVE_INFINITY && at < openUntil) break;
      await nextSettled();
      start = now();
    }
    if (at > start) await sleep(at - start);
    // Grants run one at a time (the queue below), so the send is recorded when it is actually let go: a
    // process woken late (a busy CPU) must not let the sends it owed go out bunched within one window.
    const sentAt = Math.max(at, now());
    const send: Send = { at: sentAt, end: Number.POSITIVE_INFINITY };
    overall.record(send);
    chat.record(send);
    group?.record(send);
    lastGrant = sentAt;
    if (++grantsSinceSweep >= 256) {
      grantsSinceSweep = 0;
      sweep(start);
    }
    return send;
  };

  const wakeWaiting = () => {
    const waiting = settled;
    settled = null;
    waiting?.resolve();
  };

  const settle = (send: Send) => {
    send.end = Math.max(send.at, now());
    wakeWaiting();
  };

  return {
    async send<T>(chatId: number, call: () => Promise<T>): Promise<T> {
      if (!Number.isSafeInteger(chatId) || chatId === 0) throw new Error(`throttle: not a chat id: ${chatId}`);
      const granted = queue.then(() => grant(chatId));
      queue = granted.then(
        () => undefined,
        () => undefined,
      );
      const send = await granted;
      try {
        return await call();
      } finally {
        settle(send);
      }
    },
    pause(ms: number): void {
      if (ms > 0) pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    allowFor(ms: number): void {
      openUntil = now() + Math.max(0, ms);
      wakeWaiting();
    },
  };
}
