// Global setup of every SQLite run (vitest.config.ts): the migrations are applied once, to a template file
// that each test's database copies (a copy costs about a millisecond, applying every migration about 65).
// The PostgreSQL run migrates its own databases (test/support/pg.ts) and has no template.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateSqlite } from "../../src/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A SQLite file with every migration applied, for test/support/db.ts to copy ("" on PostgreSQL). */
    sqliteTemplate: string;
  }
}

export default function setup(project: TestProject): () => void {
  if (process.env.CHIBO_TEST_DB === "postgresql") {
    project.provide("sqliteTemplate", "");
    return () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), "chibo-template-"));
  const file = join(dir, "chibo.db");
  migrateSqlite(file);
  project.provide("sqliteTemplate", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
