// The minutes as a clerk prints them: LibreOffice Writer converts the .docx to PDF and the test reads the
// pages back — A4 portrait, no text under 9 pt, the party header and date line, every name and reason of a
// 40-member branch's meeting, the tasks and both signature blocks.
import { beforeAll, describe, expect, it } from "vitest";
import type { MinutesData } from "../../src/app/meeting-minutes.js";
import { meetingMinutesDocx } from "../../src/files/meeting-minutes-docx.js";
import { translator } from "../../src/i18n/index.js";
import { memberName, readPdf, toPdf, type PrintedPage } from "../support/printed-documents.js";

const excused = [0, 1, 2].map((i) => ({
  name: memberName(i),
  reason: ["Ốm", "Công tác", "Đưa mẹ đi khám bệnh ở bệnh viện tỉnh Đồng Nai"][i]!,
}));
const unexcused = [3, 4].map((i) => memberName(i));
const minutes: MinutesData = {
  meetingId: 1,
  committeeName: "Đảng bộ xã Xuân Đông",
  placeName: "Xuân Đông",
  branchName: "Chi bộ Ấp Trung Lương Đông Bắc",
  kind: "REGULAR",
  date: "2027-01-05",
  time: "19:30",
  venue: "Nhà văn hóa ấp Trung Lương",
  topic: "Học tập, quán triệt Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2025–2030",
  resolution:
    "Chi bộ thống nhất ra quân làm đường giao thông nông thôn.\nMỗi đảng viên vận động ít nhất 2 hộ hiến đất.",
  chair: { name: "Nguyễn Văn Bí Thư", title: "BRANCH_SECRETARY" },
  secretary: { name: "Trần Thị Phó", title: "BRANCH_DEPUTY" },
  counts: { expected: 40, present: 35, excused: 3, unexcused: 2, notExpected: 2 },
  onRoll: 42,
  rate: 35 / 40,
  excused,
  unexcused,
  notExpected: [
    { name: memberName(40), cause: "EXEMPT" },
    { name: memberName(41), cause: "TRANSFERRED" },
  ],
  tasks: [5, 6, 7, 8].map((i) => ({
    name: memberName(i),
    description: `Vận động các hộ dân tổ ${i} hiến đất, tháo dỡ hàng rào để mở rộng đường liên ấp`,
    dueDate: "2027-02-28",
  })),
};

describe("the minutes, printed", () => {
  let pages: PrintedPage[];
  beforeAll(async () => {
    const docx = await meetingMinutesDocx(minutes, translator("vi"));
    pages = await readPdf((await toPdf({ "bien-ban.docx": docx.content }))["bien-ban.docx"]!);
  }, 300_000);

  it("fits A4 portrait at 9 pt or more, with the party header, every absence and the signatures", () => {
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(3);
    for (const page of pages) {
      expect([page.width, page.height]).toEqual([595, 842]);
      expect(page.smallest).toBeGreaterThanOrEqual(9);
    }
    const all = pages.map((p) => p.text).join(" ");
    // A long branch name wraps inside the left header block, beside the date line.
    expect(pages[0]!.text).toMatch(/CHI BỘ ẤP TRUNG LƯƠNG .*ĐÔNG BẮC \*/);
    for (const text of [
      "ĐẢNG BỘ XÃ XUÂN ĐÔNG",
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "Xuân Đông, ngày 05 tháng 01 năm 2027",
      "BIÊN BẢN",
      "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 01 NĂM 2027",
    ]) {
      expect(pages[0]!.text).toContain(text);
    }
    expect(all).toContain("Có mặt: 35/40 đồng chí, đạt 87,5%.");
    for (const { name, reason } of excused) expect(all).toContain(`Đồng chí ${name}: ${reason}.`);
    for (const name of unexcused) expect(all).toContain(`Đồng chí ${name}.`);
    expect(all).toContain("Mỗi đảng viên vận động ít nhất 2 hộ hiến đất.");
    for (const task of minutes.tasks) expect(all).toContain(task.name);
    const last = pages.at(-1)!.text;
    for (const text of ["THƯ KÝ", "CHỦ TRÌ", "Trần Thị Phó", "Nguyễn Văn Bí Thư"]) expect(last).toContain(text);
  });
});
