// Where the bot keeps its data, read from the environment the same way as the bot's own configuration
// (src/config.ts) but without requiring BOT_TOKEN: backup and restore need only the two paths.
import { sqliteFileOf } from "../config.js";
import { BackupError } from "./manifest.js";

export const DEFAULT_DATABASE_URL = "file:./data/chibo.db";
export const DEFAULT_FILES_DIR = "./data/files";

export interface StoragePaths {
  databaseFile: string;
  filesDir: string;
}

export function storagePaths(env: NodeJS.ProcessEnv): StoragePaths {
  const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  if (!url.startsWith("file:")) throw new BackupError("DATABASE_URL must be a SQLite file URL such as file:./data/chibo.db");
  const databaseFile = sqliteFileOf(url);
  if (!databaseFile || databaseFile === ":memory:") throw new BackupError(`DATABASE_URL does not name a database file: ${url}`);
  return { databaseFile, filesDir: env.FILES_DIR?.trim() || DEFAULT_FILES_DIR };
}
