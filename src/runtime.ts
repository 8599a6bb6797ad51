// Starting and stopping the whole program: migrations, database, use cases, bot. main.ts calls this
// with the real environment and clock; end-to-end tests call it with theirs.
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { AppDeps } from "./app/deps.js";
import { ensureCommittee } from "./app/committee.js";
import { refreshNameOrder } from "./app/members.js";
import { registerDefaultCommands } from "./bot/commands.js";
import { createBot, type ChiboBot } from "./bot/create-bot.js";
import { startPolling } from "./bot/polling.js";
import type { Config } from "./config.js";
import { createDb } from "./db/client.js";
import { migratePostgres, migrateSqlite } from "./db/migrate.js";
import { createStore, type Store } from "./db/store.js";
import { translator } from "./i18n/index.js";
import { createJobs } from "./jobs/jobs.js";
import { Scheduler } from "./jobs/scheduler.js";
import { outboxAccessFromStore } from "./notify/outbox.js";
import { createSender } from "./notify/sender.js";
import { loadAttachment } from "./app/report-delivery.js";
import { FLOW_SAVE_RETENTION_MS } from "./app/flow-saves.js";
import { createThrottle } from "./notify/throttle.js";
import { securePrivateStorage } from "./files/private-storage.js";
import { claimDatabase, claimPostgresDatabase, type WriterLock } from "./db/single-writer.js";
import { isStorageFailure } from "./db/errors.js";
import { createStorageAlarm, type StorageAlarm } from "./notify/storage-alarm.js";

/** Update ids are remembered this long to drop Telegram's re-deliveries. */
const PROCESSED_UPDATE_RETENTION_MS = 3 * 24 * 60 * 60 * 1000;

export interface RunningChibo {
  readonly bot: ChiboBot["bot"];
  readonly store: Store;
  readonly app: AppDeps;
  /**
   * Resolves when polling has ended after stop(); rejects with PollingStopped when Telegram refuses the
   * token (401) or another poller uses it (409). Never rejects because Telegram cannot be reached.
   */
  readonly polling: Promise<void>;
  /** Resolves once Telegram has answered (getMe) and the command menu was registered. */
  readonly connected: Promise<void>;
  /** Stops polling, finishes updates in flight, closes the database. Safe to call twice. */
  stop(reason: string): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  clock?: () => Date;
  /** Scheduled jobs (rule scans, reminders); tests of other features turn them off. Default on. */
  jobs?: boolean;
  /** How often the outbox sender looks for due notifications (ms). */
  senderIntervalMs?: number;
  /** The wait after the n-th failure in a row to reach Telegram (default 1 s doubling to a minute). */
  reconnectDelay?: (failures: number) => number;
  /** The outbox's wait after a notification's n-th failed send (default 30 s doubling to an hour). */
  senderBackoff?: (attempt: number) => number;
}

export async function startChibo(config: Config, options: RuntimeOptions): Promise<RunningChibo> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const tightened = securePrivateStorage({ databaseFile: config.databaseFile, filesDir: config.filesDir });
  if (tightened.length > 0) logger.warn({ count: tightened.length, paths: tightened }, "data readable by other accounts on this server made owner-only (files 0600, folders 0700)");
  // One writer per database: a second process stops here (DatabaseInUseError), before it writes anything.
  const writerLock = config.databaseFile === null ? await claimPostgresDatabase(config.databaseUrl, clock()) : claimDatabase(config.databaseFile, clock());
  try {
    return await startClaimed(config, options, clock, writerLock);
  } catch (error) {
    writerLock.release();
    throw error;
  }
}

