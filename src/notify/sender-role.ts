// One sender per bot, however many processes run: Telegram's budget (~30 messages/s) is per bot, and each
// sender's throttle only knows its own sends. The role is a lease row ("sender") in the database: the holder
// renews it every `heartbeatMs` (and its claims on the rows it is sending with it); the others try to take
// it at the same pace, and do once it has expired (its process died: within leaseMs + heartbeatMs) or was
// released (a graceful stop hands it over at once). A holder that finds its lease taken stops sending.
//
// A new holder waits one second before its first send, so the previous holder's last second of sends and
// its own never add up above the limit. A holder sends only while its lease, as of its last renewal, has more
// than a second to run: one that cannot renew (a database too slow to answer it) stops sending before a peer
// may take the role, instead of sending beside it until it learns it lost it.
import type { Logger } from "pino";
import type { Sender } from "./sender.js";
import type { Throttle } from "./throttle.js";

export const SENDER_ROLE = "sender";

export interface RoleLeases {
  acquire(key: string, holder: string, now: Date, until: Date): Promise<boolean>;
  renew(key: string, holder: string, until: Date): Promise<boolean>;
  release(key: string, holder: string): Promise<boolean>;
}

export interface SenderRoleOptions {
  leases: RoleLeases;
  holder: string;
  sender: Sender;
  throttle: Throttle;
  clock: () => Date;
  logger: Pick<Logger, "info" | "warn" | "error">;
  /** The sender's round interval once elected. */
  intervalMs: number;
  leaseMs?: number;
  heartbeatMs?: number;
  /** Called each time this process becomes the sender (registers the webhook, in webhook mode). */
  onElected?: () => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface SenderRoleState {
  role: "sender" | "standby" | "stopped";
  holder: string;
  /** When this process last became the sender, or null. */
  since: Date | null;
}

export interface SenderRole {
  /** Tries once at once (a single process becomes the sender before start returns), then keeps trying. */
  start(): Promise<void>;
  /** Stops sending and hands the role over (releases the lease). */
  stop(): Promise<void>;
  state(): SenderRoleState;
}

export const SENDER_LEASE_MS = 6_000;
export const SENDER_HEARTBEAT_MS = 2_000;

export function createSenderRole(options: SenderRoleOptions): SenderRole {
  const { leases, holder, sender, logger, clock } = options;
  const leaseMs = options.leaseMs ?? SENDER_LEASE_MS;
  const heartbeatMs = options.heartbeatMs ?? SENDER_HEARTBEAT_MS;
  const until = () => new Date(clock().getTime() + leaseMs);
  /** Lets the throttle grant sends until a second before the lease taken or renewed at `issuedAt` ends. */
  const sendUntilLeaseEnds = (issuedAt: number) =>
    options.throttle.allowFor(leaseMs - 1000 - (performance.now() - issuedAt));
  let elected = false;
  let since: Date | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let beating: Promise<void> = Promise.resolve();

  async function beat(): Promise<void> {
    if (stopped) return;
    try {
      const issuedAt = performance.now();
      if (elected) {
        if (await leases.renew(SENDER_ROLE, holder, until())) {
          sendUntilLeaseEnds(issuedAt);
          await sender.renewClaims();
          await sender.recover(); // a previous holder's rows whose claims have expired since
          return;
        }
        logger.warn({ holder }, "sender role lost (lease expired and taken): this process stops sending");
        elected = false;
        since = null;
        // A send held by a lease that ran out would keep the sender from stopping: it may go (one message).
        options.throttle.allowFor(Number.POSITIVE_INFINITY);
        await sender.stop();
        return;
      }
      if (!(await leases.acquire(SENDER_ROLE, holder, clock(), until()))) return;
      elected = true;
      since = clock();
      logger.info({ holder }, "this process is now the sender");
      options.throttle.pause(1000);
      sendUntilLeaseEnds(issuedAt);
      sender.start(options.intervalMs);
      await options
        .onElected?.()
        .catch((error: unknown) => logger.error({ err: error }, "could not finish taking the sender role"));
    } catch (error) {
      logger.error({ err: error }, "sender role: the database could not be reached");
      options.onError?.(error);
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      beating = beat().finally(schedule);
    }, heartbeatMs);
  };

  return {
    async start() {
      beating = beat();
      await beating;
      schedule();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      await beating;
      options.throttle.allowFor(Number.POSITIVE_INFINITY);
      await sender.stop();
      if (elected) {
        await leases
          .release(SENDER_ROLE, holder)
          .catch((error: unknown) => logger.warn({ err: error }, "could not release the sender role"));
        logger.info({ holder }, "sender role handed over");
      }
      elected = false;
    },
    state() {
      return { role: stopped ? "stopped" : elected ? "sender" : "standby", holder, since };
    },
  };
}
