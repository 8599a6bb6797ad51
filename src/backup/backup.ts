// A backup while the bot runs: the database first (SQLite's online backup, or pg_dump on PostgreSQL: a
// consistent snapshot while the bot keeps writing), then the files folder. Files are written once and named by their content, and
// a file is stored before the database row naming it is committed; copying the files after the snapshot
// therefore gives every file the snapshot names. The backup is assembled in "<name>.partial" and renamed
// when complete, so an interrupted run never looks like a backup. A backup holds every member's data:
// its folders are created 0700 and its files 0600, whatever the caller's umask.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, statSync } from "node:fs";
import { chmod, link, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  BACKUP_PREFIX,
  BackupError,
  compactTime,
  CONTENT_NAME,
  DATABASE_COPY,
  POSTGRES_DUMP,
  FILES_COPY,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  PRIVATE_DIR,
  PRIVATE_FILE,
  listFiles,
  sha256OfFile,
  type Clock,
  type FileEntry,
  type Manifest,
} from "./manifest.js";
import { databaseFacts, snapshotDatabase, type DatabaseFacts } from "./sqlite.js";
import { dumpPostgres, redactedUrl } from "./postgres.js";
import { dialectOfUrl } from "../db/dialect.js";

export interface BackupOptions {
  /** The SQLite file (null or absent when databaseUrl names a PostgreSQL database). */
  databaseFile?: string | null;
  /** DATABASE_URL: a postgresql:// URL makes a PostgreSQL backup (pg_dump); a file: URL is the SQLite file's. */
  databaseUrl?: string;
  filesDir: string;
  /** The folder backups are kept in; each backup is a new folder inside it. */
  targetDir: string;
  /** The folder's name; default "chibo-backup-<UTC time>". */
  name?: string;
  /** Read for the default name, then for the moment of the snapshot (the manifest's createdAt). */
  clock: Clock;
}

export interface BackupResult {
  dir: string;
  manifest: Manifest;
  /** Files hard-linked from the previous backup in the same folder instead of copied. */
  linked: number;
}

/** The most recent complete backup in the folder, to hard-link unchanged files from. */
async function previousBackup(targetDir: string, except: string): Promise<string | null> {
  const names = (await readdir(targetDir).catch(() => [] as string[]))
    .filter((n) => n.startsWith(BACKUP_PREFIX) && !n.endsWith(".partial") && n !== except)
    .sort();
  for (const name of names.reverse()) {
    if (existsSync(join(targetDir, name, MANIFEST_FILE))) return join(targetDir, name);
  }
  return null;
}

/** Copies a file, hashing it on the way. */
async function copyHashed(from: string, to: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tee, createWriteStream(to, { flags: "wx", mode: PRIVATE_FILE }));
  return { size, sha256: hash.digest("hex") };
}

