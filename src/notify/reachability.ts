// Whether Telegram can be reached, for the two loops that talk to it on their own (the poller and the outbox
// sender): the wait before the next try, and a log line only when that changes.
import type { Logger } from "pino";

/** 1 s, 2 s, 4 s … at most a minute: the wait after the n-th failure in a row (1-based). */
export function reconnectDelay(failures: number, baseMs = 1000, maxMs = 60_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, failures - 1), maxMs);
}

/**
 * Whether something is reachable, logged only when that changes: one warning when it goes, one line when
 * it is back. Shared by the poller and the outbox sender.
 */
export class Reachability {
  private downSince: number | null = null;
  private failures = 0;

  constructor(
    private readonly logger: Pick<Logger, "info" | "warn">,
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Consecutive failures so far (0 while reachable). */
  get failuresInARow(): number {
    return this.failures;
  }

  /** Records a failure; returns how long to wait before the next try. */
  failed(description: string, delay: (failures: number) => number = reconnectDelay): number {
    this.failures++;
    const waitMs = delay(this.failures);
    if (this.downSince === null) {
      this.downSince = this.now();
      this.logger.warn(
        { error: description, retryInMs: waitMs },
        `${this.what}: Telegram cannot be reached; retrying with growing waits (at most a minute)`,
      );
    }
    return waitMs;
  }

  succeeded(): void {
    if (this.downSince !== null) {
      this.logger.info(
        { downForMs: this.now() - this.downSince, attempts: this.failures },
        `${this.what}: Telegram is reachable again`,
      );
    }
    this.downSince = null;
    this.failures = 0;
  }
}
