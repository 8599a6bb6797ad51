// Starting and stopping the whole program: migrations, database, use cases, bot. main.ts calls this
// with the real environment and clock; end-to-end tests call it with theirs.
import { diskFileStore } from "./files/file-store.js";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
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
import type { Update, UserFromGetMe } from "telegraf/types";
import type { Health } from "./http/server.js";
import { SENDER_LEASE_MS, SENDER_ROLE } from "./notify/sender-role.js";
import { registerWebhook } from "./bot/webhook.js";
import { FLOW_SAVE_RETENTION_MS } from "./app/flow-saves.js";
import { PROCESSED_UPDATE_RETENTION_MS } from "./app/housekeeping.js";
import { createThrottle } from "./notify/throttle.js";
import { securePrivateStorage } from "./files/private-storage.js";
import { claimDatabase, claimPostgresDatabase, type WriterLock } from "./db/single-writer.js";
import { isStorageFailure } from "./db/errors.js";
import { createStorageAlarm, type StorageAlarm } from "./notify/storage-alarm.js";
import { createUpdateGate } from "./app/update-gate.js";
import { createSenderRole } from "./notify/sender-role.js";
import { budgetReplies, replyThrottle } from "./notify/reply-budget.js";
import { Telegram } from "telegraf";
import { startHttpServer, type HttpServer } from "./http/server.js";
import { connectForWebhook } from "./bot/webhook.js";

/** The sender's budget in webhook mode: with two processes' replies (src/notify/reply-budget.ts), 24/s. */
const WEBHOOK_SENDER_PER_SECOND = 14;

export interface RunningChibo {
  readonly bot: ChiboBot["bot"];
  /** This process's name in the database's leases and claims ("host:pid:random"). */
  readonly holder: string;
  /** The webhook server in webhook mode (its bound port), else null. */
  readonly http: HttpServer | null;
  readonly store: Store;
  readonly app: AppDeps;
  /**
   * Resolves when polling has ended after stop(); rejects with PollingStopped when Telegram refuses the
   * token (401) or another poller uses it (409). Never rejects because Telegram cannot be reached.
   */
  readonly polling: Promise<void>;
  /** Resolves once Telegram has answered (getMe) and the command menu was registered. */
  readonly connected: Promise<void>;
  /**
   * Stops taking updates (polling ends; the webhook answers 503), finishes updates in flight, hands the
   * sender role over, closes the database. Safe to call twice.
   */
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
  if (tightened.length > 0)
    logger.warn(
      { count: tightened.length, paths: tightened },
      "data readable by other accounts on this server made owner-only (files 0600, folders 0700)",
    );
  // Long polling: one process per database, a second one stops here (DatabaseInUseError) before it writes
  // anything. Webhook mode: several processes share the database, coordinated through it (leases, claims).
  const writerLock: WriterLock = config.webhook
    ? { file: "", release: () => undefined }
    : config.databaseFile === null
      ? await claimPostgresDatabase(config.databaseUrl, clock())
      : claimDatabase(config.databaseFile, clock());
  try {
    return await startClaimed(config, options, clock, writerLock);
  } catch (error) {
    writerLock.release();
    throw error;
  }
}