async function startClaimed(config: Config, options: RuntimeOptions, clock: () => Date, writerLock: WriterLock): Promise<RunningChibo> {
  const { logger } = options;
  const migration = config.databaseFile === null ? await migratePostgres(config.databaseUrl) : migrateSqlite(config.databaseFile);
  if (migration.applied.length > 0) logger.info({ applied: migration.applied }, "database migrations applied");
  const store = createStore(createDb(config.databaseUrl));
  const app: AppDeps = {
    store,
    timeZone: config.timeZone,
    adminTelegramIds: config.adminTelegramIds,
    invitationTtlDays: config.invitationTtlDays,
    committeeName: config.committeeName,
    committeePlace: config.committeePlace,
    parentPartyName: config.parentPartyName,
    filesDir: config.filesDir,
    randomBytes,
  };
  await ensureCommittee(app, clock());
  const rekeyed = await refreshNameOrder(app);
  if (rekeyed > 0) logger.info({ count: rekeyed }, "names re-keyed for the Vietnamese alphabetical order");
  await store.repos.processedUpdates.pruneBefore(new Date(clock().getTime() - PROCESSED_UPDATE_RETENTION_MS));
  await store.repos.flowSaves.pruneBefore(new Date(clock().getTime() - FLOW_SAVE_RETENTION_MS));

  // Who hears of delivery failures and of a full disk: the configured admins, the committee's admins and office.
  const committeeAdmins = async () => [...new Set([...config.adminTelegramIds, ...(await store.repos.users.holdersOf(["COMMITTEE_ADMIN", "COMMITTEE_OFFICE"])).map((u) => u.telegramId)])];
  let storageAlarm: StorageAlarm | null = null;
  const onStorageFailure = (error: unknown) => storageAlarm?.raise(error);
  const { bot, sequencer } = createBot({
    app,
    ports: { conversations: store.repos.conversations, processedUpdates: store.repos.processedUpdates },
    isStorageFailure,
    logger,
    clock,
    token: config.botToken,
    apiRoot: config.telegramApiRoot,
    defaultLocale: config.defaultLocale,
    onStorageFailure,
  });
  storageAlarm = createStorageAlarm({
    telegram: bot.telegram,
    recipients: committeeAdmins,
    configuredAdmins: config.adminTelegramIds,
    text: (code) => translator(config.defaultLocale)("alerts.storageTrouble", { code }),
    logger: logger.child({ feature: "storage" }),
    clock,
  });
  // Polling starts without waiting for Telegram: the scheduler and the outbox run meanwhile, and the poller
  // keeps trying until Telegram answers (a server whose network comes up after the bot, DNS not ready yet).
  let connected!: () => void;
  const connection = new Promise<void>((resolve) => (connected = resolve));
  const poller = startPolling({
    telegram: bot.telegram,
    handleUpdate: (update) => bot.handleUpdate(update),
    logger: logger.child({ feature: "polling" }),
    ...(options.reconnectDelay ? { reconnectDelay: options.reconnectDelay } : {}),
    onConnected: async (me) => {
      bot.botInfo = me;
      logger.info({ username: me.username }, "bot started with long polling");
      await registerDefaultCommands(bot.telegram).catch((error: unknown) => logger.warn({ err: error }, "could not register the command menu"));
      connected();
    },
  });
  const polling = poller.done;
  polling.catch(() => connected());

  const sender = createSender({
    outbox: outboxAccessFromStore(store),
    telegram: bot.telegram,
    throttle: createThrottle(),
    clock,
    logger: logger.child({ feature: "outbox" }),
    failureAlert: {
      recipients: committeeAdmins,
      text: () => translator(config.defaultLocale)("alerts.failedDelivery", { count: 1 }),
    },
    loadAttachment: (id) => loadAttachment(app, id),
    ...(options.reconnectDelay ? { unreachableDelay: options.reconnectDelay } : {}),
    ...(options.senderBackoff ? { backoff: options.senderBackoff } : {}),
    onError: onStorageFailure,
  });
  await sender.start(options.senderIntervalMs ?? 1000);
  const scheduler = new Scheduler(options.jobs === false ? [] : createJobs(app), store.repos.jobRuns, clock, config.timeZone, logger.child({ feature: "jobs" }), onStorageFailure);
  await scheduler.start();

  let stopping: Promise<void> | null = null;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, "stopping");
      await poller.stop();
      await sequencer.drain();
      await scheduler.stop();
      await sender.stop();
      storageAlarm?.stop();
      await store.close();
      writerLock.release();
      logger.info("stopped");
    })();
    return stopping;
  };
  return { bot, store, app, polling, connected: connection, stop };
}
