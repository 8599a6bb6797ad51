// Restoring a backup into the configured database and files folder. Nothing is touched until the whole
// backup has been checked against its manifest. An existing database is replaced only when asked
// (`force`), never while anyone has it open (the bot must be stopped), and is moved aside rather than
// deleted. The copy is brought up to date with the migrations before it is put in place, so an older
// backup starts on the current code. What the restore creates is for the operator's account only
// (folders 0700, files 0600), whatever the caller's umask. On PostgreSQL the target is the database
// DATABASE_URL names (created beforehand, see README): its data is kept in a schema beside when replaced.
import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, realpath, rename, rm, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { migratePostgres, migrateSqlite, MIGRATIONS_DIR, PG_MIGRATIONS_DIR } from "../db/migrate.js";
import { dialectOfUrl } from "../db/dialect.js";
import { redactedUrl, restorePostgres } from "./postgres.js";
import {
  BackupError,
  compactTime,
  PRIVATE_DIR,
  PRIVATE_FILE,
  readManifest,
  safeRelative,
  sha256OfFile,
  verifyBackup,
  type Clock,
  type Manifest,
} from "./manifest.js";
import { assertIntact, databaseInUse } from "./sqlite.js";

export interface RestoreOptions {
  backupDir: string;
  /** The SQLite file (null or absent when databaseUrl names a PostgreSQL database). */
  databaseFile?: string | null;
  /** DATABASE_URL: a postgresql:// URL restores a PostgreSQL backup into that database. */
  databaseUrl?: string;
  filesDir: string;
  /** Replace an existing database (moved aside to "<file>.before-restore-<time>", or schema before_restore_<time>). */
  force?: boolean;
  migrationsDir?: string;
  /** Read once, as the new database is put in place: the time in the name the replaced one is kept under. */
  clock: Clock;
}

export interface RestoreResult {
  manifest: Manifest;
  /** The SQLite file, or the PostgreSQL URL with its password hidden. */
  databaseFile: string;
  /** Migrations applied to the backup's copy to bring it up to date. */
  migrated: string[];
  /** Where the database that was replaced went (a file, or "schema <name>" on PostgreSQL), if there was one. */
  previousDatabase: string | null;
  filesCopied: number;
  filesAlreadyPresent: number;
}

const SIDE_FILES = ["-wal", "-shm", "-journal"];

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  // Read through its real path: the checks below then see every folder inside the backup as it is.
  const backupDir = await realpath(resolve(options.backupDir)).catch(() => resolve(options.backupDir));
  const postgresUrl =
    options.databaseUrl && dialectOfUrl(options.databaseUrl) === "postgresql" ? options.databaseUrl : null;
  if (!postgresUrl && !options.databaseFile) throw new BackupError("no database given (check DATABASE_URL)");
  const filesDir = resolve(options.filesDir);

  // 1. The backup must be whole before anything is touched.
  const manifest = await readManifest(backupDir);
  const problems = await verifyBackup(backupDir, manifest);
  if (problems.length > 0) {
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : "";
    throw new BackupError(
      `the backup in ${backupDir} is damaged; nothing was restored:\n  ${problems.slice(0, 10).join("\n  ")}${more}`,
    );
  }
  const engine = manifest.engine ?? "sqlite";
  if (engine !== (postgresUrl ? "postgresql" : "sqlite")) {
    throw new BackupError(
      engine === "postgresql"
        ? "this is a backup of a PostgreSQL database: set DATABASE_URL to the PostgreSQL database to restore it into (postgresql://…)"
        : "this is a backup of a SQLite database: set DATABASE_URL to the SQLite file to restore it into (file:…)",
    );
  }
  if (postgresUrl) return restoreIntoPostgres(backupDir, manifest, postgresUrl, filesDir, options);
  const databaseFile = resolve(options.databaseFile!);

  // 2. The target: an existing database only with force, and never while it is open.
  const exists = existsSync(databaseFile);
  if (exists && !options.force)
    throw new BackupError(
      `a database already exists at ${databaseFile}; stop the bot and run the restore again with --force to replace it (it is kept beside, renamed)`,
    );
  if (exists && databaseInUse(databaseFile))
    throw new BackupError(
      `the database at ${databaseFile} is in use — is the bot running? Stop it first, then restore.`,
    );

  // 3. A copy of the backup's database next to the target, checked and migrated; put in place last.
  await mkdir(dirname(databaseFile), { recursive: true, mode: PRIVATE_DIR });
  const incoming = `${databaseFile}.restoring-${randomBytes(4).toString("hex")}`;
  let previousDatabase: string | null = null;
  try {
    await copyFile(join(backupDir, safeRelative(manifest.database.file)), incoming);
    // copyFile keeps the source's mode; a backup by an older version has its copy readable to all.
    await chmod(incoming, PRIVATE_FILE);
    assertIntact(
      incoming,
      (problems) => new BackupError(`the backup's database fails SQLite's integrity check: ${problems}`),
    );
    const migrated = migrateSqlite(incoming, options.migrationsDir ?? MIGRATIONS_DIR).applied;
    // The migrator leaves the file in WAL mode; its last connection has closed, so the WAL is folded in.
    for (const side of SIDE_FILES)
      if (existsSync(`${incoming}${side}`)) throw new BackupError(`the migrated copy left ${incoming}${side} behind`);

    // 4. The files, before the database: the database names them, and they are content-named (a file
    //    already there with the same name has the same content), so copying them harms nothing; a restore
    //    that fails here leaves the current database in place rather than one naming files not yet there.
    const { filesCopied, filesAlreadyPresent } = await restoreFiles(backupDir, manifest, filesDir);

    // 5. The database: the old one moved aside with its WAL (a stale -wal beside the new file would
    //    corrupt it), then the checked and migrated copy put in its place.
    const aside = `${databaseFile}.before-restore-${compactTime(options.clock())}`;
    for (const side of ["", ...SIDE_FILES]) {
      if (!existsSync(`${databaseFile}${side}`)) continue;
      await rename(`${databaseFile}${side}`, `${aside}${side}`);
      if (side === "") previousDatabase = aside;
    }
    await rename(incoming, databaseFile);
    return { manifest, databaseFile, migrated, previousDatabase, filesCopied, filesAlreadyPresent };
  } finally {
    for (const side of ["", ...SIDE_FILES]) await rm(`${incoming}${side}`, { force: true });
  }
}