async function startClaimed(
  config: Config,
  options: RuntimeOptions,
  clock: () => Date,
  writerLock: WriterLock,
): Promise<RunningChibo> {
  const { logger } = options;
  const migration =
    config.databaseFile === null ? await migratePostgres(config.databaseUrl) : migrateSqlite(config.databaseFile);
  if (migration.applied.length > 0) logger.info({ applied: migration.applied }, "database migrations applied");
  const store = createStore(createDb(config.databaseUrl));
  const app: AppDeps = {
    store,
    timeZone: config.timeZone,
    adminTelegramIds: config.adminTelegramIds,
    provinceAdminTelegramIds: config.provinceAdminTelegramIds,
    invitationTtlDays: config.invitationTtlDays,
    committeeName: config.committeeName,
    committeePlace: config.committeePlace,
    parentPartyName: config.parentPartyName,
    termStartYear: config.termStartYear,
    files: diskFileStore(config.filesDir),
    randomBytes,
  };
  await ensureCommittee(app, clock());
  const rekeyed = await refreshNameOrder(app);
  if (rekeyed > 0) logger.info({ count: rekeyed }, "names re-keyed for the Vietnamese alphabetical order");
  // Long polling is one process per database: a lease left behind was its dead predecessor's (a kill -9 mid-
  // update), and the chat it holds would otherwise wait for it to expire before its next update is answered.
  if (!config.webhook) {
    const freed = await store.repos.leases.releaseAll();
    if (freed > 0) logger.info({ count: freed }, "leases left by a process that died are freed");
  }
  await store.repos.processedUpdates.pruneBefore(new Date(clock().getTime() - PROCESSED_UPDATE_RETENTION_MS));
  // Long polling holds the one-writer lock: no other process is alive on this database, so leases left by a
  // process that died (kill -9) are nobody's: freed now rather than waited out.
  if (!config.webhook) await store.repos.leases.pruneExpired(new Date(Date.UTC(9999, 0, 1)));
  await store.repos.flowSaves.pruneBefore(new Date(clock().getTime() - FLOW_SAVE_RETENTION_MS));

  // Who hears of delivery failures and of a full disk: whoever runs the deployment — the configured admins, the
  // first commune's admins and office (a one-commune install's committee), the province's admins.
  const committeeAdmins = async () => {
    const first = await store.repos.committee.get();
    return [
      ...new Set([
        ...config.adminTelegramIds,
        ...config.provinceAdminTelegramIds,
        ...(first
          ? await store.repos.users.holdersOf(["COMMITTEE_ADMIN", "COMMITTEE_OFFICE"], { committeeId: first.id })
          : []
        ).map((u) => u.telegramId),
        ...(await store.repos.users.holdersOf(["PROVINCE_ADMIN"], "province")).map((u) => u.telegramId),
      ]),
    ];
  };
  let storageAlarm: StorageAlarm | null = null;
  const onStorageFailure = (error: unknown) => storageAlarm?.raise(error);
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const updates = createUpdateGate({ store, holder, clock, logger: logger.child({ feature: "updates" }) });
  const { bot, sequencer } = createBot({
    app,
    ports: { conversations: store.repos.conversations, updates },
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
  // Updates start without waiting for Telegram: the scheduler and the outbox run meanwhile, and the bot
  // keeps trying until Telegram answers (a server whose network comes up after the bot, DNS not ready yet).
  let connected!: () => void;
  const connection = new Promise<void>((resolve) => (connected = resolve));
  const onConnected = async (me: UserFromGetMe, how: string) => {
    bot.botInfo = me;
    logger.info({ username: me.username }, `bot started with ${how}`);
    await registerDefaultCommands(bot.telegram).catch((error: unknown) =>
      logger.warn({ err: error }, "could not register the command menu"),
    );
    connected();
  };
  // A failing update must not end polling (the gate's lease wait): it is logged, the loop goes on.
  const handleUpdate = (update: Update) => bot.handleUpdate(update);
  let http: HttpServer | null = null;
  let poller: { done: Promise<void>; stop(): Promise<void> };
  if (config.webhook) {
    const webhook = config.webhook;
    const connecting = connectForWebhook({
      telegram: bot.telegram,
      logger: logger.child({ feature: "webhook" }),
      ...(options.reconnectDelay ? { reconnectDelay: options.reconnectDelay } : {}),
      onConnected: (me) => onConnected(me, "a webhook"),
    });
    poller = connecting;
    http = await startHttpServer({
      host: webhook.host,
      port: webhook.port,
      webhookPath: webhook.path,
      secret: webhook.secret,
      handleUpdate,
      health: () => health(),
      logger: logger.child({ feature: "http" }),
    });
  } else {
    poller = startPolling({
      telegram: bot.telegram,
      handleUpdate: (update) =>
        handleUpdate(update).catch((error: unknown) =>
          logger.warn({ err: error, updateId: update.update_id }, "update not handled"),
        ),
      logger: logger.child({ feature: "polling" }),
      ...(options.reconnectDelay ? { reconnectDelay: options.reconnectDelay } : {}),
      onConnected: (me) => onConnected(me, "long polling"),
    });
  }
  const polling = poller.done;
  polling.catch(() => connected());

  // Telegram's ~30 messages/s is the bot's, replies included. With a webhook, replies go out from every
  // process beside the one sender: the sender keeps 14/s and each process's replies 5/s. The sender has a
  // Telegram client of its own, so its messages are counted by its throttle only.
  const throttle = createThrottle(config.webhook ? { perSecond: WEBHOOK_SENDER_PER_SECOND } : {});
  if (config.webhook) budgetReplies(bot.telegram, replyThrottle());
  const sender = createSender({
    outbox: outboxAccessFromStore(store),
    telegram: config.webhook ? new Telegram(config.botToken, { apiRoot: config.telegramApiRoot }) : bot.telegram,
    throttle,
    claimLease: { holder, leaseMs: SENDER_LEASE_MS },
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
  // One sender per bot across processes; the sender registers the webhook when it takes the role.
  const senderRole = createSenderRole({
    leases: store.repos.leases,
    holder,
    sender,
    throttle,
    clock,
    logger: logger.child({ feature: "outbox" }),
    intervalMs: options.senderIntervalMs ?? 1000,
    onError: onStorageFailure,
    ...(config.webhook
      ? { onElected: () => registerWebhook(bot.telegram, config.webhook!, logger.child({ feature: "webhook" })) }
      : {}),
  });
  await senderRole.start();
  const scheduler = new Scheduler(
    options.jobs === false ? [] : createJobs(app, { housekeepingSeconds: config.housekeepingSeconds }),
    store.repos.jobRuns,
    clock,
    config.timeZone,
    logger.child({ feature: "jobs" }),
    onStorageFailure,
    { slots: store.repos.jobSlots, holder },
  );
  await scheduler.start();

  async function health(): Promise<Health> {
    const started = performance.now();
    const sender = await store.repos.leases.holderOf(SENDER_ROLE, clock());
    return {
      ok: true,
      holder,
      database: { reachable: true, ms: Math.round(performance.now() - started) },
      migrations: { applied: true, latest: migration.latest },
      scheduler: scheduler.state(),
      sender: { ...senderRole.state(), current: sender?.holder ?? null },
    };
  }

  let stopping: Promise<void> | null = null;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, "stopping");
      await http?.drain();
      await poller.stop();
      await sequencer.drain();
      await scheduler.stop();
      await senderRole.stop();
      storageAlarm?.stop();
      await store.close();
      writerLock.release();
      logger.info("stopped");
    })();
    return stopping;
  };
  return { bot, holder, http, store, app, polling, connected: connection, stop };
}
