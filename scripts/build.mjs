// Bundles the bot into dist/main.js with esbuild (a quarter of a second). `npm start` runs the bundle
// with plain node: the tsx loader costs about 40 MB of memory on a long-running process.
import { build } from "esbuild";
import { NODE_BUNDLE } from "./esbuild-options.mjs";

await build({ ...NODE_BUNDLE, entryPoints: ["src/main.ts"], outfile: "dist/main.js" });
