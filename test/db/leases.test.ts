// Leases, job slots and update claims on a real SQLite file, with two clients on it as two processes
// would have: one holder at a time, taken over only once expired, handed over at once when released.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.js";
import { createStore, type Store } from "../../src/db/store.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const at = (second: number) => new Date(Date.UTC(2026, 11, 7, 1, 0, second));

let t: TestDatabase;
let other: Store;
beforeEach(async () => {
  t = await createTestDatabase();
  other = createStore(createDb(t.url));
});
afterEach(async () => {
  await other.close();
  await t.dispose();
});

describe("leases", () => {
  it("one holder at a time; another takes it only once it expired or was released", async () => {
    const [a, b] = [t.store.repos.leases, other.repos.leases];
    expect(await a.acquire("chat:1", "A", at(0), at(10))).toBe(true);
    expect(await b.acquire("chat:1", "B", at(5), at(15))).toBe(false);
    expect(await a.acquire("chat:1", "A", at(5), at(15))).toBe(true); // its own: extended
    expect(await b.acquire("chat:1", "B", at(14), at(24))).toBe(false);
    expect(await b.acquire("chat:1", "B", at(16), at(26))).toBe(true); // expired: taken over
    expect(await a.renew("chat:1", "A", at(30))).toBe(false); // A learns it lost it
    expect(await a.release("chat:1", "A")).toBe(false); // and cannot release B's
    expect((await a.holderOf("chat:1", at(17)))?.holder).toBe("B");
    expect(await b.release("chat:1", "B")).toBe(true);
    expect(await a.acquire("chat:1", "A", at(18), at(28))).toBe(true); // released: at once
    expect(await a.acquire("chat:2", "B", at(18), at(28))).toBe(true); // other keys are independent
  });

  it("two processes racing for a free lease: exactly one wins", async () => {
    for (let round = 0; round < 20; round++) {
      const key = `sender:${round}`;
      const won = await Promise.all([
        t.store.repos.leases.acquire(key, "A", at(0), at(10)),
        other.repos.leases.acquire(key, "B", at(0), at(10)),
      ]);
      expect(won.filter(Boolean)).toHaveLength(1);
    }
  });
});

describe("job slots", () => {
  it("an occurrence is claimed once; a run whose runner died is taken over, a finished one never", async () => {
    const [a, b] = [t.store.repos.jobSlots, other.repos.jobSlots];
    const slot = at(0);
    expect(await a.claim("rule-scan", slot, "A", at(1), at(61))).toBe(true);
    expect(await b.claim("rule-scan", slot, "B", at(2), at(62))).toBe(false);
    expect(await b.claim("rule-scan", at(30), "B", at(31), at(91))).toBe(true); // another occurrence
    expect(await b.claim("rule-scan", slot, "B", at(62), at(122))).toBe(true); // A died: its lease ran out
    expect(await a.renew("rule-scan", slot, "A", at(130))).toBe(false);
    await b.finish("rule-scan", slot, "B", at(63));
    expect(await a.claim("rule-scan", slot, "A", at(200), at(260))).toBe(false);
  });
});

describe("update claims", () => {
  it("new, then finished once the handler is done; an unfinished one is interrupted (handled again)", async () => {
    const updates = t.store.repos.processedUpdates;
    expect(await updates.claim(7, at(0))).toBe("new");
    expect(await other.repos.processedUpdates.claim(7, at(1))).toBe("interrupted");
    await updates.finish(7, at(2));
    expect(await other.repos.processedUpdates.claim(7, at(3))).toBe("finished");
  });
});
