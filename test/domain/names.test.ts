import { describe, expect, it } from "vitest";
import {
  compareVietnamese,
  compareVietnameseNames,
  foldVietnamese,
  normalizeFullName,
  vietnameseSortKey,
} from "../../src/domain/names.js";

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

  it("follows the Vietnamese alphabet: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư", () => {
    // "Hạnh" (a) before "Hằng" (ă) before "Hân" (â): letters decide before tones.
    expect(sorted(["Lê Thị Hằng", "Trần Thị Hạnh", "Lê Thị Hân", "Lê Văn Hào", "Lê Thị Hà"])).toEqual([
      "Lê Thị Hà",
      "Trần Thị Hạnh",
      "Lê Văn Hào",
      "Lê Thị Hằng",
      "Lê Thị Hân",
    ]);
    // Đ is its own letter after D, before E.
    expect(sorted(["Lê Văn Em", "Lê Văn Dũng", "Trần Văn Đạt", "Lê Văn Dân", "Lê Thị Xuân"])).toEqual([
      "Lê Văn Dân",
      "Lê Văn Dũng",
      "Trần Văn Đạt",
      "Lê Văn Em",
      "Lê Thị Xuân",
    ]);
    expect(sorted(["Lê Văn Ơn", "Lê Văn Ôn", "Lê Văn Ong"])).toEqual(["Lê Văn Ong", "Lê Văn Ôn", "Lê Văn Ơn"]);
    expect(sorted(["Lê Văn Ưng", "Lê Văn Uy"])).toEqual(["Lê Văn Uy", "Lê Văn Ưng"]);
  });

  it("agrees with the Vietnamese collation of ICU on given names", () => {
    const given = [
      "Hằng",
      "Hạnh",
      "Hà",
      "Hào",
      "Hân",
      "Dũng",
      "Đạt",
      "Ánh",
      "Anh",
      "An",
      "Ân",
      "Ơn",
      "Ôn",
      "Uyên",
      "Ưng",
      "Mã",
      "Má",
      "Mà",
      "Mả",
      "Mạ",
      "Ma",
    ];
    const collator = new Intl.Collator("vi");
    expect(sorted(given.map((g) => `Lê ${g}`))).toEqual([...given].sort(collator.compare).map((g) => `Lê ${g}`));
  });

  it("uses tones only to break ties between the same letters", () => {
    expect(compareVietnameseNames("Lê Văn An", "Lê Văn Án")).toBeLessThan(0);
    // Different letters: the tone must not override them ("Anh" < "Ân" because a < â).
    expect(compareVietnameseNames("Lê Văn Anh", "Lê Văn Ân")).toBeLessThan(0);
    // Given names with the same letters: the rest of the name decides before the tone does.
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
    // "Ân" is after every "An…": â follows a in the alphabet.
    const expected = [
      "Trần Thị An",
      "Lê Ánh",
      "Phạm Văn Anh",
      "Lê Văn Ân",
      "Nguyễn Văn Bình",
      "Đỗ Đức Đạt",
      "Âu Thị Yến",
    ];
    expect(sorted([...expected].reverse())).toEqual(expected);
    expect(
      sorted([expected[3]!, expected[0]!, expected[6]!, expected[1]!, expected[5]!, expected[2]!, expected[4]!]),
    ).toEqual(expected);
  });

  it("makes plain ASCII keys, so the database orders by them byte by byte", () => {
    for (const name of ["Đỗ Đức Đạt", "Nguyễn Thị Hằng", "Âu Thị Yến", "Phạm Văn Ưng"])
      expect(vietnameseSortKey(name)).toMatch(/^[\x01-\x7e]+$/); // eslint-disable-line no-control-regex -- printable ASCII and \x01 separators
  });
});

describe("compareVietnamese (branch names and other titles)", () => {
  it("orders by the Vietnamese alphabet from the first word, numbers by value", () => {
    const names = [
      "Chi bộ Xuân Đông",
      "Chi bộ Ấp 10",
      "Chi bộ Đông Hà",
      "Chi bộ Ấp 2",
      "Chi bộ Dân Cư",
      "Chi bộ Ấp Ăn",
      "Chi bộ Ấp An",
      "Chi bộ Bình Lộc",
    ];
    expect([...names].sort(compareVietnamese)).toEqual([
      "Chi bộ Ấp 2",
      "Chi bộ Ấp 10",
      "Chi bộ Ấp An",
      "Chi bộ Ấp Ăn",
      "Chi bộ Bình Lộc",
      "Chi bộ Dân Cư",
      "Chi bộ Đông Hà",
      "Chi bộ Xuân Đông",
    ]);
  });

  it("puts tones after the bare letter and never calls two different names equal", () => {
    expect(["Chi bộ Hà", "Chi bộ Ha", "Chi bộ Hạ"].sort(compareVietnamese)).toEqual([
      "Chi bộ Ha",
      "Chi bộ Hà",
      "Chi bộ Hạ",
    ]);
    expect(compareVietnamese("Chi bộ A", "Chi bộ A")).toBe(0);
    expect(compareVietnamese("Chi bộ A", "Chi bộ  A")).not.toBe(0);
  });
});
