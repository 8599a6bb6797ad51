// Which engine the suite runs on: SQLite (`npm test`, the default) or PostgreSQL (`npm run test:pg`, which
// sets CHIBO_TEST_DB=postgresql; the server is TEST_PG_URL). Tests about SQLite itself (its file, its locks,
// its backup) run only on SQLite: they use `sqliteOnly`, so the PostgreSQL run lists them as skipped.
import { describe, it } from "vitest";

export const TEST_ENGINE: "sqlite" | "postgresql" =
  process.env.CHIBO_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
export const onPostgres = TEST_ENGINE === "postgresql";

/** The PostgreSQL server the PG run creates its databases on (one per test file, dropped after). */
export const TEST_PG_URL = process.env.TEST_PG_URL?.trim() || "postgresql://postgres@127.0.0.1:5432/postgres";

/** `it` for a test about SQLite itself: skipped on PostgreSQL (the reason is part of the test's name). */
export const itSqliteOnly = (name: string, body: () => unknown, timeout?: number) =>
  (onPostgres ? it.skip : it)(`${name} [SQLite only]`, body, timeout);

/** `describe` for tests about SQLite itself: skipped on PostgreSQL. */
export const describeSqliteOnly = (name: string, body: () => void) =>
  (onPostgres ? describe.skip : describe)(`${name} [SQLite only]`, body);

/** `describe` for tests about PostgreSQL itself (its migrator, its isolation): skipped on SQLite. */
export const describePostgresOnly = (name: string, body: () => void) =>
  (onPostgres ? describe : describe.skip)(`${name} [PostgreSQL only]`, body);
