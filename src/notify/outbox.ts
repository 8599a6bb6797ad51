// The notification outbox as the rest of the program sees it. Use cases enqueue inside their own
// transaction (`repos.outbox.enqueue(items, now)` once the store lists the outbox repository), so a reminder
// or an alert is recorded together with the change that caused it, and exactly once per
// (kind, subject, period, recipient). The sender (sender.ts) delivers what is due.
import type { Db } from "../db/client.js";
import {
  outboxRepository,
  type InlineButton,
  type NewNotification,
  type NotificationRecord,
  type OutboxCounts,
  type OutboxRepository,
} from "../db/repositories/outbox.js";

export type {
  InlineButton,
  NewNotification,
  NotificationRecord,
  NotificationStatus,
  OutboxCounts,
  OutboxRepository,
} from "../db/repositories/outbox.js";

/** How the sender reaches the outbox: each piece of work runs in one transaction. */
export interface OutboxAccess {
  transaction<T>(work: (outbox: OutboxRepository) => Promise<T>): Promise<T>;
}

const TRANSACTION_OPTIONS = { timeout: 15_000, maxWait: 15_000 } as const;

/** Outbox access straight on a Prisma client (tests, or before the store lists the outbox). */
export function outboxAccessFromDb(db: Db): OutboxAccess {
  return { transaction: (work) => db.$transaction((tx) => work(outboxRepository(tx)), TRANSACTION_OPTIONS) };
}

/** Outbox access through the store, whose repositories include `outbox: outboxRepository(db)`. */
export function outboxAccessFromStore(store: {
  transaction<T>(work: (repos: { outbox: OutboxRepository }) => Promise<T>): Promise<T>;
}): OutboxAccess {
  return { transaction: (work) => store.transaction((repos) => work(repos.outbox)) };
}

/** The kind of the alert the committee gets when a notification is given up. */
export const DELIVERY_FAILED_KIND = "delivery_failed";

/** One notification per recipient, all with the same key and text. */
export function notificationsFor(
  recipients: readonly string[],
  base: Omit<NewNotification, "recipientTelegramId">,
): NewNotification[] {
  return [...new Set(recipients)].map((recipientTelegramId) => ({ ...base, recipientTelegramId }));
}

export interface OutboxHealth {
  counts: OutboxCounts;
  failed: NotificationRecord[];
  blocked: { telegramId: string; blockedAt: Date }[];
}

/** What the committee sees of delivery: totals by status, the latest failures and who blocked the bot. */
export async function outboxHealth(access: OutboxAccess, limit = 20): Promise<OutboxHealth> {
  return access.transaction(async (outbox) => ({
    counts: await outbox.counts(),
    failed: await outbox.listFailed(limit),
    blocked: await outbox.blockedRecipients(limit),
  }));
}

/** Inline keyboard in the shape Telegram wants, or nothing. */
export function replyMarkupOf(
  buttons: InlineButton[][] | null,
): { reply_markup: { inline_keyboard: InlineButton[][] } } | Record<string, never> {
  return buttons && buttons.length > 0 ? { reply_markup: { inline_keyboard: buttons } } : {};
}
