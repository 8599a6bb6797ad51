// Delivers the outbox: claims due rows, sends each through the throttle, records the outcome.
//
// Delivery guarantee. A row is marked SENDING (in its own transaction) before the message goes out and SENT
// after Telegram answers. If the process dies between the send and the record, the row is still SENDING at
// the next start; `recover()` (called by `start`) puts it back to PENDING and it is sent again. So delivery is
// at least once: a duplicate is possible only for a message in flight when the process died (or whose send
// timed out, see `sendTimeoutMs`), never otherwise; nothing due is ever lost. Enqueueing is exactly once: the
// (kind, subject, period, recipient) key is unique.
//
// Outcomes:
// - ok → SENT (and the recipient is no longer recorded as blocking the bot);
// - 429 → PENDING again at now + retry_after, the whole sender holds for retry_after, and the attempt is
//   given back: Telegram asks us to slow down, the message itself is fine;
// - 403 → BLOCKED, and the recipient is recorded in BlockedRecipient (blocked the bot, never started it,
//   deactivated, or the bot left the group);
// - 400 → FAILED at once: Telegram refuses this message and always will;
// - 5xx, other codes, timeouts → PENDING again after backoff(attempt), until maxAttempts sends were tried →
//   FAILED;
// - Telegram unreachable (a network error with no answer: connection refused, DNS, reset) → the message is
//   not at fault: the attempt is given back, the rest of the round is put back too, and deliveries wait
//   with growing pauses (1 s doubling to a minute) until Telegram answers again, one log line when it goes
//   and one when it is back. An outage never uses up a notification's attempts.
// A notification given up (FAILED) is shown to the committee: `failureAlert` enqueues a "delivery_failed"
// notification to each committee recipient in the same transaction, and `outboxHealth` lists failures.
import type { Logger } from "pino";
import {
  DELIVERY_FAILED_KIND,
  replyMarkupOf,
  type InlineButton,
  type NotificationRecord,
  type OutboxAccess,
} from "./outbox.js";
import type { Throttle } from "./throttle.js";
import { Reachability, reconnectDelay } from "./reachability.js";
import { mayPostTo } from "../domain/group-messages.js";

/** The part of the Bot API client the sender uses; telegraf's `Telegram` fits. */
export interface TelegramSendMessage {
  sendMessage(
    chatId: number,
    text: string,
    extra?: { reply_markup?: { inline_keyboard: InlineButton[][] } },
  ): Promise<{ message_id: number }>;
  /** Needed only for notifications with attachments (scheduled reports). */
  sendDocument?(chatId: number, document: { source: Buffer; filename: string }): Promise<{ message_id: number }>;
}

/** A stored file to send after a notification's text. */
export interface Attachment {
  content: Buffer;
  fileName: string;
}

export type SenderLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;

export interface FailureAlert {
  /** Telegram ids of the committee members to tell. */
  recipients(): Promise<readonly string[]>;
  text(failed: NotificationRecord, reason: string): string;
}

export interface SenderOptions {
  outbox: OutboxAccess;
  telegram: TelegramSendMessage;
  throttle: Throttle;
  clock?: () => Date;
  logger: SenderLogger;
  /** Sends tried before a notification is given up (429 answers do not count). */
  maxAttempts?: number;
  /** Milliseconds to wait after the `attempt`-th failed send (1-based). */
  backoff?: (attempt: number) => number;
  /** A send not answered within this time counts as a network error (its outcome is unknown: it may have arrived). */
  sendTimeoutMs?: number;
  /** Rows claimed per round by the `start` loop. */
  batchSize?: number;
  /** Hears of every error the sender met and logged (the storage alarm listens for a full disk). */
  onError?: (error: unknown) => void;
  /** The pause after the n-th send in a row that found Telegram unreachable (default 1 s doubling to a minute). */
  unreachableDelay?: (failures: number) => number;
  failureAlert?: FailureAlert;
  /** Reads an attachment (a StoredFile id) for notifications that carry files. */
  loadAttachment?: (id: number) => Promise<Attachment>;
  /**
   * Claims rows in this process's name for `leaseMs`, renewed by renewClaims() (the sender role's
   * heartbeat); recovery then frees only expired claims, never a live peer's. Without it (one process per
   * database) recovery frees every row left SENDING before the start.
   */
  claimLease?: { holder: string; leaseMs: number };
}

