// Setup file of the PostgreSQL run (vitest.config.ts): the databases a test file created are dropped when
// it ends, whether its tests passed or not.
import { afterAll } from "vitest";
import { dropPgDatabases } from "./pg.js";

afterAll(async () => {
  await dropPgDatabases();
});
