#!/usr/bin/env bash
# Writes the next migration for both engines from the difference between the last committed data model and
# the working one: prisma/migrations/<stamp>_<name> (SQLite) and prisma/postgresql/migrations/<stamp>_<name>
# (PostgreSQL, from the regenerated prisma/postgresql/schema.prisma). Prisma's JS schema engine cannot diff
# against a live database or a migrations folder (no shadow database), but it can diff two schema files,
# offline. Never use `prisma migrate dev` on PostgreSQL: through the adapter its shadow database is the real one.
#
#   scripts/new-migration.sh <name> [base-ref]     both migrations, named <UTC stamp>_<name>
#   scripts/new-migration.sh --pg-twin <folder> [base-ref]
#                                                  the PostgreSQL twin of an existing SQLite migration
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--pg-twin" ]; then
  folder=${2:?usage: scripts/new-migration.sh --pg-twin <folder> [base-ref]}
  base=${3:-HEAD}
  sqlite=""
else
  name=${1:?usage: scripts/new-migration.sh <name> [base-ref]}
  base=${2:-HEAD}
  folder="$(date -u +%Y%m%d%H%M%S)_$name"
  sqlite=yes
fi
node scripts/pg-schema.mjs >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git show "$base:prisma/schema.prisma" > "$scratch/old.prisma"
node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  import { postgresSchemaOf } from "./scripts/pg-schema.mjs";
  writeFileSync(process.argv[2], postgresSchemaOf(readFileSync(process.argv[1], "utf8")));
' "$scratch/old.prisma" "$scratch/old-pg.prisma"
if [ -n "$sqlite" ]; then
  mkdir -p "prisma/migrations/$folder"
  DATABASE_URL="file:$scratch/diff.db" npx prisma migrate diff --from-schema-datamodel "$scratch/old.prisma" --to-schema-datamodel prisma/schema.prisma --script --output "prisma/migrations/$folder/migration.sql" >/dev/null
  echo "wrote prisma/migrations/$folder/migration.sql"
fi
mkdir -p "prisma/postgresql/migrations/$folder"
# The URL selects the PostgreSQL adapter and schema in prisma.config.ts; the adapter connects to the server
# (any reachable one, TEST_PG_URL by default) but the diff reads and writes no table.
DATABASE_URL="${TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" npx prisma migrate diff --from-schema-datamodel "$scratch/old-pg.prisma" --to-schema-datamodel prisma/postgresql/schema.prisma --script --output "prisma/postgresql/migrations/$folder/migration.sql" >/dev/null
echo "wrote prisma/postgresql/migrations/$folder/migration.sql"
