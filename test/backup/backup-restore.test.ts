// Backup while the bot runs and writes, restore into a fresh place: every table's rows and every stored
// file come back as they were at the snapshot. Also: the restore's guards (an existing database, a
// database in use, a damaged backup) and an older backup brought up to date by the migrations. And: what
// backup and restore create is private (0700 folders, 0600 files); an edited manifest or a linked folder
// inside the backup is refused; the files are in place before the database; two backups of the same name
// do not spoil each other; a relative folder is taken from where npm was run.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeSqliteOnly } from "../support/engine.js";
import { createBackup } from "../../src/backup/backup.js";
import { BackupError, sha256OfFile, type Manifest } from "../../src/backup/manifest.js";
import { restoreBackup } from "../../src/backup/restore.js";
import { databaseInUse } from "../../src/backup/sqlite.js";
import { commandLinePath, storagePaths } from "../../src/backup/storage.js";
import { createDb } from "../../src/db/client.js";
import { migrateSqlite, MIGRATIONS_DIR } from "../../src/db/migrate.js";
import { createStore } from "../../src/db/store.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { storeBytes } from "../../src/files/file-store.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import { createTestDatabase } from "../support/db.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedCommune } from "../support/export-seed.js";
import { memberFacts } from "../support/seed.js";

const NOW = new Date("2026-03-15T03:00:00Z");
const WRITER_NAME = "Người Ghi Số";

function rowsOf(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
/** Every folder and file under `dir` (itself included) with its permission bits. */
function modesUnder(dir: string): { path: string; dir: boolean; mode: number }[] {
  const stats = lstatSync(dir);
  const here = { path: dir, dir: stats.isDirectory(), mode: stats.mode & 0o777 };
  if (!stats.isDirectory()) return [here];
  return [here, ...readdirSync(dir).flatMap((name) => modesUnder(join(dir, name)))];
}
const loose = (dir: string) =>
  modesUnder(dir)
    .filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))
    .map((e) => `${e.path} ${e.mode.toString(8)}`);

/** A database and files folder with three stored files, in `scratch`. */
async function smallSource(
  scratch: string,
): Promise<{ databaseFile: string; filesDir: string; stored: { sha256: string; path: string; content: Buffer }[] }> {
  const filesDir = join(scratch, "files");
  const databaseFile = join(scratch, "db", "chibo.db");
  migrateSqlite(databaseFile);
  mkdirSync(filesDir, { recursive: true });
  const stored = [];
  for (let i = 0; i < 3; i++) {
    const content = Buffer.from(`tệp số ${i}`);
    stored.push({ ...(await storeBytes(filesDir, content)), content });
  }
  return { databaseFile, filesDir, stored };
}

const countOf = (file: string, sql: string) => Number(rowsOf(file, sql)[0]!.n);

function tableCounts(file: string): Record<string, number> {
  const names = rowsOf(
    file,
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  ).map((r) => String(r.name));
  return Object.fromEntries(names.map((name) => [name, countOf(file, `SELECT COUNT(*) AS n FROM "${name}"`)]));
}

