// Killing the bot between a save and its reply, in process: the fake Bot API holds every call the bot makes,
// letting them through one at a time, until the save's record (a FlowSave row, written in the save's own
// transaction) is in the database; the bot is then "killed" there (E2E.crashAndRestart): its reply never
// leaves, and the next bot starts on the database exactly as the save left it.
import type { E2E } from "./e2e.js";
import { countRows } from "./raw-sql.js";

export { countRows };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Does `act` (the press or text that saves), and kills the bot right after the save committed, before any reply. */
export async function crashAfterSave(e2e: E2E, act: () => void, timeoutMs = 15_000): Promise<void> {
  const before = await countRows(e2e.dbUrl, "FlowSave");
  e2e.fake.hold();
  act();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (Date.now() > deadline) {
      e2e.fake.stopHolding();
      throw new Error(
        `crashAfterSave: no save was recorded within ${timeoutMs} ms (calls waiting: ${e2e.fake.heldCalls().join(", ") || "none"})`,
      );
    }
    // A call waiting means the bot stands still; what it committed before the call is all in the file now.
    if (e2e.fake.heldCalls().length === 0) {
      await sleep(10);
      continue;
    }
    if ((await countRows(e2e.dbUrl, "FlowSave")) > before) break;
    // Not saved yet: this call came before the save (a toast, a "please wait"); let it through.
    e2e.fake.releaseHeld();
    await sleep(10);
  }
  await e2e.crashAndRestart();
}
