// Writes prisma/postgresql/schema.prisma from the one data model, prisma/schema.prisma. Prisma ties a schema
// file, its migrations and its generated client to one provider and will not read the provider from the
// environment, so PostgreSQL gets its own schema file: the same models, only the datasource and the client's
// output folder differ. Never edit the PostgreSQL file by hand; test/db/pg-schema.test.ts fails when the two
// drift apart.
//
//   node scripts/pg-schema.mjs          rewrite prisma/postgresql/schema.prisma
//   node scripts/pg-schema.mjs --check  exit 1 if it is not what the source gives
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE = join(root, "prisma", "schema.prisma");
export const TARGET = join(root, "prisma", "postgresql", "schema.prisma");

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/pg-schema.mjs: do not edit, change the source and run
// \`node scripts/pg-schema.mjs\`. The data model for PostgreSQL (DATABASE_URL=postgresql://...).
`;

/** Replaces exactly one match of `pattern` in `text`, or throws: a source whose shape changed must not pass silently. */
function replaceOnce(text, pattern, replacement, what) {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`)) ?? [];
  if (matches.length !== 1) throw new Error(`prisma/schema.prisma: expected one ${what}, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

/** The PostgreSQL schema text for a SQLite schema text. */
export function postgresSchemaOf(source) {
  let text = replaceOnce(
    source,
    /datasource db \{[^}]*\}/,
    `datasource db {\n  provider = "postgresql"\n  url      = "postgresql://localhost/chibo"\n}`,
    "datasource block",
  );
  text = replaceOnce(
    text,
    /output\s*=\s*"\.\.\/src\/generated\/prisma"/,
    `output     = "../../src/generated/prisma-pg"`,
    "client output",
  );
  if (/@db\./.test(text))
    throw new Error("prisma/schema.prisma: native types (@db.*) are not portable between SQLite and PostgreSQL");
  return HEADER + text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const wanted = postgresSchemaOf(readFileSync(SOURCE, "utf8"));
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(TARGET, "utf8");
    } catch {
      // missing: reported below
    }
    if (current !== wanted) {
      process.stderr.write(
        "prisma/postgresql/schema.prisma is out of date: run `node scripts/pg-schema.mjs` and make a migration for both engines (see README).\n",
      );
      process.exit(1);
    }
  } else {
    mkdirSync(dirname(TARGET), { recursive: true });
    writeFileSync(TARGET, wanted);
    process.stdout.write("wrote prisma/postgresql/schema.prisma\n");
  }
}