describeSqliteOnly("backup and restore while the bot runs", () => {
  let e2e: E2E;
  let scratch: string;
  beforeEach(async () => {
    e2e = await startE2E({ now: NOW });
    scratch = mkdtempSync(join(tmpdir(), "chibo-backup-test-"));
  });
  afterEach(async () => {
    await e2e.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("takes a consistent snapshot while writes go on, and restores every table and file", async () => {
    const { store } = e2e.running;
    const { filesDir } = e2e.config;
    const databaseFile = e2e.config.databaseFile!;
    const seeded = await seedCommune(store, { databaseUrl: e2e.config.databaseUrl, filesDir });

    // A writer that, like the bot, stores a file, then commits a member, the file's row and an audit
    // entry in one transaction; and a secretary using the bot at the same time.
    let stop = false;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const stored = await storeBytes(filesDir, Buffer.concat([Buffer.from(`tệp ${i} `), randomBytes(4096)]));
        await store.transaction(async (repos) => {
          const file = await repos.away.storeFile({
            ...stored,
            fileName: `w${i}.bin`,
            mimeType: "application/octet-stream",
            createdAt: NOW,
            uploadedByTelegramId: "9",
          });
          const fullName = `${WRITER_NAME} ${i}`;
          const member = await repos.members.create(
            seeded.second.branchId,
            memberFacts({ fullName }),
            vietnameseSortKey(fullName),
            "2026-01-01",
          );
          await repos.audit.record({
            actorTelegramId: "9",
            actorMemberId: null,
            action: "writer.add",
            entity: "Member",
            entityId: member.id,
            after: { fileId: file.id },
            at: NOW,
          });
        });
        written++;
      }
    })();
    const secretary = e2e.fake.user(seeded.first.secretaryTelegramId);
    const chatter = (async () => {
      for (let i = 0; i < 5; i++) {
        secretary.sendText("/chibo");
        await secretary.waitForMessage((m: FakeMessage) => (m.text ?? "").includes("Chi bộ Ấp 1"));
      }
    })();
    while (written < 20) await new Promise((resolve) => setTimeout(resolve, 5));

    const before = written;
    const { dir, manifest } = await createBackup({
      databaseFile,
      filesDir,
      targetDir: join(scratch, "backups"),
      clock: () => new Date(),
    });
    const after = written;
    stop = true;
    await writer;
    await chatter;

    // The snapshot is one moment: every writer transaction is wholly in it or wholly out.
    const copy = join(dir, "chibo.db");
    const inCopy = countOf(copy, `SELECT COUNT(*) AS n FROM "Member" WHERE "fullName" LIKE '${WRITER_NAME} %'`);
    expect(inCopy).toBeGreaterThanOrEqual(before);
    expect(inCopy).toBeLessThanOrEqual(after + 1);
    expect(countOf(copy, `SELECT COUNT(*) AS n FROM "AuditLog" WHERE "action" = 'writer.add'`)).toBe(inCopy);
    expect(countOf(copy, `SELECT COUNT(*) AS n FROM "StoredFile" WHERE "fileName" LIKE 'w%.bin'`)).toBe(inCopy);
    expect(manifest.missingFiles).toEqual([]);
    expect(manifest.database.tables).toEqual(tableCounts(copy));
    expect(existsSync(`${copy}-wal`)).toBe(false);

    // Restore into a fresh place.
    const target = {
      databaseFile: join(scratch, "restored", "data", "chibo.db"),
      filesDir: join(scratch, "restored", "files"),
    };
    const restored = await restoreBackup({ backupDir: dir, ...target, clock: () => new Date() });
    expect(restored.migrated).toEqual([]);
    expect(restored.previousDatabase).toBeNull();
    expect(restored.filesCopied).toBe(manifest.files.count);

    // Every table has the snapshot's row count; rows match the live database's, id for id.
    expect(tableCounts(target.databaseFile)).toEqual(manifest.database.tables);
    for (const table of [
      "Branch",
      "Member",
      "Meeting",
      "Attendance",
      "DuesEntry",
      "DuesEntryMonth",
      "SelfReview",
      "StoredFile",
      "CheckIn",
      "Finding",
      "Evaluation",
      "AuditLog",
      "RoleAssignment",
      "User",
    ]) {
      const back = rowsOf(target.databaseFile, `SELECT * FROM "${table}" ORDER BY "id"`);
      expect(back.length, table).toBeGreaterThan(0);
      const ids = back.map((r) => Number(r.id)).join(",");
      expect(rowsOf(databaseFile, `SELECT * FROM "${table}" WHERE "id" IN (${ids}) ORDER BY "id"`), table).toEqual(
        back,
      );
    }
    expect(
      rowsOf(target.databaseFile, `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`),
    ).toEqual(rowsOf(databaseFile, `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`));

    // Every file the restored database names is there, with its checksum.
    const files = rowsOf(target.databaseFile, `SELECT "path", "sha256" FROM "StoredFile"`) as {
      path: string;
      sha256: string;
    }[];
    expect(files.length).toBe(inCopy + 2);
    for (const file of files) expect(await sha256OfFile(join(target.filesDir, file.path))).toBe(file.sha256);
    expect(readFileSync(join(target.filesDir, files.find((f) => f.sha256 === seeded.reviewFile.sha256)!.path))).toEqual(
      seeded.reviewFile.content,
    );

    // The restored database works with the application's own client.
    const restoredStore = createStore(createDb(`file:${target.databaseFile}`));
    try {
      let members = 0;
      for await (const _row of restoredStore.repos.dataExport.members()) members++;
      expect(members).toBe(manifest.database.tables.Member);
      expect((await restoredStore.repos.committee.get())?.name).toBe("Đảng bộ xã Xuân Đông");
    } finally {
      await restoredStore.close();
    }
  });

  it("refuses to replace a database without --force, or while the bot has it open", async () => {
    const { filesDir } = e2e.config;
    const databaseFile = e2e.config.databaseFile!;
    await seedCommune(e2e.running.store, { databaseUrl: e2e.config.databaseUrl, filesDir });
    const { dir } = await createBackup({
      databaseFile,
      filesDir,
      targetDir: join(scratch, "backups"),
      clock: () => new Date(),
    });
    const live = await sha256OfFile(databaseFile);

    await expect(restoreBackup({ backupDir: dir, databaseFile, filesDir, clock: () => new Date() })).rejects.toThrow(
      /already exists.*--force/,
    );
    expect(databaseInUse(databaseFile)).toBe(true);
    await expect(
      restoreBackup({ backupDir: dir, databaseFile, filesDir, force: true, clock: () => new Date() }),
    ).rejects.toThrow(/in use — is the bot running\?/);
    expect(await sha256OfFile(databaseFile)).toBe(live);
    expect(
      readdirSync(join(databaseFile, "..")).filter((n) => n.includes("restoring") || n.includes("before-restore")),
    ).toEqual([]);

    // Stopped, the restore goes through and keeps the replaced database beside.
    await e2e.running.stop("restore");
    expect(databaseInUse(databaseFile)).toBe(false);
    const result = await restoreBackup({
      backupDir: dir,
      databaseFile,
      filesDir,
      force: true,
      clock: () => new Date(),
    });
    expect(result.previousDatabase).toMatch(/chibo\.db\.before-restore-\d{8}T\d{6}Z$/);
    expect(existsSync(result.previousDatabase!)).toBe(true);
    expect(result.filesAlreadyPresent).toBe(2);
    // And the bot starts on it.
    await e2e.restart();
    const admin = e2e.fake.user(1000);
    admin.sendText("/chibo");
    const list = await admin.waitForMessage();
    expect(list.text).toContain("Các chi bộ (2)");
    expect(list.buttons.map((b) => b.text).join(" ")).toContain("Chi bộ Ấp 1");
  });
});

