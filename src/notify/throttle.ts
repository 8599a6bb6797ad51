// Telegram's broadcast limits, kept on our side so the bot is not answered 429: at most `perSecond` messages
// a second overall, `perChatPerSecond` a second to one chat, `perGroupPerMinute` a minute to one group
// (group and channel chats have negative ids).
//
// A sliding-window log per limit: `acquire` reserves the earliest instant at which every window that would
// contain the send still has room (N sends in any W milliseconds, never more, unlike a token bucket that
// allows a full bucket on top of the refill), records it, and waits until then. Grants are made in call
// order (FIFO), one at a time, so the reserved instants never go backwards; a caller with many messages to
// one chat should interleave chats, or that chat's spacing holds up the others. Time is injected: tests run
// on a fake clock, the runtime on Date.now and setTimeout.

export interface ThrottleOptions {
  perSecond?: number;
  perChatPerSecond?: number;
  perGroupPerMinute?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Throttle {
  /** Resolves when a message to `chatId` may be sent; counts it against the limits. */
  acquire(chatId: number): Promise<void>;
  /** Holds every send for `ms` from now (Telegram's 429 retry_after); grants already waiting stay valid. */
  pause(ms: number): void;
}

export const TELEGRAM_LIMITS = { perSecond: 25, perChatPerSecond: 1, perGroupPerMinute: 20 } as const;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Instants (ms) of the recent grants under one limit, oldest first. */
class Window {
  readonly times: number[] = [];
  constructor(
    readonly limit: number,
    readonly spanMs: number,
  ) {}

  /** Earliest instant at which one more grant keeps at most `limit` in any `spanMs`. */
  earliest(): number {
    if (this.times.length < this.limit) return Number.NEGATIVE_INFINITY;
    // The limit-th most recent grant must have left the window (which is half-open: (t - span, t]).
    return this.times[this.times.length - this.limit]! + this.spanMs;
  }

  record(at: number): void {
    this.times.push(at);
    if (this.times.length > this.limit) this.times.splice(0, this.times.length - this.limit);
  }

  /** True when the window no longer constrains anything after `now`. */
  idle(now: number): boolean {
    const last = this.times[this.times.length - 1];
    return last === undefined || last + this.spanMs <= now;
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

  const grant = async (chatId: number): Promise<void> => {
    const start = now();
    const chat = windowOf(chats, chatId, perChatPerSecond, SECOND);
    const group = chatId < 0 ? windowOf(groups, chatId, perGroupPerMinute, MINUTE) : undefined;
    const at = Math.max(
      start,
      lastGrant,
      pausedUntil,
      overall.earliest(),
      chat.earliest(),
      group?.earliest() ?? Number.NEGATIVE_INFINITY,
    );
    if (at > start) await sleep(at - start);
    // Grants run one at a time (the queue below), so the send is recorded when it is actually let go: a
    // process woken late (a busy CPU) must not let the sends it owed go out bunched within one window.
    const sentAt = Math.max(at, now());
    overall.record(sentAt);
    chat.record(sentAt);
    group?.record(sentAt);
    lastGrant = sentAt;
    if (++grantsSinceSweep >= 256) {
      grantsSinceSweep = 0;
      sweep(start);
    }
  };

  return {
    acquire(chatId: number): Promise<void> {
      if (!Number.isSafeInteger(chatId) || chatId === 0)
        return Promise.reject(new Error(`throttle: not a chat id: ${chatId}`));
      const granted = queue.then(() => grant(chatId));
      queue = granted.catch(() => undefined);
      return granted;
    },
    pause(ms: number): void {
      if (ms > 0) pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
