// Bundles the bot into dist/main.js with esbuild (a quarter of a second). `npm start` runs the bundle
// with plain node: the tsx loader costs about 40 MB of memory on a long-running process.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/main.js",
  // Dependencies stay in node_modules: native modules and Prisma's runtime cannot be bundled.
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
