// Where the bot keeps its data, read from the environment the same way as the bot's own configuration
// (src/config.ts) but without requiring BOT_TOKEN: backup and restore need only the database and the files.
import { isAbsolute, resolve } from "node:path";
import { DEFAULT_DATABASE_URL, DEFAULT_FILES_DIR, sqliteFileOf } from "../config.js";
import { dialectOfUrl } from "../db/dialect.js";
import { BackupError } from "./manifest.js";

export interface StoragePaths {
  /** The SQLite file, or null when DATABASE_URL is a PostgreSQL database. */
  databaseFile: string | null;
  databaseUrl: string;
  filesDir: string;
}

export function storagePaths(env: NodeJS.ProcessEnv): StoragePaths {
  const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const filesDir = env.FILES_DIR?.trim() || DEFAULT_FILES_DIR;
  if (dialectOfUrl(url) === "postgresql") return { databaseFile: null, databaseUrl: url, filesDir };
  if (!url.startsWith("file:"))
    throw new BackupError(
      "DATABASE_URL must be a SQLite file URL such as file:./data/chibo.db or a PostgreSQL URL such as postgresql://chibo@localhost:5432/chibo",
    );
  const databaseFile = sqliteFileOf(url);
  if (!databaseFile || databaseFile === ":memory:")
    throw new BackupError(`DATABASE_URL does not name a database file: ${url}`);
  return { databaseFile, databaseUrl: url, filesDir };
}

/**
 * A folder named on the command line, as the operator meant it: `npm run` starts the script in the package
 * root, not where it was typed, so a relative path is taken from INIT_CWD (the folder npm was run in, which
 * npm sets) when there is one, else from the current folder. (DATABASE_URL and FILES_DIR, like the bot's
 * own configuration, stay relative to the package root, where .env is.)
 */
export function commandLinePath(path: string, env: NodeJS.ProcessEnv, cwd: string): string {
  if (isAbsolute(path)) return path;
  const base = env.INIT_CWD?.trim() || cwd;
  return resolve(base, path);
}
