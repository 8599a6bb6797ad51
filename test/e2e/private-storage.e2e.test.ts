// Private at rest: under the usual umask (022) the database, its -wal and -shm files, FILES_DIR and the
// files members send are owner-only (0600 files, 0700 folders); an installation made earlier with wider
// modes is tightened at start, with one log line.
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeSqliteOnly } from "../support/engine.js";
import { migrateSqlite } from "../../src/db/migrate.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import { checkInUpToFile, startE2E, type E2E } from "../support/e2e.js";
import { seedBranch, seedLinkedMember } from "../support/seed.js";
import { capturingLogger } from "../support/logs.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(2000, 0x20), Buffer.from("\n%%EOF\n")]);

describeSqliteOnly("data at rest under umask 022", () => {
  let e2e: E2E | null = null;
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o022);
  });
  afterEach(async () => {
    await e2e?.dispose();
    e2e = null;
    process.umask(umask);
  });

  it("creates the database, its -wal and -shm, FILES_DIR and a member's file owner-only", async () => {
    e2e = await startE2E({ admins: ["1000"] });
    const branch = await seedBranch(e2e.running.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    await seedLinkedMember(e2e.running.store, branch.branchId, 2003, "Lê Văn Xa");
    const member = e2e.fake.user(2003);
    await checkInUpToFile(member, "Phường Linh Trung, TP Hồ Chí Minh");
    member.sendDocument({ fileName: "giay-xac-nhan.pdf", content: PDF });
    await member.waitForMessage(has("Đã ghi nhận cập nhật"));

    const db = e2e.dbFile;
    expect([mode(db), mode(`${db}-wal`), mode(`${db}-shm`)]).toEqual(["600", "600", "600"]);
    const files = e2e.config.filesDir;
    const sha256 = createHash("sha256").update(PDF).digest("hex");
    expect([mode(files), mode(join(files, sha256.slice(0, 2))), mode(join(files, sha256.slice(0, 2), sha256))]).toEqual(
      ["700", "700", "600"],
    );
  });

  it("tightens an installation made with wider modes, once, with one log line", async () => {
    const { logger, lines } = capturingLogger();
    let paths: { databaseFile: string; filesDir: string } | null = null;
    e2e = await startE2E({
      admins: ["1000"],
      logger,
      beforeStart: (p) => {
        paths = p;
        migrateSqlite(p.databaseFile);
        mkdirSync(join(p.filesDir, "ab"), { recursive: true });
        writeFileSync(join(p.filesDir, "ab", "ab".padEnd(64, "0")), "x");
        writeFileSync(`${p.databaseFile}-wal`, "");
        for (const [path, wide] of [
          [p.databaseFile, 0o644],
          [`${p.databaseFile}-wal`, 0o644],
          [p.filesDir, 0o755],
          [join(p.filesDir, "ab"), 0o755],
          [join(p.filesDir, "ab", "ab".padEnd(64, "0")), 0o644],
        ] as const)
          chmodSync(path, wide);
      },
    });
    const { databaseFile, filesDir } = paths!;
    expect([mode(databaseFile), mode(`${databaseFile}-wal`), mode(`${databaseFile}-shm`)]).toEqual([
      "600",
      "600",
      "600",
    ]);
    expect([mode(filesDir), mode(join(filesDir, "ab")), mode(join(filesDir, "ab", "ab".padEnd(64, "0")))]).toEqual([
      "700",
      "700",
      "600",
    ]);
    const warnings = lines.filter((line) => String(line.msg).includes("made owner-only"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.paths).toHaveLength(5);

    await e2e.restart();
    expect(lines.filter((line) => String(line.msg).includes("made owner-only"))).toHaveLength(1);
  });
});
