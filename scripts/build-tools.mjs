// Bundles the operator's tools (backup, restore) with esbuild, as scripts/build.mjs bundles the bot:
// `npm run backup` and `npm run restore` then run with plain node, dev dependencies or not.
import { build } from "esbuild";
import { NODE_BUNDLE } from "./esbuild-options.mjs";

await build({
  ...NODE_BUNDLE,
  entryPoints: { backup: "scripts/backup.ts", restore: "scripts/restore.ts" },
  outdir: "dist/tools",
});
