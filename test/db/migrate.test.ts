// The in-process migrator: WAL mode, Prisma-compatible bookkeeping, and data kept across a table
// redefinition with foreign keys pointing at it.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { describeSqliteOnly } from "../support/engine.js";
import { MIGRATIONS_DIR, migrateSqlite } from "../../src/db/migrate.js";
import { tempDatabaseFile } from "../support/db.js";
import { createDb } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { ruleParameters } from "../../src/app/settings.js";
import { committeeSigner } from "../../src/app/document-signers.js";

const ALL = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describeSqliteOnly("migrateSqlite", () => {
  it("creates the folder, applies every migration once, and leaves the file in WAL mode", () => {
    const { dir } = tempDatabaseFile();
    const file = join(dir, "nested", "folder", "chibo.db");
    expect(migrateSqlite(file).applied).toEqual(ALL);
    expect(migrateSqlite(file).applied).toEqual([]);
    const db = new Database(file);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const rows = db
      .prepare(`SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`)
      .all() as { migration_name: string; finished_at: string }[];
    expect(rows.map((r) => r.migration_name)).toEqual(ALL);
    db.close();
  });

  it("keeps branches, members and meetings when a later migration redefines the branch table", () => {
    const { dir, file } = tempDatabaseFile();
    const partial = join(dir, "migrations");
    mkdirSync(partial);
    const redefining = ALL.findIndex((name) => name.endsWith("branch_founded_optional"));
    expect(redefining).toBeGreaterThan(0);
    for (const name of ALL.slice(0, redefining))
      cpSync(join(MIGRATIONS_DIR, name), join(partial, name), { recursive: true });
    migrateSqlite(file, partial);
    const db = new Database(file);
    db.exec(`INSERT INTO "Committee" (id, name, placeName) VALUES (1, 'Đảng bộ xã', 'Xuân Đông')`);
    db.exec(`INSERT INTO "Branch" (id, committeeId, name, foundedOn) VALUES (7, 1, 'Chi bộ Ấp 1', '2020-01-01')`);
    db.exec(
      `INSERT INTO "Member" (id, branchId, fullName, sortKey, kind, updatedAt) VALUES (3, 7, 'Nguyễn Văn An', 'an', 'OFFICIAL', CURRENT_TIMESTAMP)`,
    );
    db.exec(
      `INSERT INTO "Meeting" (id, branchId, kind, date, recordedByTelegramId, updatedAt) VALUES (5, 7, 'REGULAR', '2026-03-10', '1', CURRENT_TIMESTAMP)`,
    );
    db.close();

    expect(migrateSqlite(file).applied).toEqual(ALL.slice(redefining));
    const after = new Database(file);
    expect(after.prepare(`SELECT id, name, foundedOn FROM "Branch"`).all()).toEqual([
      { id: 7, name: "Chi bộ Ấp 1", foundedOn: "2020-01-01" },
    ]);
    expect(after.prepare(`SELECT branchId FROM "Member" WHERE id = 3`).get()).toEqual({ branchId: 7 });
    expect(after.prepare(`SELECT branchId FROM "Meeting" WHERE id = 5`).get()).toEqual({ branchId: 7 });
    expect(after.pragma("foreign_key_check")).toEqual([]);
    expect(after.pragma("foreign_keys", { simple: true })).toBe(1);
    after.close();
  });
});

