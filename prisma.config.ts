// Prisma CLI configuration. The native schema engine cannot be downloaded on our machines, so the CLI
// runs its JavaScript engine through the better-sqlite3 driver adapter (Prisma 6.19, see DEVELOPERS.md).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

const url = process.env.DATABASE_URL ?? "file:./data/chibo.db";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: () => Promise.resolve(new PrismaBetterSQLite3({ url })),
});
