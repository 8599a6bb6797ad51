// `npm run restore -- <backup folder> [--force]`: puts a backup back as the configured database
// (DATABASE_URL) and files folder (FILES_DIR). Stop the bot first. Thin wrapper over src/backup/restore.ts
// (the command line is src/backup/cli.ts).
import { runTool } from "../src/backup/cli.js";
import { restoreBackup } from "../src/backup/restore.js";

runTool({
  name: "restore",
  usage:
    "usage: npm run restore -- <backup folder> [--force]   (--force replaces an existing database; stop the bot first)",
  flags: ["--force"],
  async run({ folder, flags, paths }) {
    const result = await restoreBackup({
      backupDir: folder,
      ...paths,
      force: flags.has("--force"),
      clock: () => new Date(),
    });
    process.stdout.write(
      [
        `Restored the backup of ${result.manifest.createdAt} into ${result.databaseFile}`,
        result.migrated.length > 0
          ? `  migrations applied: ${result.migrated.join(", ")}`
          : "  the database was already up to date",
        result.previousDatabase ? `  the database it replaced was kept as ${result.previousDatabase}` : null,
        `  files: ${result.filesCopied} copied into ${paths.filesDir}, ${result.filesAlreadyPresent} already there`,
        "Start the bot again (npm start).",
        "",
      ]
        .filter((line) => line !== null)
        .join("\n"),
    );
  },
});
