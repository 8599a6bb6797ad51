// Composition root: environment -> config -> runtime; signals stop it gracefully.
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startChibo } from "./runtime.js";

async function main(): Promise<void> {
  if (existsSync(".env")) loadDotenv({ path: ".env", quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`chibo cannot start: the configuration is not valid.\n${error.problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example and README.md.\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const running = await startChibo(config, { logger });
  const shutdown = (signal: NodeJS.Signals) => {
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
  running.polling.catch((error: unknown) => {
    logger.fatal({ err: error }, "polling stopped on an error");
    void running.stop("polling error").finally(() => process.exit(1));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`chibo failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
