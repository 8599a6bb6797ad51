// Long polling that waits out outages. Telegraf's own launch exits when Telegram cannot be reached at start
// (getMe fails: network not up yet, DNS) and retries a lost connection every 5 s without a word; a bot on a
// commune's server must instead come up by itself once the network does, and say what it is doing.
//
// - Telegram unreachable (network errors, timeouts, 5xx) at start or while running: retry with growing
//   waits (1 s, 2 s, 4 s … at most a minute), one log line when the connection is lost and one when it is
//   back (with how long it was down); 429 waits the retry_after Telegram asks for.
// - 401 (the token was revoked or is wrong) or 409 (another poller with the same token): nothing a retry
//   can fix. Polling ends with a PollingStopped error saying so; main.ts prints it and exits.
// - Updates are handed over in batches, as telegraf does, and confirmed by the next getUpdates' offset; a
//   graceful stop confirms the last batch before returning.
import type { Logger } from "pino";
import type { Telegram } from "telegraf";
import type { Update, UserFromGetMe } from "telegraf/types";
import { Reachability, reconnectDelay } from "../notify/reachability.js";

export type PollingStopReason = "unauthorized" | "conflict";

/** Polling ended on an answer from Telegram that no retry can change. */
export class PollingStopped extends Error {
  constructor(
    readonly reason: PollingStopReason,
    readonly description: string,
  ) {
    super(
      reason === "unauthorized"
        ? `Telegram refused BOT_TOKEN (${description}): the token is wrong or was revoked. Get the current one from @BotFather (/token) and set BOT_TOKEN.`
        : `Telegram answered ${description}: another program is polling with this bot token. Run one process per bot token (stop the other one), then start again.`,
    );
    this.name = "PollingStopped";
  }
}

interface ApiAnswer {
  error_code: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** Telegraf's TelegramError carries Telegram's answer; anything else (FetchError, AbortError) is the network. */
function answerOf(error: unknown): ApiAnswer | null {
  const response = (error as { response?: unknown } | null)?.response;
  if (typeof response !== "object" || response === null) return null;
  return typeof (response as ApiAnswer).error_code === "number" ? (response as ApiAnswer) : null;
}

export type Failure =
  | { kind: "fatal"; reason: PollingStopReason; description: string }
  | { kind: "retry"; description: string; afterMs?: number };

export function classifyPollingError(error: unknown, method: "getMe" | "getUpdates" | "deleteWebhook"): Failure {
  const answer = answerOf(error);
  if (!answer)
    return {
      kind: "retry",
      description: `network: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    };
  const description = `${answer.error_code} ${answer.description ?? ""}`.trim();
  // A malformed token is answered 404 by the Bot API, a wrong one 401.
  if (answer.error_code === 401 || (answer.error_code === 404 && method === "getMe"))
    return { kind: "fatal", reason: "unauthorized", description };
  if (answer.error_code === 409) return { kind: "fatal", reason: "conflict", description };
  if (answer.error_code === 429)
    return { kind: "retry", description, afterMs: Math.max(1, answer.parameters?.retry_after ?? 1) * 1000 };
  return { kind: "retry", description };
}

export interface PollingOptions {
  telegram: Telegram;
  handleUpdate(update: Update): Promise<void>;
  logger: Pick<Logger, "info" | "warn" | "error">;
  /** Called once, when Telegram first answers getMe: the bot's own identity. */
  onConnected?(me: UserFromGetMe): void | Promise<void>;
  reconnectDelay?: (failures: number) => number;
  /** Long-poll timeout asked of Telegram (s); a call not answered within it plus 15 s counts as lost. */
  pollTimeoutSeconds?: number;
}

export interface Polling {
  /** Resolves after stop(); rejects with PollingStopped on 401 or 409. Never rejects on the network. */
  readonly done: Promise<void>;
  /** Ends polling: the current long poll is abandoned, updates in hand finish, their offset is confirmed. */
  stop(): Promise<void>;
}

export function startPolling(options: PollingOptions): Polling {
  const { telegram, logger } = options;
  const delay = options.reconnectDelay ?? reconnectDelay;
  const timeoutSeconds = options.pollTimeoutSeconds ?? 50;
  const reachability = new Reachability(logger, "polling");
  const stopping = new AbortController();
  let offset = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopping.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });

  /** One Bot API call that gives up after `ms` or when polling stops (telegraf's own timeout is 500 s). */
  async function call<T>(
    method: "getMe" | "getUpdates" | "deleteWebhook",
    payload: Record<string, unknown>,
    ms: number,
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    const onStop = () => controller.abort();
    stopping.signal.addEventListener("abort", onStop, { once: true });
    try {
      return (await telegram.callApi(method as "getMe", payload, { signal: controller.signal as never })) as T;
    } finally {
      clearTimeout(timer);
      stopping.signal.removeEventListener("abort", onStop);
    }
  }

  /** Retries `work` until it succeeds (true) or polling stops (false); throws PollingStopped on 401/409. */
  async function untilDone(
    method: "getMe" | "getUpdates" | "deleteWebhook",
    work: () => Promise<void>,
  ): Promise<boolean> {
    while (!stopping.signal.aborted) {
      try {
        await work();
        reachability.succeeded();
        return true;
      } catch (error) {
        if (stopping.signal.aborted) return false;
        const failure = classifyPollingError(error, method);
        if (failure.kind === "fatal") throw new PollingStopped(failure.reason, failure.description);
        const waitMs = reachability.failed(failure.description, delay);
        await sleep(failure.afterMs ?? waitMs);
      }
    }
    return false;
  }

  const done = (async () => {
    let me: UserFromGetMe | null = null;
    if (!(await untilDone("getMe", async () => void (me = await call<UserFromGetMe>("getMe", {}, 30_000))))) return;
    // A webhook left set by an earlier deployment would keep getUpdates answering 409.
    if (!(await untilDone("deleteWebhook", () => call("deleteWebhook", { drop_pending_updates: false }, 30_000))))
      return;
    await options.onConnected?.(me!);
    while (!stopping.signal.aborted) {
      let updates: Update[] = [];
      const polled = await untilDone("getUpdates", async () => {
        updates = await call<Update[]>("getUpdates", { offset, timeout: timeoutSeconds }, (timeoutSeconds + 15) * 1000);
      });
      if (!polled) break;
      if (updates.length === 0) continue;
      await Promise.all(updates.map((update) => options.handleUpdate(update)));
      offset = updates[updates.length - 1]!.update_id + 1;
    }
    // Confirm the last batch, so Telegram does not deliver it again (the bot would ignore it anyway).
    if (offset > 0) await telegram.callApi("getUpdates", { offset, limit: 1, timeout: 0 }).catch(() => undefined);
  })();

  return {
    done,
    async stop() {
      stopping.abort();
      await done.catch(() => undefined);
    },
  };
}
