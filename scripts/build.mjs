// Bundles the bot into dist/main.js with esbuild (a quarter of a second). `npm start` runs the bundle
// with plain node: the tsx loader costs about 40 MB of memory on a long-running process.
// `node scripts/build.mjs <outfile>` writes the bundle elsewhere (tests that run the bot as a process).
import { build } from "esbuild";
import { NODE_BUNDLE } from "./esbuild-options.mjs";

await build({ ...NODE_BUNDLE, entryPoints: ["src/main.ts"], outfile: process.argv[2] ?? "dist/main.js" });
