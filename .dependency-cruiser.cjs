// Layering rules on the real import graph (test/architecture/boundaries.test.ts runs them):
//   domain (pure rules)  <-  app (use cases)  <-  bot / jobs / notify  <-  runtime (composition root)
//   files (renderers) sit below app: they read domain and i18n types only.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "bot-not-to-db",
      comment: "The chat layer reaches data through use cases (src/app) and the ports it is given, never src/db.",
      severity: "error",
      from: { path: "^src/bot/" },
      to: { path: "^src/(db|generated)/" },
    },
    {
      name: "feature-not-to-feature",
      comment:
        "Features sit side by side: shared chat helpers live in src/bot/reply.ts, src/bot/views/ and " +
        "src/bot/keyboards/, never in another feature.",
      severity: "error",
      // A feature is one file, optionally with a folder of the same name for its parts (meetings.ts, meetings/).
      from: { path: "^src/bot/features/([^/.]+)" },
      to: { path: "^src/bot/features/", pathNot: "^src/bot/features/$1(\\.ts$|/)" },
    },
    {
      name: "files-not-to-app",
      comment: "Renderers turn domain data into files: they depend on src/domain and src/i18n only.",
      severity: "error",
      from: { path: "^src/files/" },
      to: { path: "^src/(app|bot|db|generated|jobs|notify|backup)/" },
    },
    {
      name: "domain-only-domain",
      comment: "Domain rules are pure: nothing outside src/domain but a few pure libraries (dates, holidays).",
      severity: "error",
      from: { path: "^src/domain/" },
      to: {
        pathNot: ["^src/domain/", "^node_modules/(luxon|@types/luxon|date-holidays)/", "^module$", "^node:module$"],
      },
    },
    {
      name: "only-db-to-prisma",
      comment: "Repositories are the only Prisma importers.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(db|generated)/" },
      to: { path: ["^src/generated/", "^node_modules/(@prisma|prisma)/"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
