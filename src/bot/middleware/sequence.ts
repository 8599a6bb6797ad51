// Telegraf handles a polling batch concurrently; two taps from one chat must not race. Updates of one
// chat run one after another, in arrival order; different chats still run in parallel. The tracker
// also lets a graceful stop wait for updates in flight.
import type { Context, MiddlewareFn } from "telegraf";
import { chatKeyOf } from "./update-gate.js";

export class UpdateSequencer {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();

  middleware<C extends Context>(): MiddlewareFn<C> {
    return (ctx, next) => {
      const key = chatKeyOf(ctx);
      const previous = this.tails.get(key) ?? Promise.resolve();
      const run = previous.then(() => next());
      const tail = run.then(
        () => undefined,
        () => undefined,
      );
      this.tails.set(key, tail);
      this.inFlight.add(tail);
      void tail.then(() => {
        this.inFlight.delete(tail);
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
      return run;
    };
  }

  /** Resolves once every update accepted so far has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
