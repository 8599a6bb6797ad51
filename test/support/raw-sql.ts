// Reading a test's database as another process would, on either engine: a read-only better-sqlite3
// connection to the SQLite file, or a pg connection to the PostgreSQL database. SQL written with quoted
// identifiers and standard functions reads the same on both.
import Database from "better-sqlite3";
import pg from "pg";
import { sqliteFileOf } from "../../src/config.js";
import { dialectOfUrl } from "../../src/db/dialect.js";

/** PostgreSQL's bigint (a count's type, OID 20) read as a number, as SQLite gives it. */
function bigintAsNumber(oid: number, format: "text" | "binary" = "text"): (value: string) => unknown {
  if (oid === 20) return Number;
  const parse = pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  return parse;
}
const bigintsAsNumbers = bigintAsNumber as typeof pg.types.getTypeParser;

/** The rows a query returns (numbers as numbers on both engines: PostgreSQL's counts come as strings). */
export async function queryRows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  return (await queryEach(url, [sql]))[0]!;
}

/**
 * The rows of each query, in order, read over one connection (a test snapshotting several tables after every
 * step: opening a SQLite connection reads the whole schema again, which costs more than the queries).
 */
export async function queryEach(url: string, sqls: readonly string[]): Promise<Record<string, unknown>[][]> {
  if (dialectOfUrl(url) === "sqlite") {
    const db = new Database(sqliteFileOf(url), { readonly: true });
    try {
      return sqls.map((sql) => db.prepare(sql).all() as Record<string, unknown>[]);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: bigintsAsNumbers } });
  await client.connect();
  try {
    const results: Record<string, unknown>[][] = [];
    for (const sql of sqls) results.push((await client.query(sql)).rows as Record<string, unknown>[]);
    return results;
  } finally {
    await client.end();
  }
}

/** Runs statements that change the database (a test breaking it on purpose). */
export async function executeSql(url: string, sql: string): Promise<void> {
  if (dialectOfUrl(url) === "sqlite") {
    const db = new Database(sqliteFileOf(url));
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Rows of a table (optionally: matching a WHERE clause). */
export async function countRows(url: string, table: string, where = "1 = 1"): Promise<number> {
  const rows = await queryRows(url, `SELECT count(*) AS n FROM "${table}" WHERE ${where}`);
  return Number(rows[0]!.n);
}
