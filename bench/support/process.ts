// The bot as production runs it (`npm start`: the esbuild bundle under plain node, no tsx loader),
// spawned from a bench case through the tests' BotProcess (test/support/bot-process.ts).
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { BotProcess, REPO_ROOT } from "../../test/support/bot-process.js";

export {
  BotProcess,
  describeExit,
  LOG_LEVEL,
  procStatusMb,
  REPO_ROOT,
  type Exit,
  type LogLine,
} from "../../test/support/bot-process.js";

/** What `npm start` runs after the build step (keep the two in step). */
export const PRODUCTION_ARGS = [
  "--enable-source-maps",
  "--max-semi-space-size=2",
  "--liftoff-only",
  "dist/main.js",
] as const;

/** Runs `node scripts/build.mjs` (as `npm start` does first); returns how long it took in ms. */
export function buildBundle(): number {
  const began = performance.now();
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return performance.now() - began;
}

/** The production process (dist/main.js, as `npm start` runs it) with only these variables. */
export function spawnProduction(env: Record<string, string>): BotProcess {
  return BotProcess.spawn(env, { args: PRODUCTION_ARGS });
}
