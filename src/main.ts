// Composition root: environment -> config -> runtime; signals stop it gracefully.
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startChibo } from "./runtime.js";
import { DatabaseInUseError } from "./db/single-writer.js";
import { PollingStopped } from "./bot/polling.js";
import { formatInstant } from "./i18n/format.js";

async function main(): Promise<void> {
  if (existsSync(".env")) loadDotenv({ path: ".env", quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `chibo cannot start: the configuration is not valid.\n${error.problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example and README.md.\n`,
      );
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // Signals are caught from the start: one that arrives while start-up is still running (jobs catching
  // up) stops the bot cleanly as soon as it is up, rather than killing it mid-write.
  let running: Awaited<ReturnType<typeof startChibo>> | null = null;
  let pending: NodeJS.Signals | null = null;
  const shutdown = (signal: NodeJS.Signals) => {
    if (!running) {
      pending = signal;
      return;
    }
    void running.stop(signal).then(
      () => logger.flush(() => process.exit(0)),
      (error: unknown) => {
        logger.fatal({ err: error }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  let started: Awaited<ReturnType<typeof startChibo>>;
  try {
    started = await startChibo(config, { logger });
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      const holder = error.holder;
      const who = holder
        ? `PID ${holder.pid} on host ${holder.host}, started ${formatInstant(holder.startedAt, config.timeZone)} (${config.timeZone})`
        : "a process whose details could not be read";
      process.stderr
        .write(`chibo cannot start: another chibo process is already running on ${error.databaseFile}: ${who}.
One process per database: stop that one first, or set DATABASE_URL to another database.
`);
      process.exit(2);
    }
    throw error;
  }
  running = started;
  started.polling.catch((error: unknown) => {
    // A rejected token or another poller: say so plainly and stop (a restart would not help).
    if (error instanceof PollingStopped) {
      logger.fatal({ reason: error.reason, telegram: error.description }, error.message);
      process.stderr.write(`chibo stopped: ${error.message}\n`);
    } else logger.fatal({ err: error }, "polling stopped on an error");
    void started
      .stop("polling error")
      .finally(() => logger.flush(() => process.exit(error instanceof PollingStopped ? 2 : 1)));
  });
  if (pending) shutdown(pending);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `chibo failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
