// Bundles the operator's tools (backup, restore) with esbuild, as scripts/build.mjs bundles the bot:
// `npm run backup` and `npm run restore` then run with plain node, dev dependencies or not.
import { build } from "esbuild";

await build({
  entryPoints: { backup: "scripts/backup.ts", restore: "scripts/restore.ts" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: "dist/tools",
  // Dependencies stay in node_modules: better-sqlite3 is a native module.
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