export interface RunSummary {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  blocked: number;
  /** Claimed but put back unsent because the sender was stopping. */
  returned: number;
}

export interface Sender {
  /** At start-up: rows left SENDING by a previous process go back to PENDING. Returns how many. */
  recover(): Promise<number>;
  /** Claims up to `limit` due rows and delivers them. */
  runOnce(limit?: number): Promise<RunSummary>;
  /** Recovers, then runs rounds every `intervalMs` (at once while rounds come back full). */
  start(intervalMs?: number): void;
  /** Ends the loop: the message being sent is finished and recorded, the rest of the round is put back. */
  stop(): Promise<void>;
  /** Runs the next round now instead of after the interval (e.g. after enqueueing something urgent). */
  wake(): void;
  /** Extends this process's claims on the rows it is sending (with `claimLease`). */
  renewClaims(): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/** 30 s, 1 min, 2 min, 4 min, … at most an hour. */
export function exponentialBackoff(attempt: number, baseMs = 30_000, maxMs = 60 * 60_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
}

type Outcome =
  | { kind: "unreachable"; description: string }
  | { kind: "rate-limited"; retryAfterMs: number; description: string }
  | { kind: "blocked"; description: string }
  | { kind: "rejected"; description: string }
  | { kind: "transient"; description: string };

interface ApiErrorShape {
  error_code: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** Telegraf's TelegramError carries the API answer in `response`; anything else is a network-level error. */
function apiErrorOf(error: unknown): ApiErrorShape | null {
  if (typeof error !== "object" || error === null) return null;
  const response = (error as { response?: unknown }).response;
  if (typeof response !== "object" || response === null) return null;
  const code = (response as { error_code?: unknown }).error_code;
  return typeof code === "number" ? (response as ApiErrorShape) : null;
}

class SendTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer from Telegram within ${ms} ms`);
    this.name = "SendTimeoutError";
  }
}

export function classifySendError(error: unknown): Outcome {
  const api = apiErrorOf(error);
  if (!api) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // A send that timed out may have arrived: it counts as an attempt. Anything else never reached Telegram.
    if (error instanceof SendTimeoutError) return { kind: "transient", description: `network: ${message}` };
    return { kind: "unreachable", description: `network: ${message}` };
  }
  const description = `${api.error_code}: ${api.description ?? "error"}`;
  if (api.error_code === 429) {
    const seconds = api.parameters?.retry_after;
    const retryAfterMs = typeof seconds === "number" && seconds > 0 ? seconds * 1000 : 1000;
    return { kind: "rate-limited", retryAfterMs, description };
  }
  if (api.error_code === 403) return { kind: "blocked", description };
  if (api.error_code === 400) return { kind: "rejected", description };
  return { kind: "transient", description };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Round-robin over recipients (in claim order), so one chat's spacing does not hold the others up. */
export function interleaveByRecipient(rows: readonly NotificationRecord[]): NotificationRecord[] {
  const queues = new Map<string, NotificationRecord[]>();
  for (const row of rows) {
    const queue = queues.get(row.recipientTelegramId);
    if (queue) queue.push(row);
    else queues.set(row.recipientTelegramId, [row]);
  }
  const ordered: NotificationRecord[] = [];
  for (let round = 0; ordered.length < rows.length; round++) {
    for (const queue of queues.values()) {
      const row = queue[round];
      if (row) ordered.push(row);
    }
  }
  return ordered;
}

const emptySummary = (): RunSummary => ({ claimed: 0, sent: 0, retried: 0, failed: 0, blocked: 0, returned: 0 });

export function createSender(options: SenderOptions): Sender {
  const { outbox, telegram, throttle, logger, failureAlert } = options;
  const clock = options.clock ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = options.backoff ?? ((attempt: number) => exponentialBackoff(attempt));
  const sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  const batchSize = options.batchSize ?? 50;
  const unreachableDelay = options.unreachableDelay ?? reconnectDelay;
  const reachability = new Reachability(logger, "outbox", () => clock().getTime());
  /** While Telegram cannot be reached: no send before this instant (ms). */
  let heldUntil = Number.NEGATIVE_INFINITY;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new Error(`createSender: maxAttempts must be a positive integer, got ${maxAttempts}`);

  let running = false;
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wakeLoop: (() => void) | null = null;

  const later = (ms: number) => new Date(clock().getTime() + ms);

  async function giveUp(row: NotificationRecord, reason: string, summary: RunSummary): Promise<void> {
    let alertTo: readonly string[] = [];
    if (failureAlert && row.kind !== DELIVERY_FAILED_KIND) {
      try {
        alertTo = await failureAlert.recipients();
      } catch (error) {
        logger.error(
          { err: error, notificationId: row.id },
          "outbox: could not list whom to tell about a failed notification",
        );
      }
    }
    await outbox.transaction(async (repo) => {
      await repo.markFailed(row.id, reason);
      if (alertTo.length > 0 && failureAlert) {
        const text = failureAlert.text(row, reason);
        await repo.enqueue(
          [...new Set(alertTo)].map((recipientTelegramId) => ({
            kind: DELIVERY_FAILED_KIND,
            subject: `notification:${row.id}`,
            period: "",
            recipientTelegramId,
            text,
          })),
          clock(),
        );
      }
    });
    summary.failed++;
    logger.warn(
      { notificationId: row.id, kind: row.kind, recipient: row.recipientTelegramId, attempts: row.attempts, reason },
      "outbox: notification given up",
    );
  }

  async function deliver(row: NotificationRecord, summary: RunSummary, blockedThisRound: Set<string>): Promise<void> {
    // A chat that answered 403 a moment ago answers 403 again: its other messages of the round are recorded
    // as blocked without a send, so one person who never started the bot does not hold the queue up for
    // a second per message (the per-chat throttle).
    if (blockedThisRound.has(row.recipientTelegramId)) {
      await outbox.transaction((repo) =>
        repo.markBlocked(row.id, row.recipientTelegramId, clock(), "403 earlier in the same round"),
      );
      summary.blocked++;
      return;
    }
    if (row.attempts > maxAttempts) {
      return giveUp(
        row,
        `gave up after ${maxAttempts} attempts (the last one was interrupted): ${row.lastError ?? ""}`.trim(),
        summary,
      );
    }
    const chatId = Number(row.recipientTelegramId);
    if (!Number.isSafeInteger(chatId) || chatId === 0)
      return giveUp(row, `not a Telegram chat id: ${row.recipientTelegramId}`, summary);
    // A row written before the outbox refused them, or by hand: still never sent to a group.
    if (!mayPostTo(row.kind, row.recipientTelegramId))
      return giveUp(row, `a "${row.kind}" message is never posted to a group chat`, summary);

    // Files are read before anything is sent: one that is missing or fails its checksum will not get better
    // by retrying, and the text must not go out again and again without them.
    let files: Attachment[] = [];
    if (row.attachments && row.attachments.length > 0) {
      try {
        if (!options.loadAttachment || !telegram.sendDocument) throw new Error("this sender cannot send files");
        const load = options.loadAttachment;
        files = await Promise.all(row.attachments.map((id) => load(id)));
      } catch (error) {
        return giveUp(row, `attachment unreadable: ${error instanceof Error ? error.message : String(error)}`, summary);
      }
    }

    let messageId: number;
    try {
      const message = await throttle.send(chatId, () =>
        withTimeout(telegram.sendMessage(chatId, row.text, replyMarkupOf(row.buttons)), sendTimeoutMs),
      );
      messageId = message.message_id;
      // Files follow their text. A failed file retries the whole notification (text included): the
      // at-least-once case again, never a text without its files.
      for (const file of files) {
        await throttle.send(chatId, () =>
          withTimeout(telegram.sendDocument!(chatId, { source: file.content, filename: file.fileName }), sendTimeoutMs),
        );
      }
    } catch (error) {
      const outcome = classifySendError(error);
      if (outcome.kind === "blocked") blockedThisRound.add(row.recipientTelegramId);
      return recordFailure(row, outcome, summary);
    }
    reachability.succeeded();
    await outbox.transaction((repo) => repo.markSent(row.id, clock(), messageId));
    summary.sent++;
  }

  async function recordFailure(row: NotificationRecord, outcome: Outcome, summary: RunSummary): Promise<void> {
    switch (outcome.kind) {
      case "unreachable": {
        const waitMs = reachability.failed(outcome.description, unreachableDelay);
        heldUntil = clock().getTime() + waitMs;
        await outbox.transaction((repo) =>
          repo.markRetry(row.id, new Date(heldUntil), outcome.description, { refundAttempt: true }),
        );
        summary.retried++;
        return;
      }
      case "rate-limited":
        throttle.pause(outcome.retryAfterMs);
        await outbox.transaction((repo) =>
          repo.markRetry(row.id, later(outcome.retryAfterMs), outcome.description, { refundAttempt: true }),
        );
        summary.retried++;
        logger.warn(
          { notificationId: row.id, retryAfterMs: outcome.retryAfterMs },
          "outbox: Telegram asked to slow down",
        );
        return;
      case "blocked":
        await outbox.transaction((repo) =>
          repo.markBlocked(row.id, row.recipientTelegramId, clock(), outcome.description),
        );
        summary.blocked++;
        logger.info(
          { notificationId: row.id, recipient: row.recipientTelegramId, error: outcome.description },
          "outbox: recipient cannot be reached (403)",
        );
        return;
      case "rejected":
        return giveUp(row, outcome.description, summary);
      case "transient":
        if (row.attempts >= maxAttempts)
          return giveUp(row, `gave up after ${row.attempts} attempts: ${outcome.description}`, summary);
        await outbox.transaction((repo) => repo.markRetry(row.id, later(backoff(row.attempts)), outcome.description));
        summary.retried++;
        logger.warn(
          { notificationId: row.id, attempt: row.attempts, error: outcome.description },
          "outbox: send failed, will retry",
        );
        return;
    }
  }

  async function runOnce(limit = batchSize): Promise<RunSummary> {
    const summary = emptySummary();
    const lease = options.claimLease
      ? { holder: options.claimLease.holder, until: later(options.claimLease.leaseMs) }
      : undefined;
    const claimed = await outbox.transaction((repo) => repo.claimDue(clock(), limit, lease));
    summary.claimed = claimed.length;
    const rows = interleaveByRecipient(claimed);
    const blockedThisRound = new Set<string>();
    for (const [index, row] of rows.entries()) {
      const held = heldUntil > clock().getTime();
      if (stopping || held) {
        // Stopping, or Telegram cannot be reached: the rest of the round goes back unsent, attempts untouched.
        const rest = rows.slice(index);
        const due = held ? new Date(heldUntil) : clock();
        await outbox.transaction(async (repo) => {
          for (const unsent of rest)
            await repo.markRetry(
              unsent.id,
              due,
              held ? "waiting for Telegram to be reachable" : "sender stopped before sending",
              { refundAttempt: true },
            );
        });
        summary.returned += rest.length;
        break;
      }
      try {
        await deliver(row, summary, blockedThisRound);
      } catch (error) {
        // The outcome could not be recorded (database trouble): the row stays SENDING and is sent again
        // after the next start, the at-least-once case.
        logger.error({ err: error, notificationId: row.id }, "outbox: could not record a delivery");
        options.onError?.(error);
      }
    }
    return summary;
  }

  async function recover(): Promise<number> {
    const claimLease = options.claimLease;
    const released = await outbox.transaction((repo) =>
      claimLease
        ? repo.releaseExpired(clock(), new Date(clock().getTime() - claimLease.leaseMs))
        : repo.releaseStale(new Date(clock().getTime() + 1)),
    );
    if (released > 0) logger.warn({ released }, "outbox: notifications interrupted mid-send are queued again");
    return released;
  }

  return {
    recover,
    runOnce,
    start(intervalMs = 1000) {
      if (running) return;
      running = true;
      stopping = false;
      loop = (async () => {
        try {
          await recover();
        } catch (error) {
          logger.error({ err: error }, "outbox: could not release interrupted notifications");
        }
        while (!stopping) {
          let full = false;
          try {
            const summary = await runOnce(batchSize);
            full = summary.claimed === batchSize;
          } catch (error) {
            logger.error({ err: error }, "outbox: delivery round failed");
            options.onError?.(error);
          }
          if (stopping) break;
          if (full) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, intervalMs);
            function done() {
              clearTimeout(timer);
              wakeLoop = null;
              resolve();
            }
            wakeLoop = done;
          });
        }
      })();
    },
    async stop() {
      if (!running) return;
      stopping = true;
      wakeLoop?.();
      await loop;
      loop = null;
      running = false;
      stopping = false;
    },
    wake() {
      wakeLoop?.();
    },
    async renewClaims() {
      const claimLease = options.claimLease;
      if (claimLease)
        await outbox.transaction((repo) => repo.renewClaims(claimLease.holder, later(claimLease.leaseMs)));
    },
  };
}
