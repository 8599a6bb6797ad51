// Each update once, in order per chat, however many processes share the database. Around each update's
// handler: the chat's lease (one process at a time works on a chat; the in-process sequencer already orders
// a process's own updates) and the update's claim (a re-delivered update that was handled is dropped; one
// whose handler was cut short by a dying process is handled again, since Telegram never got its answer).
// A process that dies holding a chat's lease leaves it to expire: the chat waits at most `leaseMs`.
import type { Logger } from "pino";
import type { Store } from "../db/store.js";

export type GateOutcome = "handled" | "duplicate";

export interface UpdateGate {
  handle(updateId: number, chatKey: string, work: () => Promise<void>): Promise<GateOutcome>;
}

/** Marked `retryLater`: the chat layer leaves the update unanswered and Telegram delivers it again. */
export class ChatBusyError extends Error {
  readonly retryLater = true;
  constructor(
    readonly chatKey: string,
    waitedMs: number,
  ) {
    super(`chat ${chatKey} stayed locked by another process for ${waitedMs} ms`);
    this.name = "ChatBusyError";
  }
}

export interface UpdateGateOptions {
  store: Store;
  /** This process's name in leases ("host:pid:random"). */
  holder: string;
  clock: () => Date;
  logger: Pick<Logger, "info" | "warn">;
  /** How long a chat's lease holds without renewal (renewed every third of it while the handler runs). */
  leaseMs?: number;
  /** How long an update waits for its chat's lease before it fails (and Telegram delivers it again). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const CHAT_LEASE_MS = 10_000;

export function createUpdateGate(options: UpdateGateOptions): UpdateGate {
  const { store, holder, clock, logger } = options;
  const leaseMs = options.leaseMs ?? CHAT_LEASE_MS;
  const maxWaitMs = options.maxWaitMs ?? 3 * leaseMs;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const leases = store.repos.leases;
  const until = () => new Date(clock().getTime() + leaseMs);

  async function lock(key: string): Promise<void> {
    // Waiting is measured on the monotonic clock: a test's fixed clock must not make it wait forever.
    const started = performance.now();
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      if (await leases.acquire(key, holder, clock(), until())) return;
      const waited = Math.round(performance.now() - started);
      if (waited >= maxWaitMs) throw new ChatBusyError(key, waited);
      await sleep(pause);
    }
  }

  return {
    async handle(updateId, chatKey, work) {
      const key = `chat:${chatKey}`;
      await lock(key);
      const renewal = setInterval(
        () => {
          void leases.renew(key, holder, until()).then(
            (kept) =>
              kept ||
              logger.warn(
                { chatKey, updateId },
                "a chat's lease was lost while its update ran (handler slower than the lease)",
              ),
            () => undefined,
          );
        },
        Math.max(10, Math.floor(leaseMs / 3)),
      );
      try {
        const claim = await store.repos.processedUpdates.claim(updateId, clock());
        if (claim === "finished") {
          logger.info({ updateId, chatKey }, "duplicate update ignored");
          return "duplicate";
        }
        if (claim === "interrupted")
          logger.warn({ updateId, chatKey }, "an update whose handling was cut short is handled again");
        try {
          await work();
        } finally {
          await store.repos.processedUpdates.finish(updateId, clock());
        }
        return "handled";
      } finally {
        clearInterval(renewal);
        await leases.release(key, holder).catch(() => undefined);
      }
    },
  };
}
