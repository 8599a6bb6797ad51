// A backup folder: the database copy, the files folder copy and a manifest saying what should be there
// (sizes and SHA-256 of everything), so a restore can prove the copy is whole before it touches anything.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readFile, realpath } from "node:fs/promises";
import { isAbsolute, join, normalize, sep } from "node:path";

export const MANIFEST_FILE = "manifest.json";
export const DATABASE_COPY = "chibo.db";
/** The database copy of a PostgreSQL backup: pg_dump's custom format. */
export const POSTGRES_DUMP = "chibo.pgdump";
export const FILES_COPY = "files";
export const MANIFEST_FORMAT = "chibo-backup";
export const MANIFEST_VERSION = 1;
/** How every backup folder's name begins (by default, followed by its compactTime). */
export const BACKUP_PREFIX = "chibo-backup-";
/** Modes of what backup and restore create: the data is every member's, for the operator's account only (as the bot's own). */
export { PRIVATE_DIR, PRIVATE_FILE } from "../files/private-storage.js";
/** The file store's names: the content's SHA-256 (in a folder named by its first two digits). */
export const CONTENT_NAME = /^[0-9a-f]{64}$/;

export interface FileEntry {
  /** Relative to the files folder, with "/" separators. */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  /** When the database snapshot was taken (ISO instant). */
  createdAt: string;
  /** The engine the database copy is for; absent in backups made before PostgreSQL was supported (SQLite). */
  engine?: "sqlite" | "postgresql";
  /** databaseFile is the SQLite file, or the PostgreSQL URL with its password hidden. */
  source: { databaseFile: string; filesDir: string };
  database: {
    file: string;
    size: number;
    sha256: string;
    /** Migrations the copy has, in order: an older backup is brought up to date on restore. */
    migrations: string[];
    /** Rows per table in the copy. */
    tables: Record<string, number>;
  };
  files: { dir: string; count: number; bytes: number; entries: FileEntry[] };
  /** Stored files the database names but the files folder lacked (or held with other content) at backup time. */
  missingFiles: { id: number; path: string; sha256: string }[];
}

/** Tells the backup tools the time: the scripts pass the system clock, tests may pass their own. */
export type Clock = () => Date;

/** An instant as a compact UTC stamp for a file name, to the second: 20260315T030000Z. */
export function compactTime(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** SHA-256 of a file, read as a stream (files may be large). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Every regular file under `dir`, relative and "/"-separated. Names starting with a dot are skipped:
 * they are uploads still being written (the file store's ".<sha>.<random>.part").
 */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && prefix === "") return [];
    throw error;
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}

/** A manifest path must stay inside its folder: no absolute paths, no "..". */
export function safeRelative(path: string): string {
  const normal = normalize(path.split("/").join(sep));
  if (path === "" || isAbsolute(path) || isAbsolute(normal) || normal.split(sep).includes(".."))
    throw new BackupError(`unsafe path in the manifest: ${path}`);
  return normal;
}

export async function readManifest(backupDir: string): Promise<Manifest> {
  const path = join(backupDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    const inside = await readdir(backupDir).catch(() => [] as string[]);
    const backups = inside.filter((name) => name.startsWith(BACKUP_PREFIX) && !name.endsWith(".partial")).sort();
    const hint =
      backups.length > 0 ? ` It holds backups: choose one, e.g. ${join(backupDir, backups[backups.length - 1]!)}` : "";
    throw new BackupError(`${backupDir} is not a chibo backup (no ${MANIFEST_FILE}).${hint}`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new BackupError(`${path} is not valid JSON`);
  }
  if (manifest.format !== MANIFEST_FORMAT || manifest.version !== MANIFEST_VERSION)
    throw new BackupError(`${path} is not a chibo backup manifest of version ${MANIFEST_VERSION}`);
  return manifest;
}

/** The first symbolic link on the way from `root` down to `relative` (the last component included), if any. */
async function symlinkOnTheWay(root: string, relative: string): Promise<string | null> {
  let path = root;
  for (const part of relative.split(sep)) {
    path = join(path, part);
    const stats = await lstat(path).catch(() => null);
    // A missing component is reported by the check that follows.
    if (!stats) return null;
    if (stats.isSymbolicLink()) return path;
  }
  return null;
}

/**
 * Checks every file the manifest lists against its size and checksum; returns the problems found. Every
 * path must lead through plain folders of the backup (a linked folder would bring in content from outside
 * it), and a file named by a checksum must have that checksum: the restore writes it under that name in
 * FILES_DIR, where another content would stand in for the file every record of that name expects.
 */
export async function verifyBackup(backupDir: string, manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  // The backup folder itself may be reached through a link the operator chose; only what is inside counts.
  const root = await realpath(backupDir).catch(() => backupDir);
  const check = async (relative: string, size: number, sha256: string, label: string) => {
    const link = await symlinkOnTheWay(root, relative);
    if (link)
      return problems.push(`${label}: ${link} is a symbolic link (a backup holds only plain folders and files)`);
    const path = join(root, relative);
    const stats = await lstat(path).catch(() => null);
    if (!stats || !stats.isFile()) return problems.push(`${label} is missing`);
    if (stats.size !== size) return problems.push(`${label} has ${stats.size} bytes, the manifest says ${size}`);
    if ((await sha256OfFile(path)) !== sha256) return problems.push(`${label} does not match its SHA-256`);
    return undefined;
  };
  await check(
    safeRelative(manifest.database.file),
    manifest.database.size,
    manifest.database.sha256,
    `database copy ${manifest.database.file}`,
  );
  for (const entry of manifest.files.entries) {
    const name = entry.path.split("/").pop() ?? "";
    if (CONTENT_NAME.test(name) && name !== entry.sha256) {
      problems.push(`file ${entry.path} is named by its SHA-256, but the manifest gives it ${entry.sha256}`);
      continue;
    }
    await check(
      join(safeRelative(manifest.files.dir), safeRelative(entry.path)),
      entry.size,
      entry.sha256,
      `file ${entry.path}`,
    );
  }
  return problems;
}
