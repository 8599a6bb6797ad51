import { describe, expect, it } from "vitest";
import { draftCounts } from "../../src/app/record-meeting.js";
import type { SheetRow } from "../../src/app/attendance-sheet.js";

describe("draftCounts", () => {
  it("counts a small draft sheet; exempt and transferred members count only as not expected", () => {
    const rows: SheetRow[] = [
      { memberId: 1, name: "Nguyễn Văn An", status: "PRESENT", reason: null },
      { memberId: 2, name: "Trần Thị Bình", status: "EXCUSED", reason: "Ốm" },
      { memberId: 3, name: "Lê Văn Cường", status: "UNEXCUSED", reason: null },
      { memberId: 4, name: "Phạm Thị Dung", status: "PRESENT", reason: null },
      { memberId: 5, name: "Hoàng Văn Em", status: "EXEMPT", reason: null },
      { memberId: 6, name: "Vũ Thị Giang", status: "TRANSFERRED", reason: null },
    ];
    expect(draftCounts({ rows })).toEqual({ expected: 4, present: 2, excused: 1, unexcused: 1, notExpected: 2 });
    expect(draftCounts({ rows: [] })).toEqual({ expected: 0, present: 0, excused: 0, unexcused: 0, notExpected: 0 });
  });
});
