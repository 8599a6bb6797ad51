// Notices a use case sends to people other than the one asking (the member recorded absent, the officers
// told of a request, …): queued in the outbox in the use case's own transaction, so the change and its
// messages commit together, and a 429, an outage or a crash cannot lose them (src/notify delivers them).
// The chat layer words them, in each recipient's language and with their buttons; the use case decides who
// is told, and the key that makes each notice go out once.
import type { InlineButton, NewNotification } from "../notify/outbox.js";

/** A notice's text and buttons, as its recipient reads it. */
export interface Worded {
  text: string;
  buttons?: InlineButton[][] | null;
}

/** How the chat layer words one notice for one recipient. */
export type Wording<N> = (notice: N) => Worded;

/** Someone to tell something, in their language. */
export interface Recipient {
  telegramId: string;
  locale: string | null;
}

/** One outbox row per recipient: `key` says which notice it is (kind, subject, occurrence). */
export function noticeRows<N extends { recipient: Recipient }>(
  key: { kind: string; subject: string; period: string },
  notices: readonly N[],
  word: Wording<N>,
): NewNotification[] {
  return notices.map((notice) => ({ ...key, recipientTelegramId: notice.recipient.telegramId, ...word(notice) }));
}
