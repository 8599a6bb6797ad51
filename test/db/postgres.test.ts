// PostgreSQL itself: the in-process migrator (one transaction per migration, one run among processes
// starting together, the same bookkeeping), the migrations giving exactly the generated schema, and
// SERIALIZABLE transactions retried when a concurrent one wins. Run by `npm run test:pg`.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createDb } from "../../src/db/client.js";
import { migratePostgres, PG_MIGRATIONS_DIR } from "../../src/db/migrate.js";
import { createStore } from "../../src/db/store.js";
import { describePostgresOnly } from "../support/engine.js";
import { createEmptyPgDatabase } from "../support/pg.js";
import { executeSql, queryRows } from "../support/raw-sql.js";

const ALL = execFileSync("ls", [PG_MIGRATIONS_DIR])
  .toString()
  .split("\n")
  .filter((n) => /^\d/.test(n));

/** Tables, columns (type, nullability, default) and indexes: what a schema is, as PostgreSQL reports it. */
async function shapeOf(url: string): Promise<unknown> {
  const columns = await queryRows(
    url,
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
  );
  const indexes = await queryRows(
    url,
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
  );
  const constraints = await queryRows(
    url,
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid NOT IN (SELECT oid FROM pg_class WHERE relname = '_prisma_migrations') ORDER BY conname`,
  );
  return { columns, indexes, constraints };
}

describePostgresOnly("the PostgreSQL migrator", () => {
  it("applies every migration once, and two processes starting together migrate once", async () => {
    const { url } = await createEmptyPgDatabase();
    const [a, b] = await Promise.all([migratePostgres(url), migratePostgres(url)]);
    expect([...a.applied, ...b.applied]).toEqual(ALL);
    expect(await migratePostgres(url)).toEqual({ applied: [], latest: ALL[ALL.length - 1] });
    const rows = await queryRows(
      url,
      `SELECT migration_name, applied_steps_count, finished_at IS NOT NULL AS done FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows).toEqual(ALL.map((name) => ({ migration_name: name, applied_steps_count: 1, done: true })));
  });

  it("gives exactly the schema generated from the data model (no migration missing or different)", async () => {
    const migrated = await createEmptyPgDatabase();
    await migratePostgres(migrated.url);
    const generated = await createEmptyPgDatabase();
    const script = execFileSync(
      "npx",
      [
        "prisma",
        "migrate",
        "diff",
        "--from-empty",
        "--to-schema-datamodel",
        "prisma/postgresql/schema.prisma",
        "--script",
      ],
      {
        env: { ...process.env, DATABASE_URL: generated.url },
      },
    ).toString();
    await executeSql(generated.url, script);
    expect(await shapeOf(migrated.url)).toEqual(await shapeOf(generated.url));
  }, 60_000);

  it("rolls a failing migration back whole, records nothing, and refuses a changed one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chibo-pg-migrations-"));
    try {
      cpSync(PG_MIGRATIONS_DIR, dir, { recursive: true });
      mkdirSync(join(dir, "29991231000000_broken"));
      writeFileSync(
        join(dir, "29991231000000_broken", "migration.sql"),
        `CREATE TABLE "Half" ("id" INTEGER);\nSELECT 1 / 0;\n`,
      );
      const { url } = await createEmptyPgDatabase();
      await expect(migratePostgres(url, dir)).rejects.toThrow(
        /29991231000000_broken failed and was rolled back: division by zero/,
      );
      expect(await queryRows(url, `SELECT count(*) AS n FROM pg_tables WHERE tablename = 'Half'`)).toEqual([{ n: 0 }]);
      expect(
        await queryRows(
          url,
          `SELECT count(*) AS n FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`,
        ),
      ).toEqual([{ n: 0 }]);
      // The migrations before it stay applied: the next start goes on from there.
      expect(await queryRows(url, `SELECT count(*) AS n FROM "_prisma_migrations"`)).toEqual([{ n: ALL.length }]);
      rmSync(join(dir, "29991231000000_broken"), { recursive: true });
      appendFileSync(join(dir, ALL[0]!, "migration.sql"), "\n-- edited\n");
      await expect(migratePostgres(url, dir)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePostgresOnly("transactions on PostgreSQL", () => {
  it("are serializable: two that each read then write run again on fresh data instead of both winning", async () => {
    const { url } = await createEmptyPgDatabase();
    await migratePostgres(url);
    const db = createDb(url);
    const store = createStore(db);
    try {
      // Each numbers a job run "highest + 1" from what it read: under READ COMMITTED both would write run 1.
      let attempts = 0;
      let bothRead!: () => void;
      const barrier = new Promise<void>((resolve) => (bothRead = resolve));
      let reads = 0;
      const next = () =>
        store.transaction(async (repos) => {
          attempts++;
          const runs = await repos.settings.all();
          const taken = Object.keys(runs).filter((key) => key.startsWith("run.")).length;
          if (++reads === 2) bothRead();
          if (reads <= 2) await barrier;
          await repos.settings.set(`run.${taken + 1}`, "x", "1000", new Date());
          return taken + 1;
        });
      const numbers = await Promise.all([next(), next()]);
      expect(numbers.sort()).toEqual([1, 2]);
      expect(attempts).toBeGreaterThan(2);
      // Every connection went back to the pool, failed COMMITs included: more transactions than the pool holds still run.
      for (let i = 0; i < 12; i++) await store.transaction((repos) => repos.settings.all());
    } finally {
      await store.close();
    }
  });
});
