// When the server cannot store anything (disk full, file-size limit, read-only disk), the admins must hear of
// it, and the outbox cannot help: queuing a notice is itself a write. The alarm sends straight to the admins
// (the configured ones, and the committee's admins and office when the database can still be read), at most
// once an hour, and keeps trying until a message gets through (Telegram may be down too). Nothing is queued
// or written: the bot goes on answering from what it can read, and resumes writing by itself once space
// returns, since every write is its own transaction that either happened whole or not at all.
import type { Logger } from "pino";
import { isStorageFailure, storageFailureCode } from "../db/errors.js";
import type { TelegramSendMessage } from "./sender.js";

export interface StorageAlarmOptions {
  telegram: Pick<TelegramSendMessage, "sendMessage">;
  /** Who to tell, read from the database if it can be read; the configured admins are always told. */
  recipients: () => Promise<readonly string[]>;
  configuredAdmins: readonly string[];
  /** The alert's text, with the failure's code ("SQLITE_FULL", "ENOSPC"). */
  text: (code: string) => string;
  logger: Pick<Logger, "info" | "warn" | "error">;
  clock?: () => Date;
  /** At most one alert in this time (default an hour). */
  minIntervalMs?: number;
  /** While no message got through, the next try after this long (default 30 s). */
  retryMs?: number;
}

export interface StorageAlarm {
  /** Called with any error: a storage failure raises the alarm (if not raised within the hour); others are ignored. */
  raise(error: unknown): void;
  /** Stops the retry timer (at shutdown). */
  stop(): void;
}

export function createStorageAlarm(options: StorageAlarmOptions): StorageAlarm {
  const clock = options.clock ?? (() => new Date());
  const minIntervalMs = options.minIntervalMs ?? 60 * 60_000;
  const retryMs = options.retryMs ?? 30_000;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let sending = false;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;

  async function recipients(): Promise<string[]> {
    let found: readonly string[] = [];
    try {
      found = await options.recipients();
    } catch (error) {
      options.logger.warn({ err: error }, "storage alarm: could not read who to tell; telling the configured admins");
    }
    return [...new Set([...options.configuredAdmins, ...found])];
  }

  async function send(code: string): Promise<void> {
    sending = true;
    try {
      const to = await recipients();
      let delivered = 0;
      for (const id of to) {
        try {
          await options.telegram.sendMessage(Number(id), options.text(code));
          delivered++;
        } catch (error) {
          options.logger.warn({ err: error, to: id }, "storage alarm: not delivered");
        }
      }
      if (delivered > 0 || to.length === 0) {
        lastSentAt = clock().getTime();
        options.logger.warn({ code, told: delivered }, "storage alarm: the server cannot store data; admins told");
      } else if (!stopped) {
        retry = setTimeout(() => {
          retry = null;
          void send(code);
        }, retryMs);
      }
    } finally {
      sending = false;
    }
  }

  return {
    raise(error) {
      if (stopped || !isStorageFailure(error)) return;
      if (sending || retry || clock().getTime() - lastSentAt < minIntervalMs) return;
      void send(storageFailureCode(error) ?? "I/O");
    },
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      retry = null;
    },
  };
}
