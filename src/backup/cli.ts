// The command line the operator's tools share (scripts/backup.ts, scripts/restore.ts): one folder and the
// tool's flags, the data's paths read like the bot's (.env, DATABASE_URL, FILES_DIR), exit code 2 for a
// wrong command line and 1 for a failure. No Prisma, no telegraf: the tools are bundled on their own
// (test/architecture/boundaries.test.ts).
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { BackupError } from "./manifest.js";
import { commandLinePath, storagePaths, type StoragePaths } from "./storage.js";

export interface ToolCall {
  /** The folder named on the command line, as the operator meant it (commandLinePath). */
  folder: string;
  /** Which of the tool's flags were given. */
  flags: ReadonlySet<string>;
  /** Where the bot keeps its data. */
  paths: StoragePaths;
}

export interface Tool {
  /** As in "<name> failed: …". */
  name: string;
  usage: string;
  /** The flags the tool takes besides its folder, e.g. "--force". */
  flags?: readonly string[];
  /** Does the work and reports it; the process exits 0 when it resolves. */
  run: (call: ToolCall) => Promise<void>;
}

async function main(tool: Tool, args: string[]): Promise<number> {
  // Before anything is created: backups and restored data hold every member's data, for the operator's account only.
  process.umask(0o077);
  const flags = new Set(args.filter((arg) => tool.flags?.includes(arg)));
  const [folder, ...rest] = args.filter((arg) => arg !== "--" && !flags.has(arg));
  if (!folder || folder.startsWith("-") || rest.length > 0) {
    process.stderr.write(`${tool.usage}\n`);
    return 2;
  }
  if (existsSync(".env")) loadDotenv({ path: ".env", quiet: true });
  const paths = storagePaths(process.env);
  await tool.run({ folder: commandLinePath(folder, process.env, process.cwd()), flags, paths });
  return 0;
}

/** Runs the tool on the process's arguments and exits; the operator's mistakes (BackupError) are told without a stack. */
export function runTool(tool: Tool): void {
  main(tool, process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${tool.name} failed: ${error instanceof BackupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
