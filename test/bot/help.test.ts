// /help lists what each reader can do, in words for that reader.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";
import { seedBranch, seedLinkedMember } from "../support/seed.js";

describe("/help", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ admins: ["1000"] });
    const branch = await seedBranch(h.db.store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001 });
    await seedLinkedMember(h.db.store, branch.branchId, 3001, "Lê Văn Lâm");
  });
  afterEach(async () => h.dispose());

  const help = async (userId: number) => Harness.texts(await h.send(userId, "/help")).join("\n");

  it("tells the committee /capnhat shows the members away of every branch", async () => {
    expect(await help(1000)).toContain("/capnhat — đảng viên đi làm ăn xa và lần cập nhật gần nhất của từng đồng chí");
  });

  it("tells a secretary /capnhat lists the branch's members away, and a member it sends their news", async () => {
    expect(await help(2001)).toContain("/capnhat — đảng viên đi làm ăn xa và lần cập nhật gần nhất của từng đồng chí");
    expect(await help(3001)).toContain("/capnhat — cập nhật tình hình khi đi làm ăn xa");
  });

  it("tells a secretary how to link the branch's group, and not a member nor the committee", async () => {
    const line = "/lienketnhom — liên kết nhóm Telegram của chi bộ";
    expect(await help(2001)).toContain(line);
    expect(await help(3001)).not.toContain("/lienketnhom");
    expect(await help(1000)).not.toContain("/lienketnhom");
  });
});
