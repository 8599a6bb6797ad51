import { describe, expect, it } from "vitest";
import { parseCommuneName, parseCommunePlace, sameCommuneName } from "../../src/domain/communes.js";

describe("a commune's name and place", () => {
  it("takes a name that begins with Đảng bộ, tidied", () => {
    expect(parseCommuneName("  đảng bộ   xã Tân  Phú ")).toEqual({ ok: true, value: "Đảng bộ xã Tân Phú" });
    expect(parseCommuneName("Đảng bộ phường Hòa Bình").ok).toBe(true);
  });
  it("refuses a bare place, a short or long name, odd characters", () => {
    for (const raw of ["Tân Phú", "Đảng bộ", "Đảng bộ x", `Đảng bộ xã ${"a".repeat(95)}`, "Đảng bộ xã <Tân>"])
      expect(parseCommuneName(raw), raw).toEqual({
        ok: false,
        code: "COMMUNE.NAME_INVALID",
        params: { min: 10, max: 100 },
      });
  });
  it("takes a place of 2 to 60 characters", () => {
    expect(parseCommunePlace(" Tân  Phú ")).toEqual({ ok: true, value: "Tân Phú" });
    for (const raw of ["T", "x".repeat(61), "@Tân"]) expect(parseCommunePlace(raw).ok, raw).toBe(false);
  });
  it("sees one name however it was typed", () => {
    expect(sameCommuneName("Đảng bộ xã Tân Phú", "ĐẢNG BỘ  XÃ TÂN PHÚ")).toBe(true);
    expect(sameCommuneName("Đảng bộ xã Tân Phú", "Đảng bộ xã Tân Phước")).toBe(false);
  });
});