describeSqliteOnly("restore checks", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "chibo-restore-test-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it("brings an older backup up to date with the migrations", async () => {
    const all = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const older = join(scratch, "older-migrations");
    for (const name of all.slice(0, 3)) cpSync(join(MIGRATIONS_DIR, name), join(older, name), { recursive: true });
    const databaseFile = join(scratch, "old", "chibo.db");
    migrateSqlite(databaseFile, older);
    const db = new Database(databaseFile);
    db.prepare(`INSERT INTO "Committee" ("name", "placeName") VALUES ('Đảng bộ xã Cũ', 'Cũ')`).run();
    db.close();
    const filesDir = join(scratch, "old", "files");
    const { dir, manifest } = await createBackup({
      databaseFile,
      filesDir,
      targetDir: join(scratch, "backups"),
      clock: () => new Date(),
    });
    expect(manifest.database.migrations).toEqual(all.slice(0, 3));
    expect(manifest.files.count).toBe(0);

    const target = join(scratch, "new", "chibo.db");
    const result = await restoreBackup({
      backupDir: dir,
      databaseFile: target,
      filesDir: join(scratch, "new", "files"),
      clock: () => new Date(),
    });
    expect(result.migrated).toEqual(all.slice(3));
    expect(
      rowsOf(target, `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`).map(
        (r) => r.migration_name,
      ),
    ).toEqual(all);
    expect(rowsOf(target, `SELECT "name" FROM "Committee"`)).toEqual([{ name: "Đảng bộ xã Cũ" }]);
    expect(countOf(target, `SELECT COUNT(*) AS n FROM "Evaluation"`)).toBe(0);
  });

  it("refuses a damaged backup and touches nothing", async () => {
    const test = await createTestDatabase();
    const filesDir = join(test.dir, "files");
    try {
      await seedCommune(test.store, { databaseUrl: test.url, filesDir });
      const { dir, manifest } = await createBackup({
        databaseFile: test.file,
        filesDir,
        targetDir: join(scratch, "backups"),
        clock: () => new Date(),
      });
      const target = { databaseFile: join(scratch, "new", "chibo.db"), filesDir: join(scratch, "new", "files") };

      const entry = manifest.files.entries[0]!;
      appendFileSync(join(dir, "files", entry.path), "x");
      await expect(restoreBackup({ backupDir: dir, ...target, clock: () => new Date() })).rejects.toThrow(
        new RegExp(`damaged[\\s\\S]*file ${entry.path} has ${entry.size + 1} bytes`),
      );
      expect(existsSync(target.databaseFile)).toBe(false);
      expect(existsSync(target.filesDir)).toBe(false);

      // A manifest naming a path outside the backup is refused as well.
      const escaped: Manifest = {
        ...manifest,
        files: { ...manifest.files, entries: [{ ...entry, path: "../../etc/passwd" }] },
      };
      writeFileSync(join(dir, "manifest.json"), JSON.stringify(escaped));
      await expect(restoreBackup({ backupDir: dir, ...target, clock: () => new Date() })).rejects.toThrow(
        /unsafe path/,
      );
      await expect(
        restoreBackup({ backupDir: join(scratch, "backups"), ...target, clock: () => new Date() }),
      ).rejects.toThrow(BackupError);
      expect(existsSync(target.databaseFile)).toBe(false);
    } finally {
      await test.dispose();
    }
  });

  it("hard-links unchanged files from the previous backup and still checks them", async () => {
    const filesDir = join(scratch, "files");
    const databaseFile = join(scratch, "db", "chibo.db");
    migrateSqlite(databaseFile);
    mkdirSync(filesDir, { recursive: true });
    for (let i = 0; i < 3; i++) await storeBytes(filesDir, Buffer.from(`tệp số ${i}`));
    const first = await createBackup({
      databaseFile,
      filesDir,
      targetDir: join(scratch, "backups"),
      name: "chibo-backup-1",
      clock: () => new Date(),
    });
    await storeBytes(filesDir, Buffer.from("tệp mới"));
    const second = await createBackup({
      databaseFile,
      filesDir,
      targetDir: join(scratch, "backups"),
      name: "chibo-backup-2",
      clock: () => new Date(),
    });
    expect(first.linked).toBe(0);
    expect(second.linked).toBe(3);
    expect(second.manifest.files.count).toBe(4);
    expect(second.manifest.files.entries.map((e) => e.sha256)).toEqual(
      second.manifest.files.entries.map((e) => e.path.split("/")[1]),
    );
  });

  it("creates every folder 0700 and every file 0600, whatever the umask, and restores them so", async () => {
    const previous = process.umask(0o022);
    try {
      const source = await smallSource(scratch);
      const backups = join(scratch, "backups");
      const first = await createBackup({
        ...source,
        targetDir: backups,
        name: "chibo-backup-1",
        clock: () => new Date(),
      });
      expect(loose(backups)).toEqual([]);
      expect(lstatSync(join(first.dir, "chibo.db")).mode & 0o777).toBe(0o600);

      // An earlier backup readable to all (by an older version): the files linked from it are made private.
      for (const entry of modesUnder(first.dir)) chmodSync(entry.path, entry.dir ? 0o755 : 0o644);
      await storeBytes(source.filesDir, Buffer.from("tệp mới"));
      const second = await createBackup({
        ...source,
        targetDir: backups,
        name: "chibo-backup-2",
        clock: () => new Date(),
      });
      expect(second.linked).toBe(3);
      expect(loose(second.dir)).toEqual([]);

      // Restored from the readable one: the database, the files and the folders made for them are private.
      const target = {
        databaseFile: join(scratch, "restored", "data", "chibo.db"),
        filesDir: join(scratch, "restored", "files"),
      };
      await restoreBackup({ backupDir: first.dir, ...target, clock: () => new Date() });
      expect(loose(join(scratch, "restored"))).toEqual([]);
    } finally {
      process.umask(previous);
    }
  });

  it("refuses a file named by a checksum with other content, leaving the live file as it was", async () => {
    const source = await smallSource(scratch);
    const { dir, manifest } = await createBackup({
      ...source,
      targetDir: join(scratch, "backups"),
      clock: () => new Date(),
    });
    // The manifest edited so that content-named "xx/<sha>" holds other bytes, sizes and checksums agreeing.
    const victim = source.stored[0]!;
    const other = Buffer.from("nội dung khác hẳn");
    writeFileSync(join(dir, "files", victim.path), other);
    const edited: Manifest = {
      ...manifest,
      files: {
        ...manifest.files,
        entries: manifest.files.entries.map((e) =>
          e.path === victim.path
            ? { ...e, size: other.length, sha256: createHash("sha256").update(other).digest("hex") }
            : e,
        ),
      },
    };
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(edited));
    await expect(
      restoreBackup({
        backupDir: dir,
        databaseFile: join(scratch, "new", "chibo.db"),
        filesDir: source.filesDir,
        clock: () => new Date(),
      }),
    ).rejects.toThrow(new RegExp(`file ${victim.path} is named by its SHA-256, but the manifest gives it`));
    expect(readFileSync(join(source.filesDir, victim.path))).toEqual(victim.content);
    expect(existsSync(join(scratch, "new", "chibo.db"))).toBe(false);
  });

  it("refuses a backup with a linked folder inside, even when the content matches", async () => {
    const source = await smallSource(scratch);
    const { dir } = await createBackup({ ...source, targetDir: join(scratch, "backups"), clock: () => new Date() });
    const folder = source.stored[1]!.path.split("/")[0]!;
    // The folder moved out of the backup and linked back in: same bytes, read from outside the backup.
    const outside = join(scratch, "outside");
    renameSync(join(dir, "files", folder), outside);
    symlinkSync(outside, join(dir, "files", folder), "dir");
    const target = { databaseFile: join(scratch, "new", "chibo.db"), filesDir: join(scratch, "new", "files") };
    await expect(restoreBackup({ backupDir: dir, ...target, clock: () => new Date() })).rejects.toThrow(
      /is a symbolic link/,
    );
    expect(existsSync(target.databaseFile)).toBe(false);
    expect(existsSync(target.filesDir)).toBe(false);
    // The whole files folder linked is refused too; a link to the backup folder itself is fine.
    rmSync(join(dir, "files", folder));
    renameSync(outside, join(dir, "files", folder));
    renameSync(join(dir, "files"), join(scratch, "files-outside"));
    symlinkSync(join(scratch, "files-outside"), join(dir, "files"), "dir");
    await expect(restoreBackup({ backupDir: dir, ...target, clock: () => new Date() })).rejects.toThrow(
      /is a symbolic link/,
    );
    rmSync(join(dir, "files"));
    renameSync(join(scratch, "files-outside"), join(dir, "files"));
    symlinkSync(dir, join(scratch, "latest"), "dir");
    expect(
      (await restoreBackup({ backupDir: join(scratch, "latest"), ...target, clock: () => new Date() })).filesCopied,
    ).toBe(3);
  });

  it("puts the files in place before the database: a restore failing on the files leaves no database", async () => {
    const source = await smallSource(scratch);
    const { dir } = await createBackup({ ...source, targetDir: join(scratch, "backups"), clock: () => new Date() });
    const target = { databaseFile: join(scratch, "new", "chibo.db"), filesDir: join(scratch, "new", "files") };
    // A plain file where a folder of the files must go: copying that file fails.
    mkdirSync(target.filesDir, { recursive: true });
    writeFileSync(join(target.filesDir, source.stored[2]!.path.split("/")[0]!), "chặn");
    await expect(restoreBackup({ backupDir: dir, ...target, clock: () => new Date() })).rejects.toThrow();
    expect(existsSync(target.databaseFile)).toBe(false);
    expect(readdirSync(join(scratch, "new")).filter((n) => n !== "files")).toEqual([]);
  });

  it("takes the unfinished folder exclusively: a second backup of the same name fails and spoils nothing", async () => {
    const source = await smallSource(scratch);
    const backups = join(scratch, "backups");
    // Another backup is being written under this name.
    mkdirSync(join(backups, "chibo-backup-same.partial", "files"), { recursive: true });
    writeFileSync(join(backups, "chibo-backup-same.partial", "chibo.db"), "đang ghi");
    await expect(
      createBackup({ ...source, targetDir: backups, name: "chibo-backup-same", clock: () => new Date() }),
    ).rejects.toThrow(/chibo-backup-same\.partial already exists: another backup is being written there/);
    expect(readFileSync(join(backups, "chibo-backup-same.partial", "chibo.db"), "utf8")).toBe("đang ghi");
    expect(existsSync(join(backups, "chibo-backup-same"))).toBe(false);

    // Two started together: one is written whole, the other refused.
    const both = await Promise.allSettled([
      createBackup({ ...source, targetDir: backups, name: "chibo-backup-twice", clock: () => new Date() }),
      createBackup({ ...source, targetDir: backups, name: "chibo-backup-twice", clock: () => new Date() }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(both.find((r) => r.status === "rejected")).toMatchObject({ reason: expect.any(BackupError) });
    const restored = await restoreBackup({
      backupDir: join(backups, "chibo-backup-twice"),
      databaseFile: join(scratch, "new", "chibo.db"),
      filesDir: join(scratch, "new", "files"),
      clock: () => new Date(),
    });
    expect(restored.filesCopied).toBe(3);
  });

  it("runs the scripts with a relative folder taken from INIT_CWD, writing nothing into the checkout", async () => {
    const source = await smallSource(scratch);
    const root = join(import.meta.dirname, "..", "..");
    const run = (script: string, args: string[], env: Record<string, string>) =>
      spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", script), "--", ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
    const made = run("backup.ts", ["rel-bk"], {
      INIT_CWD: scratch,
      DATABASE_URL: `file:${source.databaseFile}`,
      FILES_DIR: source.filesDir,
    });
    expect(made.stderr).toBe("");
    expect(made.status).toBe(0);
    expect(existsSync(join(root, "rel-bk"))).toBe(false);
    const [name] = readdirSync(join(scratch, "rel-bk"));
    expect(name).toMatch(/^chibo-backup-\d{8}T\d{6}Z$/);
    expect(loose(join(scratch, "rel-bk"))).toEqual([]);

    const restored = run("restore.ts", [join("rel-bk", name!)], {
      INIT_CWD: scratch,
      DATABASE_URL: `file:${join(scratch, "new", "chibo.db")}`,
      FILES_DIR: join(scratch, "new", "files"),
    });
    expect(restored.stderr).toBe("");
    expect(restored.status).toBe(0);
    expect(loose(join(scratch, "new"))).toEqual([]);
    expect(readFileSync(join(scratch, "new", "files", source.stored[0]!.path))).toEqual(source.stored[0]!.content);
  });
});

// Where the tools find things: the same on either engine.
describe("the backup tools' paths", () => {
  it("takes a relative folder from where npm was run (INIT_CWD), else from the current folder", () => {
    expect(commandLinePath("rel-bk", { INIT_CWD: "/home/op/somewhere" }, "/opt/chibo")).toBe(
      "/home/op/somewhere/rel-bk",
    );
    expect(commandLinePath("../bk", { INIT_CWD: "/home/op/somewhere" }, "/opt/chibo")).toBe("/home/op/bk");
    expect(commandLinePath("rel-bk", {}, "/opt/chibo")).toBe("/opt/chibo/rel-bk");
    expect(commandLinePath("rel-bk", { INIT_CWD: " " }, "/opt/chibo")).toBe("/opt/chibo/rel-bk");
    expect(commandLinePath("/var/backups/chibo", { INIT_CWD: "/home/op" }, "/opt/chibo")).toBe("/var/backups/chibo");
  });

  it("reads the paths from the environment like the bot, without a bot token", () => {
    expect(storagePaths({})).toEqual({
      databaseFile: "./data/chibo.db",
      databaseUrl: "file:./data/chibo.db",
      filesDir: "./data/files",
    });
    expect(
      storagePaths({ DATABASE_URL: "file:/srv/chibo/chibo.db?connection_limit=1", FILES_DIR: "/srv/chibo/files" }),
    ).toEqual({
      databaseFile: "/srv/chibo/chibo.db",
      databaseUrl: "file:/srv/chibo/chibo.db?connection_limit=1",
      filesDir: "/srv/chibo/files",
    });
    expect(storagePaths({ DATABASE_URL: "postgresql://chibo@db/chibo" })).toEqual({
      databaseFile: null,
      databaseUrl: "postgresql://chibo@db/chibo",
      filesDir: "./data/files",
    });
    expect(() => storagePaths({ DATABASE_URL: "mysql://x" })).toThrow(/SQLite file URL/);
  });
});
