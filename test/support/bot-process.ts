// The bot as a separate process (as a service manager runs it), with its JSON logs parsed, its exit
// observed and its memory read from /proc (Linux). Tests use it for what only a real process shows (a
// second process on one database, kill -9, a file-size limit); the bench measures the production process.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (test/support/ is two levels down). */
export const REPO_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** A field of /proc/<pid>/status given in kB (VmRSS: resident now, VmHWM: peak resident), in MB. */
export function procStatusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/**
 * The bot bundled as `npm start` bundles it (scripts/build.mjs), into a folder of its own under
 * node_modules/.cache (packages and prisma/migrations resolve from there as from dist/), so test files
 * running in parallel never read a bundle another is rewriting. `dispose` deletes it.
 */
export function buildTestBundle(): { main: string; dispose(): void } {
  const cache = join(REPO_ROOT, "node_modules", ".cache");
  execFileSync("mkdir", ["-p", cache]);
  const dir = mkdtempSync(join(cache, "chibo-bundle-"));
  const main = join(dir, "main.js");
  execFileSync(process.execPath, ["scripts/build.mjs", main], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return { main, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SpawnOptions {
  /** Node's arguments (the script and its flags). */
  args: readonly string[];
  /** A program the node command runs under (e.g. ["prlimit", "--fsize=…"]); none by default. */
  wrapper?: readonly string[];
}

export type LogLine = Record<string, unknown>;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** pino's numeric levels. */
export const LOG_LEVEL = { warn: 40, error: 50, fatal: 60 } as const;
const OUTPUT_TAIL_LINES = 40;

export class BotProcess {
  readonly pid: number;
  /** Every stdout line that parsed as a JSON object (the bot's pino log). */
  readonly logs: LogLine[] = [];
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;
  private readonly tail: string[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly child: ChildProcess;

  private constructor(env: Record<string, string>, options: SpawnOptions) {
    // Only the variables given: nothing of the calling process's environment (NODE_OPTIONS, ...) leaks in.
    const [command, ...args] = [...(options.wrapper ?? []), process.execPath, ...options.args];
    this.child = spawn(command!, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    if (this.child.pid === undefined) throw new Error(`could not spawn ${[command, ...args].join(" ")}`);
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
        this.wake();
      });
    });
    this.readLines(this.child.stdout!, "stdout");
    this.readLines(this.child.stderr!, "stderr");
  }

  static spawn(env: Record<string, string>, options: SpawnOptions): BotProcess {
    return new BotProcess(env, options);
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** The last lines the process wrote (stdout and stderr), for error messages. */
  output(): string {
    return this.tail.join("\n");
  }

  /** Log lines at this pino level or above (LOG_LEVEL.warn, LOG_LEVEL.error, ...). */
  logsFrom(level: number): LogLine[] {
    return this.logs.filter((line) => typeof line.level === "number" && line.level >= level);
  }

  /** The first log line (already written or to come) matching; rejects on timeout or exit. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined; // eslint-disable-line prefer-const -- assigned after check() is defined
      const check = () => {
        const line = this.logs.find(predicate);
        const problem = line ? null : this.exit ? `the process exited (${describeExit(this.exit)})` : null;
        if (!line && !problem) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        if (line) resolve(line);
        else reject(new Error(`${problem} before the expected log line; output:\n${this.output()}`));
      };
      timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no expected log line within ${timeoutMs} ms; output:\n${this.output()}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** SIGTERM, as a service manager stops it; SIGKILL if it has not exited within timeoutMs (then `timedOut`). */
  async stop(timeoutMs: number): Promise<Exit & { timedOut: boolean }> {
    if (this.exit) return { ...this.exit, timedOut: false };
    this.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    const exit = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (exit) return { ...exit, timedOut: false };
    this.child.kill("SIGKILL");
    return { ...(await this.exited), timedOut: true };
  }

  /** kill -9: the process dies where it stands (no handler runs, nothing is flushed). Resolves once it is gone. */
  async kill(): Promise<Exit> {
    if (this.running) this.child.kill("SIGKILL");
    return this.exited;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private readLines(stream: NodeJS.ReadableStream, name: "stdout" | "stderr"): void {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) this.take(line, name);
      this.wake();
    });
    stream.on("end", () => {
      if (partial) this.take(partial, name);
      partial = "";
      this.wake();
    });
  }

  private take(line: string, name: "stdout" | "stderr"): void {
    if (line.trim() === "") return;
    this.tail.push(name === "stderr" ? `[stderr] ${line}` : line);
    if (this.tail.length > OUTPUT_TAIL_LINES) this.tail.shift();
    if (name !== "stdout") return;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) this.logs.push(parsed as LogLine);
    } catch {
      // Not a log line (a stray console.log): kept in the output tail only.
    }
  }
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}
