import { describe, expect, it } from "vitest";
import { branchTitle, MAX_BRANCH_NAME_LENGTH, parseBranchName } from "../../src/domain/branches.js";

describe("parseBranchName", () => {
  it.each([
    ["Chi bộ Ấp 3", "Chi bộ Ấp 3"],
    ["  Chi bộ   thôn Đông ", "Chi bộ thôn Đông"],
    ["Chi bộ Trường THCS (xã)", "Chi bộ Trường THCS (xã)"],
    ["Chi bộ Ấp 3/2, Khu A-B", "Chi bộ Ấp 3/2, Khu A-B"],
    ["3B", "3B"],
  ])("accepts %j as %j", (raw, name) => {
    expect(parseBranchName(raw)).toEqual({ ok: true, value: name });
  });

  it("returns the composed (NFC) form", () => {
    expect(parseBranchName("Chi bộ Ấp 3".normalize("NFD"))).toEqual({
      ok: true,
      value: "Chi bộ Ấp 3".normalize("NFC"),
    });
  });

  it.each(["", " ", "A", "-Chi bộ", "(Chi bộ)", "Chi bộ #3", "Chi bộ Ấp 3!", "Chi bộ\u0000"])("refuses %j", (raw) => {
    expect(parseBranchName(raw)).toEqual({ ok: false, code: "BRANCH.NAME_INVALID" });
  });

  it(`accepts ${MAX_BRANCH_NAME_LENGTH} characters and refuses one more`, () => {
    const exact = `Chi bộ ${"a".repeat(MAX_BRANCH_NAME_LENGTH - "Chi bộ ".length)}`;
    expect(parseBranchName(exact)).toEqual({ ok: true, value: exact });
    expect(parseBranchName(`${exact}a`)).toEqual({
      ok: false,
      code: "BRANCH.NAME_TOO_LONG",
      params: { max: MAX_BRANCH_NAME_LENGTH },
    });
  });
});

describe("branchTitle", () => {
  it("adds “Chi bộ” only to a name without it, so it is never written twice", () => {
    expect(branchTitle("Chi bộ Thôn Xuân Đông")).toBe("Chi bộ Thôn Xuân Đông");
    expect(branchTitle("chi bo Ap 3")).toBe("chi bo Ap 3");
    expect(branchTitle("Đảng bộ bộ phận Ấp 1")).toBe("Đảng bộ bộ phận Ấp 1");
    expect(branchTitle("Ấp 3")).toBe("Chi bộ Ấp 3");
    expect(branchTitle("Chibo 3")).toBe("Chi bộ Chibo 3");
  });
});
