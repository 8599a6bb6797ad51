// A transaction's time limit: 15 s by default, set per call for the rare long job (the daily scan).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCAN_TIMEOUT_MS } from "../../src/app/rule-scan.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("store transaction time limit", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.dispose());

  it("rolls back work that outlives the limit the caller set, and lets longer work finish under a longer one", async () => {
    const work = async (repos: Parameters<Parameters<TestDatabase["store"]["transaction"]>[0]>[0]) => {
      await repos.committee.create("Đảng bộ xã Xuân Đông", "Xuân Đông");
      await pause(400);
      return repos.committee.get();
    };
    await expect(db.store.transaction(work, { timeoutMs: 100 })).rejects.toThrow(/timeout|expired|closed/i);
    expect(await db.store.repos.committee.get()).toBeNull();
    expect(await db.store.transaction(work, { timeoutMs: 5_000 })).toMatchObject({ name: "Đảng bộ xã Xuân Đông" });
    expect(SCAN_TIMEOUT_MS).toBeGreaterThan(15_000);
  });
});
