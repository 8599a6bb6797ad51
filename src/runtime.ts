// Starting and stopping the whole program: migrations, database, use cases, bot. main.ts calls this
// with the real environment and clock; end-to-end tests call it with theirs.
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { AppDeps } from "./app/deps.js";
import { ensureCommittee } from "./app/committee.js";
import { registerDefaultCommands } from "./bot/commands.js";
import { createBot, type ChiboBot } from "./bot/create-bot.js";
import type { Config } from "./config.js";
import { createDb } from "./db/client.js";
import { migrateSqlite } from "./db/migrate.js";
import { createStore, type Store } from "./db/store.js";

/** Update ids are remembered this long to drop Telegram's re-deliveries. */
const PROCESSED_UPDATE_RETENTION_MS = 3 * 24 * 60 * 60 * 1000;

export interface RunningChibo {
  readonly bot: ChiboBot["bot"];
  readonly store: Store;
  readonly app: AppDeps;
  /** Resolves when polling has ended (after stop, or on a fatal polling error). */
  readonly polling: Promise<void>;
  /** Stops polling, finishes updates in flight, closes the database. Safe to call twice. */
  stop(reason: string): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  clock?: () => Date;
}

export async function startChibo(config: Config, options: RuntimeOptions): Promise<RunningChibo> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const migration = migrateSqlite(config.databaseFile);
  if (migration.applied.length > 0) logger.info({ applied: migration.applied }, "database migrations applied");
  const store = createStore(createDb(config.databaseUrl));
  const app: AppDeps = {
    store,
    timeZone: config.timeZone,
    adminTelegramIds: config.adminTelegramIds,
    invitationTtlDays: config.invitationTtlDays,
    committeeName: config.committeeName,
    committeePlace: config.committeePlace,
    filesDir: config.filesDir,
    randomBytes,
  };
  await ensureCommittee(app, clock());
  await store.repos.processedUpdates.pruneBefore(new Date(clock().getTime() - PROCESSED_UPDATE_RETENTION_MS));

  const { bot, sequencer } = createBot({ app, logger, clock, token: config.botToken, apiRoot: config.telegramApiRoot, defaultLocale: config.defaultLocale });
  let launched!: () => void;
  const ready = new Promise<void>((resolve) => (launched = resolve));
  const polling = bot.launch({ dropPendingUpdates: false }, () => launched());
  polling.catch(() => launched());
  await Promise.race([ready, polling]);
  logger.info({ username: bot.botInfo?.username }, "bot started with long polling");
  await registerDefaultCommands(bot.telegram).catch((error: unknown) => logger.warn({ err: error }, "could not register the command menu"));

  let stopping: Promise<void> | null = null;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, "stopping");
      try {
        bot.stop(reason);
      } catch {
        // Polling had already ended.
      }
      await polling.catch(() => undefined);
      await sequencer.drain();
      await store.close();
      logger.info("stopped");
    })();
    return stopping;
  };
  return { bot, store, app, polling, stop };
}
