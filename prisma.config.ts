// Prisma CLI configuration. The native schema engine cannot be downloaded on our machines, so the CLI
// runs its JavaScript engine through a driver adapter (Prisma 6.19): better-sqlite3 for a `file:` URL (the
// default), pg for a `postgresql://` one, with that engine's schema file. The CLI is only used to generate
// the clients and to write migrations (scripts/new-migration.sh); the bot applies migrations itself.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

const url = process.env.DATABASE_URL ?? "file:./data/chibo.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgresql/migrations" : "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => (postgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url })),
});
