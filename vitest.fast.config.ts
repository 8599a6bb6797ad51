// `npm run test:fast`: the unit, use-case and flow tests, quickly. The end-to-end tests (bot processes, the
// simulated commune year), the backup tools and the LibreOffice printing tests are left out (`npm test` and CI
// run them). The files share their worker's module cache (isolate: false): loading the bot, Prisma and the
// renderers once per worker instead of once per file halves the run's CPU time. Nothing in src/ or the
// tests keeps per-file module state (no vi.mock, no stubbed globals or environment; the module-level maps
// are caches of pure functions), and `npm test` still runs every file isolated. Every core runs tests
// (vitest's default leaves one to itself, which on two cores means one worker).
import { availableParallelism } from "node:os";
import { configDefaults, defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      isolate: false,
      maxWorkers: availableParallelism(),
      exclude: [
        ...configDefaults.exclude,
        "test/e2e/**",
        "test/backup/**",
        "test/files/printed-documents.test.ts",
        "test/files/meeting-minutes-print.test.ts",
      ],
    },
  }),
);
