// PostgreSQL databases for the PG run (`npm run test:pg`): one per test file, created at its first use,
// migrated like production, dropped when the file ends (test/support/pg-setup.ts). Each test starts on an
// empty database: the file's database is emptied (rows deleted, sequences restarted) when the next test takes
// it; a test that holds two databases at once gets a second one, dropped with the first. DELETE, not
// TRUNCATE: truncating 37 tables costs about a second (new files for each), deleting a test's few rows
// a few milliseconds.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migratePostgres } from "../../src/db/migrate.js";
import { TEST_PG_URL } from "./engine.js";

interface FileDatabase {
  url: string;
  name: string;
  inUse: boolean;
  tables: string[];
  sequences: string[];
}

const databases: FileDatabase[] = [];

function urlOf(name: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>, url = TEST_PG_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the test server (not migrated), dropped when the test file ends. */
export async function createEmptyPgDatabase(): Promise<{ url: string; name: string }> {
  const name = `chibo_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  // C.UTF-8 collation, as the README tells operators: text sorts as on SQLite.
  await admin((client) =>
    client.query(
      `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    ),
  );
  const entry = { url: urlOf(name), name, inUse: false, tables: [], sequences: [] };
  databases.push(entry);
  return entry;
}

/** An empty migrated database for one test; `release` gives it back for the file's next test. */
export async function takePgDatabase(): Promise<{ url: string; release(): void }> {
  let entry = databases.find((d) => !d.inUse && d.tables.length > 0);
  if (entry) {
    // Foreign keys are not checked while every table is emptied (replica role: the tests' server account is a superuser).
    const statements = [
      "SET session_replication_role = replica",
      ...entry.tables.map((t) => `DELETE FROM "${t}"`),
      ...entry.sequences.map((s) => `ALTER SEQUENCE "${s}" RESTART`),
      "SET session_replication_role = DEFAULT",
    ];
    await admin((client) => client.query(statements.join(";\n")), entry.url);
  } else {
    const created = await createEmptyPgDatabase();
    entry = databases.find((d) => d.name === created.name)!;
    await migratePostgres(entry.url);
    const { rows } = await admin(
      (client) =>
        client.query<{ name: string }>(
          `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
        ),
      entry.url,
    );
    entry.tables = rows.map((r) => r.name);
    const sequences = await admin(
      (client) =>
        client.query<{ name: string }>(`SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public'`),
      entry.url,
    );
    entry.sequences = sequences.rows.map((r) => r.name);
  }
  const taken = entry;
  taken.inUse = true;
  return { url: taken.url, release: () => (taken.inUse = false) };
}

/** Drops every database this test file created (connections still open are closed by the server). */
export async function dropPgDatabases(): Promise<void> {
  const names = databases.splice(0).map((d) => d.name);
  if (names.length === 0) return;
  await admin(async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/** Drops one database this test file created (a killed bot's copy), now rather than when the file ends. */
export async function dropPgDatabase(url: string): Promise<void> {
  const index = databases.findIndex((d) => d.url === url);
  if (index < 0) throw new Error(`dropPgDatabase: ${url} was not created by this test file`);
  const [{ name }] = databases.splice(index, 1) as [FileDatabase];
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Rows of a table (optionally: matching a WHERE clause), read as another process would. */
export async function countPgRows(url: string, table: string, where = "1 = 1"): Promise<number> {
  return admin(
    async (client) =>
      Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`)).rows[0]!.n),
    url,
  );
}

/** A copy of the database as committed now (a killed bot's database), as a new database of this file. */
export async function copyPgDatabase(url: string): Promise<string> {
  const copy = await createEmptyPgDatabase();
  const { execFileSync } = await import("node:child_process");
  const dump = execFileSync("pg_dump", ["--format=custom", "--no-owner", url], { maxBuffer: 512 * 1024 * 1024 });
  execFileSync("pg_restore", ["--no-owner", "--dbname", copy.url], { input: dump });
  return copy.url;
}
