// `npm run backup -- <folder>`: a backup of the database and the files folder, safe while the bot runs.
// Thin wrapper: the work is in src/backup/backup.ts, the command line in src/backup/cli.ts.
import { createBackup } from "../src/backup/backup.js";
import { runTool } from "../src/backup/cli.js";
import { BACKUP_PREFIX } from "../src/backup/manifest.js";
import { redactedUrl } from "../src/backup/postgres.js";

runTool({
  name: "backup",
  usage: `usage: npm run backup -- <folder>   (each backup is a new folder ${BACKUP_PREFIX}<time> inside it)`,
  async run({ folder, paths }) {
    const { dir, manifest, linked } = await createBackup({ ...paths, targetDir: folder, clock: () => new Date() });
    const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
    process.stdout.write(
      [
        `Backup written to ${dir}`,
        `  database: ${paths.databaseFile ?? redactedUrl(paths.databaseUrl)} as of ${manifest.createdAt} (${mb(manifest.database.size)} MB, ${manifest.database.tables.Member ?? 0} members, ${manifest.database.migrations.length} migrations)`,
        `  files: ${manifest.files.count} from ${paths.filesDir} (${mb(manifest.files.bytes)} MB${linked > 0 ? `, ${linked} hard-linked from the previous backup` : ""})`,
        "",
      ].join("\n"),
    );
    if (manifest.missingFiles.length > 0) {
      process.stderr.write(
        `warning: ${manifest.missingFiles.length} stored file(s) named by the database were missing or damaged in ${paths.filesDir}: ${manifest.missingFiles
          .slice(0, 5)
          .map((f) => f.path)
          .join(", ")}\n`,
      );
    }
  },
});
