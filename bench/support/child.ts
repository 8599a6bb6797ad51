// Runs one bench case in this (child) process and sends its result to the runner over IPC.
// Run directly (`npx tsx bench/support/child.ts foundation`) it prints the result as JSON instead.
import { CASES } from "../cases/index.js";
import { rssMb } from "./stats.js";
import type { ChildMessage } from "./types.js";

/** Resident memory of this bench process's bare runtime (node + the tsx loader), before any case code is loaded. */
const runtimeRss = rssMb();

async function main(): Promise<ChildMessage> {
  const name = process.argv[2];
  const entry = CASES.find((c) => c.name === name);
  if (!entry) return { kind: "error", error: `unknown bench case "${String(name)}"` };
  try {
    const { default: benchCase } = await entry.load();
    if (benchCase.name !== entry.name)
      return { kind: "error", error: `bench/cases/${entry.name}.ts exports case "${benchCase.name}"` };
    const result = await benchCase.run();
    result.notes.push(
      `bench process (tsx) RSS before loading the case (node ${process.version} + tsx loader): ${runtimeRss.toFixed(1)} MB`,
    );
    return { kind: "result", result };
  } catch (error) {
    return { kind: "error", error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

const message = await main();
if (process.send) {
  process.send(message, () => process.exit(0));
} else {
  process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
  process.exit(message.kind === "result" ? 0 : 1);
}
