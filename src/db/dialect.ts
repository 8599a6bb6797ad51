// Which engine a database URL names. A module of its own, with no imports: the configuration and the
// backup tools read it without pulling in the Prisma clients.
export type Dialect = "sqlite" | "postgresql";

/** `postgresql://` (or `postgres://`) is PostgreSQL; `file:`, the default, SQLite. */
export function dialectOfUrl(databaseUrl: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? "postgresql" : "sqlite";
}
