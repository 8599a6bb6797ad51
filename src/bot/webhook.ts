// Webhook mode's side of Telegram: learning the bot's identity (getMe, retried until Telegram answers, as
// polling does) and registering the webhook. Registration is done by the process holding the sender role
// (one at a time), each time it takes the role: the URL, the secret Telegram must send back, and the update
// types the bot handles.
import type { Logger } from "pino";
import type { Telegram } from "telegraf";
import type { UserFromGetMe } from "telegraf/types";
import type { WebhookConfig } from "../config.js";
import { Reachability, reconnectDelay } from "../notify/reachability.js";
import { classifyPollingError, PollingStopped } from "./polling.js";

/** The update types the bot handles; Telegram sends no others. */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

export interface WebhookConnection {
  /** Resolves after stop(); rejects with PollingStopped when Telegram refuses the token. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export function connectForWebhook(options: {
  telegram: Telegram;
  logger: Pick<Logger, "info" | "warn" | "error">;
  onConnected(me: UserFromGetMe): Promise<void>;
  reconnectDelay?: (failures: number) => number;
}): WebhookConnection {
  const delay = options.reconnectDelay ?? reconnectDelay;
  const reachability = new Reachability(options.logger, "webhook");
  const stopping = new AbortController();
  let stopped!: () => void;
  const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));
  const done = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const me = await options.telegram.getMe();
        reachability.succeeded();
        await options.onConnected(me);
        break;
      } catch (error) {
        const failure = classifyPollingError(error, "getMe");
        if (failure.kind === "fatal") throw new PollingStopped(failure.reason, failure.description);
        const waitMs = failure.afterMs ?? reachability.failed(failure.description, delay);
        await Promise.race([new Promise((resolve) => setTimeout(resolve, waitMs)), stoppedPromise]);
      }
    }
    await stoppedPromise;
  })();
  return {
    done,
    async stop() {
      stopping.abort();
      stopped();
      await done.catch(() => undefined);
    },
  };
}

export async function registerWebhook(
  telegram: Telegram,
  webhook: WebhookConfig,
  logger: Pick<Logger, "info" | "error">,
): Promise<void> {
  await telegram.setWebhook(webhook.url, {
    secret_token: webhook.secret,
    allowed_updates: [...ALLOWED_UPDATES],
    drop_pending_updates: false,
  });
  logger.info({ url: webhook.url }, "webhook registered with Telegram");
}
