// What the bot's bundle (scripts/build.mjs) and the operator's tools' (scripts/build-tools.mjs) share:
// ESM for Node 20 with source maps, and every dependency left in node_modules (native modules such as
// better-sqlite3, and Prisma's runtime, cannot be bundled).
export const NODE_BUNDLE = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
};
