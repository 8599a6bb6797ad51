#!/usr/bin/env bash
# Writes a new migration from the difference between the last committed schema and the working one.
# Prisma's JS schema engine cannot diff against a live database or a migrations folder (no shadow
# database), but it can diff two schema files. Usage: scripts/new-migration.sh <name> [base-ref]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/new-migration.sh <name> [base-ref]}
base=${2:-HEAD}
old=$(mktemp --suffix=.prisma)
git show "$base:prisma/schema.prisma" > "$old"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
DATABASE_URL="file:$(mktemp -d)/diff.db" npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script --output "$dir/migration.sql" >/dev/null
rm -f "$old"
echo "wrote $dir/migration.sql"
