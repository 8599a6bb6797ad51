import { describe, expect, it } from "vitest";
import { decodeText, isUnsure, oddness } from "../../src/files/text-encoding.js";
import { delimiterOf, isTable, readRosterTable } from "../../src/files/roster-file.js";
import { tcvn3, utf16, windows1258 } from "../support/encodings.js";

const ROSTER =
  "Họ và tên;Ngày sinh;Số điện thoại;Nơi cư trú\nNguyễn Văn Bình;01/02/1970;0912345678;Ấp Xuân Đông\nTrần Thị Hương;03/04/1980;;Ỷ Lan\nLê Đức Thọ;;;\n";

function decoded(content: Buffer) {
  const result = decodeText(content);
  if (!result.ok || isUnsure(result.value)) throw new Error(`expected a decoded text, got ${JSON.stringify(result)}`);
  return result.value;
}

describe("decodeText", () => {
  it("reads UTF-8 with and without a byte order mark", () => {
    expect(decoded(Buffer.from(ROSTER, "utf8"))).toEqual({ text: ROSTER, encoding: "utf-8" });
    expect(decoded(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROSTER, "utf8")]))).toEqual({
      text: ROSTER,
      encoding: "utf-8",
    });
  });

  it("reads UTF-16 little and big endian with a byte order mark", () => {
    expect(decoded(utf16(ROSTER, "le"))).toEqual({ text: ROSTER, encoding: "utf-16le" });
    expect(decoded(utf16(ROSTER, "be"))).toEqual({ text: ROSTER, encoding: "utf-16be" });
  });

  it("recognises Windows-1258 and composes its separate tone marks", () => {
    expect(decoded(windows1258(ROSTER))).toEqual({ text: ROSTER, encoding: "windows-1258" });
  });

  it("recognises TCVN3", () => {
    expect(decoded(tcvn3(ROSTER))).toEqual({ text: ROSTER, encoding: "tcvn" });
  });

  it("asks when the bytes read well in neither code page, with each reading to choose from", () => {
    const result = decodeText(Buffer.from([0x41, 0x80, 0x81, 0x82, 0x42, 0x0a, 0x43, 0x83]));
    expect(result.ok && isUnsure(result.value)).toBe(true);
    if (!result.ok || !isUnsure(result.value)) return;
    expect(result.value.readings.map((r) => r.encoding).sort()).toEqual(["tcvn", "windows-1258"]);
    // The chosen code page is then used as told.
    const chosen = decodeText(windows1258(ROSTER), "windows-1258");
    expect(chosen.ok && !isUnsure(chosen.value) && chosen.value.text).toBe(ROSTER);
  });

  it("refuses binary content and UTF-16 without a byte order mark", () => {
    expect(decodeText(Buffer.from([0x00, 0x41, 0x00, 0x42]))).toEqual({ ok: false, code: "IMPORT.FILE_TYPE" });
  });
});

describe("oddness", () => {
  it("is 0 for Vietnamese text and counts signs of a wrong code page", () => {
    expect(oddness(ROSTER)).toBe(0);
    expect(oddness("Hä vµ tªn")).toBeGreaterThan(0);
    // A syllable carries at most one tone mark.
    expect(oddness("Nguyờịn Vón")).toBeGreaterThan(0);
  });
});

describe("readRosterTable", () => {
  it("splits on comma, semicolon or tab, whichever the header uses", async () => {
    expect(delimiterOf("Họ và tên,Ngày sinh\n")).toBe(",");
    expect(delimiterOf('Họ và tên;Ngày sinh;"a,b"\n')).toBe(";");
    expect(delimiterOf("Họ và tên\tNgày sinh\tNơi cư trú\n")).toBe("\t");
    const read = await readRosterTable(utf16("Họ và tên\tNơi làm việc\nLê Văn Tám\tHợp tác xã, Ấp 1\n", "le"));
    expect(read.ok && isTable(read.value) && read.value).toEqual([
      ["Họ và tên", "Nơi làm việc"],
      ["Lê Văn Tám", "Hợp tác xã, Ấp 1"],
    ]);
  });

  it("reads a Windows-1258 roster into composed Vietnamese cells", async () => {
    const read = await readRosterTable(windows1258(ROSTER));
    expect(read.ok && isTable(read.value) && read.value[1]).toEqual([
      "Nguyễn Văn Bình",
      "01/02/1970",
      "0912345678",
      "Ấp Xuân Đông",
    ]);
  });
});