/**
 * PostgreSQL: the files first (as above), then pg_restore into the configured database (the data it held
 * kept in a schema beside), the rows restored checked against the manifest, then the migrations.
 */
async function restoreIntoPostgres(
  backupDir: string,
  manifest: Manifest,
  url: string,
  filesDir: string,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const { filesCopied, filesAlreadyPresent } = await restoreFiles(backupDir, manifest, filesDir);
  const asideSchema = `before_restore_${compactTime(options.clock()).toLowerCase()}`;
  const restored = await restorePostgres(url, join(backupDir, safeRelative(manifest.database.file)), {
    force: options.force === true,
    asideSchema,
  });
  const differing = Object.entries(manifest.database.tables).filter(([table, rows]) => restored.tables[table] !== rows);
  if (differing.length > 0) {
    throw new BackupError(
      `the restored database does not hold what the backup recorded: ${differing
        .slice(0, 5)
        .map(([table, rows]) => `${table} has ${restored.tables[table] ?? 0} rows, the manifest says ${rows}`)
        .join("; ")}`,
    );
  }
  const migrated = (await migratePostgres(url, options.migrationsDir ?? PG_MIGRATIONS_DIR)).applied;
  return {
    manifest,
    databaseFile: redactedUrl(url),
    migrated,
    previousDatabase: restored.previousSchema ? `schema ${restored.previousSchema}` : null,
    filesCopied,
    filesAlreadyPresent,
  };
}

/** Each file of the backup copied into FILES_DIR, unless already there with the same content. */
async function restoreFiles(
  backupDir: string,
  manifest: Manifest,
  filesDir: string,
): Promise<{ filesCopied: number; filesAlreadyPresent: number }> {
  let filesCopied = 0;
  let filesAlreadyPresent = 0;
  for (const entry of manifest.files.entries) {
    const relative = safeRelative(entry.path);
    const to = join(filesDir, relative);
    const present = await stat(to).catch(() => null);
    if (present?.isFile() && present.size === entry.size && (await sha256OfFile(to)) === entry.sha256) {
      filesAlreadyPresent++;
      continue;
    }
    await mkdir(dirname(to), { recursive: true, mode: PRIVATE_DIR });
    // A dot name, like the file store's uploads in progress: a backup running meanwhile skips it.
    const partial = join(dirname(to), `.${basename(to)}.${randomBytes(4).toString("hex")}.part`);
    try {
      await copyFile(join(backupDir, safeRelative(manifest.files.dir), relative), partial);
      await chmod(partial, PRIVATE_FILE);
      await rename(partial, to);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    filesCopied++;
  }
  return { filesCopied, filesAlreadyPresent };
}
