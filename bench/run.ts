// `npm run bench [-- [--strict] [case ...]]`: runs the bench cases listed in bench/cases/index.ts in
// order, each in a fresh child process, and prints one table of figures with targets and verdicts.
// Exit status: 1 if a case crashed or reported problems (its figures cannot be trusted); with
// --strict, also 1 if any figure misses its target (OVER a ceiling, UNDER a floor).
import { fork } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CASES } from "./cases/index.js";
import { verdictOf, type CaseResult, type ChildMessage, type Figure } from "./support/types.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
/** A case's time limit unless its entry sets one (bench/cases/index.ts). */
const CASE_TIMEOUT_MS = 5 * 60_000;

function runCase(name: string, timeoutMs = CASE_TIMEOUT_MS): Promise<ChildMessage> {
  return new Promise((resolve) => {
    const child = fork(join(BENCH_DIR, "support", "child.ts"), [name], {
      cwd: ROOT,
      // Cases are TypeScript run under the tsx loader, in a clean process. Production (`npm start`) runs
      // the esbuild bundle under plain node instead: a case measuring the production process's memory
      // spawns it (bench/support/process.ts) rather than reading this process's RSS.
      // --expose-gc only lets a case force a collection after measuring, to tell garbage from growth.
      execArgv: ["--import", import.meta.resolve("tsx"), "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let message: ChildMessage | null = null;
    const timer = setTimeout(() => {
      message ??= { kind: "error", error: `timed out after ${timeoutMs / 1000} s` };
      child.kill();
    }, timeoutMs);
    child.on("message", (m) => (message ??= m as ChildMessage));
    child.on("error", (error) => (message ??= { kind: "error", error: error.message }));
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(message ?? { kind: "error", error: `child exited (${signal ?? `code ${code}`}) without a result` });
    });
  });
}

function formatValue(value: number, unit: Figure["unit"]): string {
  if (!Number.isFinite(value)) return "n/a";
  if (unit === "count") return String(Math.round(value));
  if (unit === "ratio") return value.toFixed(2);
  return `${value.toFixed(unit === "ms" || unit === "s" ? 2 : 1)} ${unit}`;
}

function formatTarget(figure: Figure): string {
  if (!figure.target) return "";
  return "min" in figure.target
    ? `≥ ${formatValue(figure.target.min, figure.unit)}`
    : `< ${formatValue(figure.target.max, figure.unit)}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, col) => (col === 2 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join("  ")
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

const args = process.argv.slice(2);
const strict = args.includes("--strict");
const wanted = args.filter((a) => !a.startsWith("--"));
const unknown = wanted.filter((name) => !CASES.some((c) => c.name === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench case(s): ${unknown.join(", ")}; known: ${CASES.map((c) => c.name).join(", ")}\n`);
  process.exit(2);
}
const selected = CASES.filter((c) => wanted.length === 0 || wanted.includes(c.name));

const cpu = cpus();
const load = loadavg()[0] ?? 0;
console.log(
  `chibo bench — node ${process.version}, ${process.platform}/${process.arch}, ${cpu.length} × ${cpu[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, load ${load.toFixed(2)}`,
);
// Latency percentiles measure the machine as much as the bot when something else keeps the CPUs busy.
if (load > cpu.length / 2)
  console.log(
    `warning: load average ${load.toFixed(2)} on ${cpu.length} CPUs: latency figures will be noisy; rerun on an idle machine`,
  );

const rows: string[][] = [["case", "figure", "value", "target", "verdict"]];
const details: string[] = [];
let over = 0;
let broken = 0;
for (const entry of selected) {
  process.stderr.write(`running ${entry.name}…\n`);
  const began = Date.now();
  const message = await runCase(entry.name, entry.timeoutMs);
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  if (message.kind === "error") {
    broken++;
    rows.push([entry.name, "(crashed)", "", "", "ERROR"]);
    details.push(`${entry.name} (${seconds} s): ERROR\n  ${message.error.replace(/\n/g, "\n  ")}`);
    continue;
  }
  const result: CaseResult = message.result;
  for (const figure of result.figures) {
    const verdict = verdictOf(figure);
    if (verdict === "OVER" || verdict === "UNDER") over++;
    rows.push([entry.name, figure.label, formatValue(figure.value, figure.unit), formatTarget(figure), verdict]);
  }
  if (result.problems.length > 0) {
    broken++;
    rows.push([entry.name, `(${result.problems.length} problem(s): figures not trustworthy)`, "", "", "ERROR"]);
  }
  details.push(
    [
      `${entry.name} (${seconds} s):`,
      ...result.notes.map((n) => `  ${n}`),
      ...result.problems.map((p) => `  PROBLEM: ${p}`),
    ].join("\n"),
  );
}

console.log(`\n${table(rows)}\n`);
console.log(details.join("\n\n"));
const verdict =
  broken > 0 ? `${broken} case(s) broken` : over > 0 ? `${over} figure(s) missing target` : "all targets met";
console.log(`\n${verdict}`);
process.exit(broken > 0 || (strict && over > 0) ? 1 : 0);
