import { defineConfig } from "vitest/config";

// Tests must not depend on the machine's zone: code under test uses Asia/Ho_Chi_Minh explicitly.
process.env.TZ = "UTC";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // SQLite runs: the migrations are applied once, to a template each test's database copies.
    globalSetup: ["test/support/sqlite-template.ts"],
    // The PostgreSQL run (npm run test:pg) drops each test file's databases when the file ends.
    setupFiles: process.env.CHIBO_TEST_DB === "postgresql" ? ["test/support/pg-setup.ts"] : [],
    reporters: process.env.CI_JSON_REPORT
      ? ["default", ["json", { outputFile: process.env.CI_JSON_REPORT }]]
      : ["default"],
  },
});
