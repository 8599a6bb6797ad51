// The bot as production runs it (`npm start`: the esbuild bundle under plain node, no tsx loader),
// spawned from a bench case, with its JSON logs parsed and its memory read from /proc (Linux).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

/** The repository root (bench/support/ is two levels down). */
export const REPO_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** What `npm start` runs after the build step (keep the two in step). */
export const PRODUCTION_ARGS = ["--enable-source-maps", "--max-semi-space-size=2", "--liftoff-only", "dist/main.js"] as const;

/** Runs `node scripts/build.mjs` (as `npm start` does first); returns how long it took in ms. */
export function buildBundle(): number {
  const began = performance.now();
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return performance.now() - began;
}

/** A field of /proc/<pid>/status given in kB (VmRSS: resident now, VmHWM: peak resident), in MB. */
export function procStatusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
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

  private constructor(env: Record<string, string>) {
    // Only the variables given: nothing of the bench process's environment (NODE_OPTIONS, ...) leaks in.
    this.child = spawn(process.execPath, [...PRODUCTION_ARGS], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    if (this.child.pid === undefined) throw new Error(`could not spawn ${process.execPath} ${PRODUCTION_ARGS.join(" ")}`);
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

  static spawn(env: Record<string, string>): BotProcess {
    return new BotProcess(env);
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
      let timer: NodeJS.Timeout | undefined;
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

  /** Last-resort cleanup: SIGKILL if still running. */
  kill(): void {
    if (this.running) this.child.kill("SIGKILL");
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
