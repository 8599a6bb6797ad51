import { describe, expect, it } from "vitest";
import { compareVietnameseNames, foldVietnamese, normalizeFullName, vietnameseSortKey } from "../../src/domain/names.js";

describe("foldVietnamese", () => {
  it("removes every tone mark and vowel modifier and lower-cases", () => {
    expect(foldVietnamese("Nguyễn Văn Bình")).toBe("nguyen van binh");
    expect(foldVietnamese("Trương Thị Hương")).toBe("truong thi huong");
    expect(foldVietnamese("Ánh Ấn Ẩn Ỗ Ợ Ự Ỷ")).toBe("anh an an o o u y");
    expect(foldVietnamese("àáảãạ ăằắẳẵặ âầấẩẫậ")).toBe("aaaaa aaaaaa aaaaaa");
  });

  it("folds đ and Đ to d", () => {
    expect(foldVietnamese("Đỗ Đức Đạt")).toBe("do duc dat");
    expect(foldVietnamese("đ")).toBe("d");
    expect(foldVietnamese("Đ")).toBe("d");
  });

  it("gives the same result for composed (NFC) and decomposed (NFD) input", () => {
    const composed = "Phạm Thị Ánh Tuyết";
    expect(foldVietnamese(composed.normalize("NFD"))).toBe(foldVietnamese(composed.normalize("NFC")));
    expect(foldVietnamese(composed.normalize("NFD"))).toBe("pham thi anh tuyet");
  });

  it("leaves plain ASCII lower-cased and otherwise unchanged", () => {
    expect(foldVietnamese("Chi Bo Ap 3")).toBe("chi bo ap 3");
  });
});

describe("normalizeFullName", () => {
  it("collapses runs of white space (tabs, newlines, no-break spaces) and trims", () => {
    expect(normalizeFullName("  Nguyễn   Văn\tAn \n")).toBe("Nguyễn Văn An");
    expect(normalizeFullName("Lê\u00a0Thị\u00a0\u00a0Hoa")).toBe("Lê Thị Hoa");
  });

  it("keeps the capitalisation as typed", () => {
    expect(normalizeFullName("nguyễn văn AN")).toBe("nguyễn văn AN");
  });

  it("returns NFC so decomposed input compares equal to composed input", () => {
    const decomposed = "Nguyễn Văn Ánh".normalize("NFD");
    const result = normalizeFullName(decomposed);
    expect(result).toBe("Nguyễn Văn Ánh".normalize("NFC"));
    expect(result.length).toBe("Nguyễn Văn Ánh".normalize("NFC").length);
  });

  it("returns an empty string for blank input", () => {
    expect(normalizeFullName("   \t ")).toBe("");
  });
});

describe("vietnameseSortKey / compareVietnameseNames", () => {
  const sorted = (names: string[]) => [...names].sort(compareVietnameseNames);

  it("sorts by given name (last word), then family and middle names, folding accents and đ", () => {
    expect(sorted(["Nguyễn Văn Bình", "Trần Thị An", "Lê Ánh", "Phạm Văn Anh", "Đỗ Đức Đạt"])).toEqual([
      "Trần Thị An",
      "Lê Ánh",
      "Phạm Văn Anh",
      "Nguyễn Văn Bình",
      "Đỗ Đức Đạt",
    ]);
  });

  it("does not sort by family name", () => {
    // Family names A < Z, but given names decide: Yến after Bảo.
    expect(sorted(["Âu Thị Yến", "Vũ Văn Bảo"])).toEqual(["Vũ Văn Bảo", "Âu Thị Yến"]);
  });

  it("places Đ names among the D names, not after Z", () => {
    expect(sorted(["Lê Văn Dũng", "Trần Văn Đạt", "Lê Văn Dân", "Lê Thị Xuân"])).toEqual([
      "Lê Văn Dân",
      "Trần Văn Đạt",
      "Lê Văn Dũng",
      "Lê Thị Xuân",
    ]);
  });

  it("uses accents only to break ties between names that fold to the same text", () => {
    // Same folded text: the unaccented form first.
    expect(compareVietnameseNames("Lê Văn An", "Lê Văn Ân")).toBeLessThan(0);
    expect(compareVietnameseNames("Lê Văn Ân", "Lê Văn An")).toBeGreaterThan(0);
    // Different folded text: accents must not override the letters ("Ân" < "Anh" although "â" > "a").
    expect(compareVietnameseNames("Lê Văn Ân", "Lê Văn Anh")).toBeLessThan(0);
    // Given names fold equal: the rest of the name decides before the accent does.
    expect(compareVietnameseNames("Trần Ánh", "Vũ Anh")).toBeLessThan(0);
    expect(compareVietnameseNames("Vũ Ánh", "Trần Anh")).toBeGreaterThan(0);
  });

  it("sorts a shorter name with the same given name before a longer one", () => {
    expect(compareVietnameseNames("Lê An", "Lê Văn An")).toBeLessThan(0);
  });

  it("ignores case, extra spaces and Unicode normalisation form", () => {
    expect(compareVietnameseNames("nguyễn văn bình", "NGUYỄN VĂN BÌNH")).toBe(0);
    expect(compareVietnameseNames("  Nguyễn  Văn   Bình ", "Nguyễn Văn Bình")).toBe(0);
    expect(compareVietnameseNames("Nguyễn Văn Bình".normalize("NFD"), "Nguyễn Văn Bình")).toBe(0);
    expect(vietnameseSortKey("Nguyễn Văn Bình".normalize("NFD"))).toBe(vietnameseSortKey("Nguyễn Văn Bình"));
  });

  it("is a consistent comparator (antisymmetric, zero only for equal keys)", () => {
    const names = ["Trần Thị An", "Lê Ánh", "Phạm Văn Anh", "Nguyễn Văn Bình", "Đỗ Đức Đạt", "Lê Văn Ân", "Lê An"];
    for (const a of names) {
      for (const b of names) {
        expect(Math.sign(compareVietnameseNames(a, b)) + Math.sign(compareVietnameseNames(b, a))).toBe(0);
        if (a !== b) expect(compareVietnameseNames(a, b)).not.toBe(0);
      }
    }
  });

  it("sorts the same whatever the input order", () => {
    // "Lê Văn Ân" folds to "an le van", before "an tran thi".
    const expected = ["Lê Văn Ân", "Trần Thị An", "Lê Ánh", "Phạm Văn Anh", "Nguyễn Văn Bình", "Đỗ Đức Đạt", "Âu Thị Yến"];
    expect(sorted([...expected].reverse())).toEqual(expected);
    expect(sorted([expected[3]!, expected[0]!, expected[6]!, expected[1]!, expected[5]!, expected[2]!, expected[4]!])).toEqual(expected);
  });

  it("sort key starts with the folded given name", () => {
    expect(vietnameseSortKey("Đỗ Đức Đạt").startsWith("dat do duc")).toBe(true);
  });
});
