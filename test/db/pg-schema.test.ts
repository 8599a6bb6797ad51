// One data model for both engines: prisma/postgresql/schema.prisma is what scripts/pg-schema.mjs makes of
// prisma/schema.prisma, and every SQLite migration since the PostgreSQL baseline has its PostgreSQL twin.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, PG_MIGRATIONS_DIR } from "../../src/db/migrate.js";
// @ts-expect-error: a plain script without type declarations
import { postgresSchemaOf, SOURCE, TARGET } from "../../scripts/pg-schema.mjs";

const toPostgres = postgresSchemaOf as (source: string) => string;
const migrationsIn = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();

describe("the PostgreSQL schema", () => {
  it("is exactly what the script makes of the one data model (run `node scripts/pg-schema.mjs` after a change)", () => {
    expect(readFileSync(TARGET as string, "utf8")).toBe(toPostgres(readFileSync(SOURCE as string, "utf8")));
    execFileSync(process.execPath, ["scripts/pg-schema.mjs", "--check"]);
  });

  it("would be found out of date after a change to the data model", () => {
    const changed = readFileSync(SOURCE as string, "utf8").replace("model Branch {", "model Branch {\n  motto String?");
    expect(toPostgres(changed)).not.toBe(readFileSync(TARGET as string, "utf8"));
    expect(toPostgres(changed)).toContain('provider = "postgresql"');
    expect(toPostgres(changed)).not.toContain('provider = "sqlite"');
  });

  it("refuses native types, which would not mean the same on both engines", () => {
    expect(() =>
      toPostgres(readFileSync(SOURCE as string, "utf8").replace(/( {2}name +String)\n/, "$1 @db.Text\n")),
    ).toThrow(/native types/);
  });
});

describe("migrations for both engines", () => {
  it("come in pairs after the PostgreSQL baseline: the same names on both sides", () => {
    const postgres = migrationsIn(PG_MIGRATIONS_DIR);
    const baseline = postgres[0]!;
    expect(baseline).toMatch(/_postgresql_baseline$/);
    const sqliteSince = migrationsIn(MIGRATIONS_DIR).filter((name) => name > baseline);
    expect(postgres.slice(1), "a migration without its PostgreSQL twin: make it with scripts/new-migration.sh").toEqual(
      sqliteSince,
    );
  });
});
