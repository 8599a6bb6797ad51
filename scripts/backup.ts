// `npm run backup -- <folder>`: a backup of the database and the files folder, safe while the bot runs.
// Thin wrapper: the work is in src/backup/backup.ts.
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { createBackup } from "../src/backup/backup.js";
import { BackupError } from "../src/backup/manifest.js";
import { commandLinePath, storagePaths } from "../src/backup/storage.js";

const USAGE = "usage: npm run backup -- <folder>   (each backup is a new folder chibo-backup-<time> inside it)";

async function main(args: string[]): Promise<number> {
  // Before anything is created: a backup holds every member's data, for the operator's account only.
  process.umask(0o077);
  const [target, ...rest] = args.filter((arg) => arg !== "--");
  if (!target || target.startsWith("-") || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (existsSync(".env")) loadDotenv({ path: ".env", quiet: true });
  const paths = storagePaths(process.env);
  const { dir, manifest, linked } = await createBackup({ ...paths, targetDir: commandLinePath(target, process.env, process.cwd()) });
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
  process.stdout.write(
    [
      `Backup written to ${dir}`,
      `  database: ${paths.databaseFile} as of ${manifest.createdAt} (${mb(manifest.database.size)} MB, ${manifest.database.tables.Member ?? 0} members, ${manifest.database.migrations.length} migrations)`,
      `  files: ${manifest.files.count} from ${paths.filesDir} (${mb(manifest.files.bytes)} MB${linked > 0 ? `, ${linked} hard-linked from the previous backup` : ""})`,
      "",
    ].join("\n"),
  );
  if (manifest.missingFiles.length > 0) {
    process.stderr.write(`warning: ${manifest.missingFiles.length} stored file(s) named by the database were missing or damaged in ${paths.filesDir}: ${manifest.missingFiles.slice(0, 5).map((f) => f.path).join(", ")}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`backup failed: ${error instanceof BackupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