describeSqliteOnly("communes as tenants", () => {
  it("puts an existing database's committee roles and invitations in its one commune, losing nothing", () => {
    const { dir, file } = tempDatabaseFile();
    const partial = join(dir, "migrations");
    mkdirSync(partial);
    const communes = ALL.findIndex((name) => name.endsWith("_communes"));
    expect(communes).toBeGreaterThan(0);
    for (const name of ALL.slice(0, communes))
      cpSync(join(MIGRATIONS_DIR, name), join(partial, name), { recursive: true });
    migrateSqlite(file, partial);
    const db = new Database(file);
    db.exec(`INSERT INTO "Committee" (id, name, placeName) VALUES (1, 'Đảng bộ xã', 'Xuân Đông')`);
    db.exec(`INSERT INTO "Branch" (id, committeeId, name) VALUES (7, 1, 'Chi bộ Ấp 1')`);
    db.exec(
      `INSERT INTO "Member" (id, branchId, fullName, sortKey, kind, updatedAt) VALUES (3, 7, 'Nguyễn Văn An', 'an', 'OFFICIAL', CURRENT_TIMESTAMP)`,
    );
    db.exec(
      `INSERT INTO "User" (id, telegramId, displayName, memberId) VALUES (1, '100', 'An', 3), (2, '200', 'Bình', NULL)`,
    );
    db.exec(
      `INSERT INTO "RoleAssignment" (id, userId, role, branchId, grantedBy) VALUES (1, 1, 'BRANCH_SECRETARY', 7, '9'), (2, 2, 'COMMITTEE_OFFICE', NULL, '9')`,
    );
    db.exec(
      `INSERT INTO "Invitation" (id, codeHash, role, branchId, label, createdByTelegramId, expiresAt) VALUES
         (1, 'a', 'COMMITTEE_STANDING', NULL, 'Trần Thị C', '9', CURRENT_TIMESTAMP),
         (2, 'b', 'MEMBER', 7, 'Nguyễn Văn An', '9', CURRENT_TIMESTAMP)`,
    );
    db.close();

    expect(migrateSqlite(file).applied).toEqual(ALL.slice(communes));
    const after = new Database(file);
    expect(
      after.prepare(`SELECT id, userId, role, branchId, committeeId, grantedBy FROM "RoleAssignment"`).all(),
    ).toEqual([
      { id: 1, userId: 1, role: "BRANCH_SECRETARY", branchId: 7, committeeId: null, grantedBy: "9" },
      { id: 2, userId: 2, role: "COMMITTEE_OFFICE", branchId: null, committeeId: 1, grantedBy: "9" },
    ]);
    expect(after.prepare(`SELECT id, role, branchId, committeeId, label FROM "Invitation"`).all()).toEqual([
      { id: 1, role: "COMMITTEE_STANDING", branchId: null, committeeId: 1, label: "Trần Thị C" },
      { id: 2, role: "MEMBER", branchId: 7, committeeId: null, label: "Nguyễn Văn An" },
    ]);
    expect(after.prepare(`SELECT COUNT(*) AS n FROM "User"`).get()).toEqual({ n: 2 });
    expect(after.pragma("foreign_key_check")).toEqual([]);
    after.close();
  });
});

describeSqliteOnly("settings per commune", () => {
  it("keeps an existing database's settings and holidays as the province's, and the signer its first commune's", async () => {
    const { dir, file, url } = tempDatabaseFile();
    const partial = join(dir, "migrations");
    mkdirSync(partial);
    const perCommune = ALL.findIndex((name) => name.endsWith("_committee_settings"));
    expect(perCommune).toBeGreaterThan(0);
    for (const name of ALL.slice(0, perCommune))
      cpSync(join(MIGRATIONS_DIR, name), join(partial, name), { recursive: true });
    migrateSqlite(file, partial);
    const db = new Database(file);
    db.exec(`INSERT INTO "Committee" (id, name, placeName) VALUES (1, 'Đảng bộ xã', 'Xuân Đông')`);
    db.exec(
      `INSERT INTO "Setting" (key, value, updatedAt, updatedByTelegramId) VALUES
         ('absenceAlertMonths', '4', CURRENT_TIMESTAMP, '9'),
         ('committeeSecretaryName', '"Nguyễn Văn Hùng"', CURRENT_TIMESTAMP, '9')`,
    );
    db.exec(
      `INSERT INTO "HolidayYear" (year, days, confirmed, confirmedAt, confirmedByTelegramId) VALUES
         (2027, '[{"date":"2027-09-01","kind":"OTHER"}]', 1, CURRENT_TIMESTAMP, '9')`,
    );
    db.close();

    expect(migrateSqlite(file).applied).toEqual(ALL.slice(perCommune));
    const store = createStore(createDb(url));
    try {
      expect((await ruleParameters(store.repos, 1)).absenceAlertMonths).toBe(4);
      expect(await committeeSigner(store.repos, 1)).toBe("Nguyễn Văn Hùng");
      // A commune added later follows the same defaults, and signs with its own secretary (none yet).
      const second = await store.repos.committee.create("Đảng bộ xã Tân Phú", "Tân Phú");
      expect((await ruleParameters(store.repos, second.id)).absenceAlertMonths).toBe(4);
      expect(await committeeSigner(store.repos, second.id)).toBeNull();
      // The confirmed holiday year is the province's: both communes count with it.
      for (const commune of [1, second.id])
        expect((await ruleParameters(store.repos, commune)).holidays).toMatchObject({
          years: expect.arrayContaining([2027]) as unknown,
          dates: expect.arrayContaining(["2027-09-01"]) as unknown,
        });
      expect(await committeeSigner(store.repos, 1)).toBe("Nguyễn Văn Hùng");
    } finally {
      await store.close();
    }
  });
});