export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const postgresUrl =
    options.databaseUrl && dialectOfUrl(options.databaseUrl) === "postgresql" ? options.databaseUrl : null;
  if (!postgresUrl && !options.databaseFile) throw new BackupError("no database given (check DATABASE_URL)");
  const databaseFile = postgresUrl ? null : resolve(options.databaseFile!);
  const filesDir = resolve(options.filesDir);
  const targetDir = resolve(options.targetDir);
  if (databaseFile && !existsSync(databaseFile))
    throw new BackupError(`no database at ${databaseFile} (check DATABASE_URL)`);
  // A backup inside the files folder would copy itself (and be copied by the next one).
  if (`${targetDir}${sep}`.startsWith(`${filesDir}${sep}`))
    throw new BackupError(
      `the backup folder ${targetDir} is inside FILES_DIR (${filesDir}); choose a folder outside it`,
    );
  await mkdir(targetDir, { recursive: true, mode: PRIVATE_DIR });
  const name = options.name ?? `${BACKUP_PREFIX}${compactTime(options.clock())}`;
  const finalDir = join(targetDir, name);
  if (existsSync(finalDir)) throw new BackupError(`${finalDir} already exists`);
  const workDir = `${finalDir}.partial`;
  // Taken exclusively: two backups started in the same second get the same name, and the second must
  // neither delete nor write into the first one's unfinished work.
  try {
    await mkdir(workDir, { mode: PRIVATE_DIR });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    throw new BackupError(
      `${workDir} already exists: another backup is being written there (wait for it to finish), or an interrupted one left it (remove it, then run the backup again)`,
    );
  }

  try {
    await chmod(workDir, PRIVATE_DIR);
    await mkdir(join(workDir, FILES_COPY), { mode: PRIVATE_DIR });

    // 1. The database, as one consistent snapshot.
    const databaseCopy = join(workDir, postgresUrl ? POSTGRES_DUMP : DATABASE_COPY);
    let takenAt: Date;
    let facts: DatabaseFacts;
    if (postgresUrl) {
      ({ takenAt, facts } = await dumpPostgres(postgresUrl, databaseCopy, options.clock));
    } else {
      ({ takenAt } = await snapshotDatabase(databaseFile!, databaseCopy, options.clock));
      facts = databaseFacts(databaseCopy);
    }

    // 2. The files, after the snapshot. Unchanged content-named files are hard-linked from the previous
    //    backup (daily backups then cost only the new files), and still hashed, so a damaged earlier
    //    copy is never carried forward.
    const previous = await previousBackup(targetDir, name);
    const entries: FileEntry[] = [];
    let linked = 0;
    for (const path of await listFiles(filesDir)) {
      const from = join(filesDir, path);
      const to = join(workDir, FILES_COPY, path);
      await mkdir(dirname(to), { recursive: true, mode: PRIVATE_DIR });
      let entry: FileEntry | null = null;
      const earlier = previous ? join(previous, FILES_COPY, path) : null;
      if (
        earlier &&
        CONTENT_NAME.test(basename(path)) &&
        existsSync(earlier) &&
        statSync(earlier).size === statSync(from).size
      ) {
        try {
          await link(earlier, to);
          // The link shares the earlier copy's mode, which a backup by an older version left readable to all.
          if (((await stat(to)).mode & 0o077) !== 0) await chmod(to, PRIVATE_FILE);
          const sha256 = await sha256OfFile(to);
          if (sha256 === basename(path)) {
            entry = { path, size: (await stat(to)).size, sha256 };
            linked++;
          } else {
            await rm(to, { force: true });
          }
        } catch {
          // Another file system, or links not allowed: copy instead.
          await rm(to, { force: true });
        }
      }
      entry ??= { path, ...(await copyHashed(from, to)) };
      entries.push(entry);
    }

    // 3. Every file the snapshot names must be in the copy, with the content it was stored with.
    const byPath = new Map(entries.map((e) => [e.path, e]));
    const missingFiles = facts.storedFiles.filter((f) => byPath.get(f.path.split("\\").join("/"))?.sha256 !== f.sha256);

    const dbStats = await stat(databaseCopy);
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      createdAt: takenAt.toISOString(),
      engine: postgresUrl ? "postgresql" : "sqlite",
      source: { databaseFile: postgresUrl ? redactedUrl(postgresUrl) : databaseFile!, filesDir },
      database: {
        file: postgresUrl ? POSTGRES_DUMP : DATABASE_COPY,
        size: dbStats.size,
        sha256: await sha256OfFile(databaseCopy),
        migrations: facts.migrations,
        tables: facts.tables,
      },
      files: { dir: FILES_COPY, count: entries.length, bytes: entries.reduce((sum, e) => sum + e.size, 0), entries },
      missingFiles,
    };
    await writeFile(join(workDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
      flag: "wx",
      mode: PRIVATE_FILE,
    });
    await rename(workDir, finalDir);
    return { dir: finalDir, manifest, linked };
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}
