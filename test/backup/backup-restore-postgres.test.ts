// Backup and restore on PostgreSQL (npm run test:pg): pg_dump of one snapshot while the bot runs and
// writes, the files folder, the same manifest and checks as on SQLite; restored into a fresh database every
// table's rows come back as they were at the snapshot. The restore's guards: a database holding data only
// with --force (its data kept in a schema beside), never while the bot is connected, never across engines.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createBackup } from "../../src/backup/backup.js";
import { BackupError } from "../../src/backup/manifest.js";
import { restoreBackup } from "../../src/backup/restore.js";
import { createDb } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { storeBytes } from "../../src/files/file-store.js";
import { describePostgresOnly } from "../support/engine.js";
import { startE2E, type E2E } from "../support/e2e.js";
import { seedCommune } from "../support/export-seed.js";
import { createEmptyPgDatabase } from "../support/pg.js";
import { queryRows } from "../support/raw-sql.js";
import { memberFacts } from "../support/seed.js";

const NOW = new Date("2026-03-15T03:00:00Z");
const TABLES = [
  "Branch",
  "Member",
  "Meeting",
  "Attendance",
  "DuesEntry",
  "StoredFile",
  "AuditLog",
  "RoleAssignment",
  "User",
  "_prisma_migrations",
];

describePostgresOnly("backup and restore on PostgreSQL", () => {
  let e2e: E2E;
  let scratch: string;
  beforeEach(async () => {
    e2e = await startE2E({ now: NOW });
    scratch = mkdtempSync(join(tmpdir(), "chibo-pg-backup-test-"));
  });
  afterEach(async () => {
    await e2e.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("takes one consistent snapshot while writes go on, and restores every table and file into a new database", async () => {
    const { store } = e2e.running;
    const { filesDir, databaseUrl } = e2e.config;
    const seeded = await seedCommune(store, { databaseUrl, filesDir });
    // A writer that, like the bot, stores a file then commits a member, its file row and an audit entry together.
    let stop = false;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const stored = await storeBytes(filesDir, Buffer.from(`tệp ghi thêm ${i}`));
        await store.transaction(async (repos) => {
          const file = await repos.away.storeFile({
            ...stored,
            fileName: `w${i}.txt`,
            mimeType: "text/plain",
            createdAt: NOW,
            uploadedByTelegramId: "9",
          });
          const member = await repos.members.create(
            seeded.second.branchId,
            memberFacts({ fullName: `Người Ghi ${i}` }),
            vietnameseSortKey(`Người Ghi ${i}`),
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
    while (written < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    const { dir, manifest } = await createBackup({
      databaseUrl,
      filesDir,
      targetDir: join(scratch, "backups"),
      clock: () => new Date(),
    });
    stop = true;
    await writer;

    expect(manifest.engine).toBe("postgresql");
    expect(manifest.database.file).toBe("chibo.pgdump");
    expect(manifest.source.databaseFile).toBe(databaseUrl);
    expect(manifest.missingFiles).toEqual([]);

    const target = await createEmptyPgDatabase();
    const targetFiles = join(scratch, "restored-files");
    const result = await restoreBackup({
      backupDir: dir,
      databaseUrl: target.url,
      filesDir: targetFiles,
      clock: () => new Date(),
    });
    expect(result.migrated).toEqual([]);
    expect(result.previousDatabase).toBeNull();
    expect(result.filesCopied).toBe(manifest.files.count);
    for (const table of TABLES) {
      const back = await queryRows(target.url, `SELECT * FROM "${table}" ORDER BY 1`);
      expect(back.length, table).toBe(manifest.database.tables[table]);
      if (table === "_prisma_migrations") continue;
      const ids = back.map((r) => Number(r.id));
      expect(
        await queryRows(databaseUrl, `SELECT * FROM "${table}" WHERE "id" IN (${ids.join(",")}) ORDER BY 1`),
        table,
      ).toEqual(back);
    }
    // One instant: as many of the writer's members as its audit entries and its files, none half-written.
    const [writerMembers] = await queryRows(
      target.url,
      `SELECT count(*) AS n FROM "Member" WHERE "fullName" LIKE 'Người Ghi %'`,
    );
    expect(writerMembers!.n).toBeGreaterThanOrEqual(5);
    expect(await queryRows(target.url, `SELECT count(*) AS n FROM "AuditLog" WHERE "action" = 'writer.add'`)).toEqual([
      writerMembers,
    ]);
    expect(
      await queryRows(target.url, `SELECT count(*) AS n FROM "StoredFile" WHERE "fileName" LIKE 'w%.txt'`),
    ).toEqual([writerMembers]);
    const entry = manifest.files.entries[0]!;
    expect(readFileSync(join(targetFiles, entry.path))).toEqual(readFileSync(join(filesDir, entry.path)));
    // The restored database serves the bot's code.
    const restoredStore = createStore(createDb(target.url));
    try {
      expect((await restoredStore.repos.committee.get())?.name).toBe("Đảng bộ xã Xuân Đông");
    } finally {
      await restoredStore.close();
    }
  });

  it("replaces a database only with --force and never while the bot is connected, keeping the old data beside", async () => {
    const { databaseUrl, filesDir } = e2e.config;
    await seedCommune(e2e.running.store, { databaseUrl, filesDir });
    const { dir } = await createBackup({
      databaseUrl,
      filesDir,
      targetDir: join(scratch, "backups"),
      clock: () => new Date(),
    });
    const restore = (force: boolean) =>
      restoreBackup({ backupDir: dir, databaseUrl, filesDir, force, clock: () => new Date("2026-03-16T01:02:03Z") });
    await expect(restore(false)).rejects.toThrow(/already holds data.*--force/);
    await expect(restore(true)).rejects.toThrow(/in use — is the bot running/);
    const members = await queryRows(databaseUrl, `SELECT count(*) AS n FROM "Member"`);

    await e2e.running.stop("restore");
    const result = await restore(true);
    expect(result.previousDatabase).toBe("schema before_restore_20260316t010203z");
    expect(await queryRows(databaseUrl, `SELECT count(*) AS n FROM "Member"`)).toEqual(members);
    expect(await queryRows(databaseUrl, `SELECT count(*) AS n FROM before_restore_20260316t010203z."Member"`)).toEqual(
      members,
    );
    // dispose() stops the bot again: a second stop is harmless.
  });

  it("refuses a SQLite backup into PostgreSQL, and a damaged dump, touching nothing", async () => {
    const { databaseUrl, filesDir } = e2e.config;
    const { dir, manifest } = await createBackup({
      databaseUrl,
      filesDir,
      targetDir: join(scratch, "backups"),
      clock: () => new Date(),
    });
    await expect(
      restoreBackup({ backupDir: dir, databaseFile: join(scratch, "x.db"), filesDir, clock: () => new Date() }),
    ).rejects.toThrow(/backup of a PostgreSQL database: set DATABASE_URL/);
    const target = await createEmptyPgDatabase();
    const { appendFileSync } = await import("node:fs");
    appendFileSync(join(dir, manifest.database.file), "x");
    await expect(
      restoreBackup({ backupDir: dir, databaseUrl: target.url, filesDir: join(scratch, "f"), clock: () => new Date() }),
    ).rejects.toThrow(BackupError);
    expect(await queryRows(target.url, `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)).toEqual([
      { n: 0 },
    ]);
  });

  it("runs npm's scripts with DATABASE_URL naming PostgreSQL", async () => {
    const root = join(import.meta.dirname, "..", "..");
    const { databaseUrl, filesDir } = e2e.config;
    await seedCommune(e2e.running.store, { databaseUrl, filesDir });
    const run = (script: string, args: string[], env: Record<string, string>) =>
      spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", script), "--", ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
    const made = run("backup.ts", [join(scratch, "bk")], { DATABASE_URL: databaseUrl, FILES_DIR: filesDir });
    expect(made.stderr).toBe("");
    expect(made.stdout).toContain("members");
    const [name] = readdirSync(join(scratch, "bk"));
    const target = await createEmptyPgDatabase();
    const restored = run("restore.ts", [join(scratch, "bk", name!)], {
      DATABASE_URL: target.url,
      FILES_DIR: join(scratch, "new-files"),
    });
    expect(restored.stderr).toBe("");
    expect(restored.status).toBe(0);
    expect(await queryRows(target.url, `SELECT count(*) AS n FROM "Member"`)).toEqual(
      await queryRows(databaseUrl, `SELECT count(*) AS n FROM "Member"`),
    );
  }, 60_000);
});
