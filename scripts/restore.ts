// `npm run restore -- <backup folder> [--force]`: puts a backup back as the configured database
// (DATABASE_URL) and files folder (FILES_DIR). Stop the bot first. Thin wrapper over src/backup/restore.ts.
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { BackupError } from "../src/backup/manifest.js";
import { restoreBackup } from "../src/backup/restore.js";
import { commandLinePath, storagePaths } from "../src/backup/storage.js";

const USAGE = "usage: npm run restore -- <backup folder> [--force]   (--force replaces an existing database; stop the bot first)";

async function main(args: string[]): Promise<number> {
  // Before anything is created: the restored database and files hold every member's data.
  process.umask(0o077);
  const force = args.includes("--force");
  const [source, ...rest] = args.filter((arg) => arg !== "--" && arg !== "--force");
  if (!source || source.startsWith("-") || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (existsSync(".env")) loadDotenv({ path: ".env", quiet: true });
  const paths = storagePaths(process.env);
  const result = await restoreBackup({ backupDir: commandLinePath(source, process.env, process.cwd()), ...paths, force });
  process.stdout.write(
    [
      `Restored the backup of ${result.manifest.createdAt} into ${result.databaseFile}`,
      result.migrated.length > 0 ? `  migrations applied: ${result.migrated.join(", ")}` : "  the database was already up to date",
      result.previousDatabase ? `  the database it replaced was kept as ${result.previousDatabase}` : null,
      `  files: ${result.filesCopied} copied into ${paths.filesDir}, ${result.filesAlreadyPresent} already there`,
      "Start the bot again (npm start).",
      "",
    ]
      .filter((line) => line !== null)
      .join("\n"),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`restore failed: ${error instanceof BackupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
