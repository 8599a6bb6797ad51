// Replies share the bot's ~30 messages/s with the sender. With a webhook every process answers its own
// updates, beside the one sender; a backlog (a chat held up by a dead process's lease, then released) is
// answered as fast as it is handled. Each process's replies therefore go through a budget of their own:
// with the sender's 14/s and two processes' 5/s each (24/s), the bot stays within Telegram's 30 a second.
// Each throttle counts a message until its request is answered (src/notify/throttle.ts), so delays between
// the grant and Telegram's arrival cannot bunch more than the budget into one of Telegram's seconds.
// Only the overall rate is limited here: a person answered twice in a row is not made to wait.
import type { Telegram } from "telegraf";
import { createThrottle, type Throttle } from "./throttle.js";

/** The calls that count against Telegram's messages-per-second budget. */
const MESSAGE_METHODS = new Set([
  "sendMessage",
  "sendDocument",
  "sendPhoto",
  "sendMediaGroup",
  "copyMessage",
  "forwardMessage",
]);

export const REPLIES_PER_SECOND = 5;

export function replyThrottle(perSecond = REPLIES_PER_SECOND): Throttle {
  // Per chat and per group as high as the overall rate: only the overall rate binds.
  return createThrottle({ perSecond, perChatPerSecond: perSecond, perGroupPerMinute: perSecond * 60 });
}

/** Makes every message `telegram` sends wait for `throttle` (edits and answers to buttons are not messages). */
export function budgetReplies(telegram: Telegram, throttle: Throttle): void {
  const callApi = telegram.callApi.bind(telegram);
  telegram.callApi = async (method: string, payload: { chat_id?: unknown }, options?: unknown) => {
    const call = () => callApi(method as never, payload as never, options as never);
    if (!MESSAGE_METHODS.has(method)) return call();
    const chatId = Number(payload?.chat_id);
    return throttle.send(Number.isSafeInteger(chatId) && chatId !== 0 ? chatId : 1, call);
  };
}
