// A commune with at least one row in every table the full export and the backup cover: meetings and
// attendance, tasks, an absence explanation, dues (rate, relief, payment over three months, reversal,
// remittance), an exemption, a transfer, a self-review with a stored file, a check-in, a residence
// comment, a finding handled, a grade and audit entries (one of them an old-style self-review entry
// that still carries the typed text). Written through the repositories, except the
// grade (its repository belongs to the evaluation feature), written with a client of its own.
import { createDb } from "../../src/db/client.js";
import type { Store } from "../../src/db/store.js";
import { storeBytes } from "../../src/files/file-store.js";
import { vietnameseSortKey } from "../../src/domain/names.js";
import { memberFacts, seedBranch, type SeededBranch } from "./seed.js";

export interface SeededCommune {
  first: SeededBranch;
  second: SeededBranch;
  /** Members of the first branch (the secretary among them), in roster order. */
  members: { id: number; fullName: string }[];
  meetingId: number;
  paymentEntryId: number;
  reviewFile: { sha256: string; size: number; fileName: string; content: Buffer };
  checkinFile: { sha256: string; size: number; fileName: string; content: Buffer };
}

export const SEED_AT = new Date("2026-03-10T02:30:00Z");
/** A self-review typed in the chat: only the branch's officers read it; no export may contain it. */
export const SECRET_REVIEW_TEXT = "Nội dung bí mật không được xuất";

export async function seedCommune(
  store: Store,
  options: { databaseUrl: string; filesDir: string },
): Promise<SeededCommune> {
  const first = await seedBranch(store, { name: "Chi bộ Ấp 1", secretaryTelegramId: 2001, members: 3 });
  const second = await seedBranch(store, { name: "Chi bộ Ấp 2", secretaryTelegramId: 2002, members: 1 });
  const members = (await store.repos.members.page(first.branchId, 0, 100)).map((m) => ({
    id: m.id,
    fullName: m.fullName,
  }));
  const [a, b, c, d] = members.map((m) => m.id) as [number, number, number, number];
  const reviewContent = Buffer.from("%PDF-1.4\nBản tự kiểm điểm năm 2025\n%%EOF\n");
  const checkinContent = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
  const reviewStored = await storeBytes(options.filesDir, reviewContent);
  const checkinStored = await storeBytes(options.filesDir, checkinContent);

  const seeded = await store.transaction(async (repos) => {
    const meeting = await repos.meetings.create(
      {
        branchId: first.branchId,
        kind: "REGULAR",
        date: "2026-03-05",
        regularKey: `${first.branchId}:2026-03`,
        topic: "Sinh hoạt tháng 3",
        resolution: "Thu đảng phí quý I",
        recordedByTelegramId: "2001",
      },
      [
        { memberId: a, status: "PRESENT", reason: null },
        { memberId: b, status: "EXCUSED", reason: "Ốm" },
        { memberId: c, status: "UNEXCUSED", reason: null },
        { memberId: d, status: "PRESENT", reason: null },
      ],
      [{ memberId: d, description: "Vận động hộ nghèo đóng bảo hiểm y tế", dueDate: "2026-04-30" }],
    );
    const detail = await repos.meetings.get(meeting.id);
    const absent = detail!.attendances.find((x) => x.memberId === c)!;
    const explanation = await repos.explanations.create({
      attendanceId: absent.id,
      memberId: c,
      text: "Đi làm ca đêm",
      submittedAt: SEED_AT,
    });
    await repos.explanations.decide(explanation.id, "DECLINED", "2001", SEED_AT, "Không báo trước");
    for (const id of [a, b, c, d])
      await repos.dues.setRate({
        memberId: id,
        effectiveMonth: "2026-01",
        amount: 50_000,
        basis: "MANUAL",
        basisAmount: null,
        createdByTelegramId: "2001",
      });
    await repos.dues.setRate({
      memberId: d,
      effectiveMonth: "2026-03",
      amount: 123_456,
      basis: "SALARY",
      basisAmount: 12_345_600,
      createdByTelegramId: "2001",
    });
    await repos.dues.addRelief({
      memberId: b,
      kind: "REDUCED",
      percent: 50,
      reason: "REDUCTION",
      note: "Có đơn",
      fromMonth: "2026-01",
      toMonth: "2026-06",
      createdByTelegramId: "2001",
    });
    const payment = await repos.dues.addEntry({
      memberId: a,
      branchId: first.branchId,
      kind: "PAYMENT",
      amount: 150_000,
      reversesEntryId: null,
      collectedBy: "Bí thư",
      note: null,
      recordedAt: SEED_AT,
      recordedByTelegramId: "2001",
      months: ["2026-01", "2026-02", "2026-03"].map((month) => ({ month, amount: 50_000 })),
    });
    const wrong = await repos.dues.addEntry({
      memberId: c,
      branchId: first.branchId,
      kind: "PAYMENT",
      amount: 50_000,
      reversesEntryId: null,
      collectedBy: null,
      note: "Nhầm",
      recordedAt: SEED_AT,
      recordedByTelegramId: "2001",
      months: [{ month: "2026-03", amount: 50_000 }],
    });
    await repos.dues.releaseClaims(wrong.id);
    await repos.dues.addEntry({
      memberId: c,
      branchId: first.branchId,
      kind: "REVERSAL",
      amount: -50_000,
      reversesEntryId: wrong.id,
      collectedBy: null,
      note: null,
      recordedAt: SEED_AT,
      recordedByTelegramId: "2001",
      months: [{ month: "2026-03", amount: -50_000 }],
    });
    await repos.dues.addRemittance({
      branchId: first.branchId,
      period: "2026-Q1",
      amount: 1_234_000,
      note: "Quý I",
      recordedAt: SEED_AT,
      recordedByTelegramId: "2001",
    });
    await repos.away.createExemption({
      memberId: b,
      branchId: first.branchId,
      kind: "WORK_AWAY",
      reason: "Đi làm ở Bình Dương",
      fromDate: "2026-04-01",
      toDate: "2026-12-31",
      place: "Bình Dương",
      paperNumber: null,
      paperDate: null,
      state: "SUBMITTED",
      createdAt: SEED_AT,
      createdByTelegramId: "3002",
    });
    await repos.away.setProfile(
      b,
      { place: "Thuận An, Bình Dương", work: "Công nhân", contact: "0912345678", since: "2026-02-01" },
      "2001",
    );
    await repos.away.createTransfer({
      memberId: c,
      branchId: first.branchId,
      direction: "OUT",
      kind: "TEMPORARY",
      organisation: "Đảng bộ phường Tân Định",
      letterNumber: "12/GGT",
      letterDate: "2026-03-02",
      state: "INTRODUCED",
      deadline: "2026-04-14",
      arrivedOn: null,
      createdAt: SEED_AT,
      createdByTelegramId: "2001",
    });
    const reviewFile = await repos.away.storeFile({
      ...reviewStored,
      fileName: "tu-kiem-diem.pdf",
      mimeType: "application/pdf",
      createdAt: SEED_AT,
      uploadedByTelegramId: "3001",
    });
    const review = await repos.away.addReview({
      memberId: a,
      year: 2025,
      version: 1,
      text: null,
      fileId: reviewFile.id,
      submittedAt: SEED_AT,
    });
    await repos.away.markReviewed(review.id, "2001", new Date("2026-03-11T09:00:00Z"), "Đạt yêu cầu");
    const typed = await repos.away.addReview({
      memberId: d,
      year: 2025,
      version: 1,
      text: SECRET_REVIEW_TEXT,
      fileId: null,
      submittedAt: SEED_AT,
    });
    // The audit entry as submitSelfReview wrote it before it left the text out: databases still hold these.
    await repos.audit.record({
      actorTelegramId: "3004",
      actorMemberId: d,
      action: "selfReview.submit",
      entity: "SelfReview",
      entityId: typed.id,
      after: { year: 2025, version: 1, sha256: null, size: null, text: SECRET_REVIEW_TEXT },
      at: SEED_AT,
    });
    const checkinFile = await repos.away.storeFile({
      ...checkinStored,
      fileName: "anh.png",
      mimeType: "image/png",
      createdAt: SEED_AT,
      uploadedByTelegramId: "3002",
    });
    await repos.away.addCheckin({
      memberId: b,
      place: "Thuận An",
      work: "Công nhân",
      phone: "0912345678",
      fileId: checkinFile.id,
      createdAt: SEED_AT,
    });
    const contact = await repos.away.addResidenceContact({
      branchId: first.branchId,
      fullName: "Lê Thị Hoa",
      workplaceOrg: "Chi bộ Trường THCS",
      address: "Tổ 3",
      phone: null,
      createdAt: SEED_AT,
    });
    await repos.away.setResidenceComment(contact.id, 2025, "Gương mẫu nơi cư trú", "2001", SEED_AT);
    const opened = await repos.findings.insert(
      [
        {
          key: `R1_ABSENCE:member:${c}:2026`,
          rule: "R1_ABSENCE",
          subjectKind: "member",
          subjectId: c,
          branchId: first.branchId,
          period: "2026",
          severity: "alert",
          facts: { months: ["2026-01", "2026-03"] },
        },
      ],
      SEED_AT,
    );
    await repos.findings.handle(opened[0]!.id, "REMINDED", "Đã nhắc tại buổi sinh hoạt", "2001", SEED_AT);
    await repos.audit.record({
      actorTelegramId: "2001",
      actorMemberId: first.secretaryMemberId,
      action: "meeting.record",
      entity: "Meeting",
      entityId: meeting.id,
      before: null,
      after: { date: "2026-03-05" },
      at: SEED_AT,
    });
    return { meetingId: meeting.id, paymentEntryId: payment.id };
  });

  // The grade: through a client of its own, as the evaluation repository is not this test's subject.
  const db = createDb(options.databaseUrl);
  try {
    await db.evaluation.create({
      data: {
        memberId: a,
        branchId: first.branchId,
        year: 2025,
        grade: "GOOD",
        note: "Theo biểu quyết của chi bộ",
        recordedAt: SEED_AT,
        recordedByTelegramId: "2001",
      },
    });
  } finally {
    await db.$disconnect();
  }

  return {
    first,
    second,
    members,
    ...seeded,
    reviewFile: {
      sha256: reviewStored.sha256,
      size: reviewStored.size,
      fileName: "tu-kiem-diem.pdf",
      content: reviewContent,
    },
    checkinFile: {
      sha256: checkinStored.sha256,
      size: checkinStored.size,
      fileName: "anh.png",
      content: checkinContent,
    },
  };
}

/** A second commune's names and amounts: none may reach the first commune's export, nor the first's this one's. */
export const SECOND_COMMUNE = {
  committee: "Đảng bộ xã Tân Phú",
  branch: "Chi bộ Tân An",
  archivedBranch: "Chi bộ Tân Lập",
  members: ["Trần Văn Khải", "Ngô Thị Sen", "Đoàn Văn Lũy"],
  meetingTopic: "Học tập nghị quyết Tân Phú",
  paid: 77_777,
  rate: 88_888,
  remitted: 999_999,
  transferOrganisation: "Đảng bộ phường Bến Thành",
  residenceContact: "Vũ Thị Mai",
} as const;

export interface SeededSecondCommune {
  committeeId: number;
  branchIds: number[];
  memberIds: number[];
}

/**
 * A second commune in the same deployment (a province's): its admin (`adminTelegramId`), a branch with its
 * secretary and members, an archived branch with a member, and a row of its own in the tables that belong to
 * a branch: a meeting with attendance and a task, a dues rate, a payment, a remittance, a transfer, a residence
 * contact, a finding and a grade.
 */
export async function seedSecondCommune(
  store: Store,
  options: { databaseUrl: string; adminTelegramId: number; secretaryTelegramId: number },
): Promise<SeededSecondCommune> {
  const names = SECOND_COMMUNE;
  const seeded = await store.transaction(async (repos) => {
    const commune = await repos.committee.create(names.committee, "Tân Phú");
    const branch = await repos.branches.create({ committeeId: commune.id, name: names.branch, foundedOn: null });
    const archived = await repos.branches.create({
      committeeId: commune.id,
      name: names.archivedBranch,
      foundedOn: null,
    });
    const [first, second, third] = names.members;
    const create = (branchId: number, fullName: string) => {
      const facts = memberFacts({ fullName });
      return repos.members.create(branchId, facts, vietnameseSortKey(facts.fullName), "2020-01-01");
    };
    const secretary = await create(branch.id, first);
    const member = await create(branch.id, second);
    const former = await create(archived.id, third);
    const secretaryUser = await repos.users.upsert(String(options.secretaryTelegramId), "Bí thư Tân An", null);
    await repos.users.linkMember(secretaryUser.id, secretary.id, SEED_AT);
    await repos.users.grantRole(secretaryUser.id, "BRANCH_SECRETARY", branch.id, "seed", SEED_AT);
    const admin = await repos.users.upsert(String(options.adminTelegramId), "Quản trị Tân Phú", null);
    await repos.users.grantRole(admin.id, "COMMITTEE_ADMIN", null, "seed", SEED_AT, commune.id);
    const by = String(options.secretaryTelegramId);

    await repos.meetings.create(
      {
        branchId: branch.id,
        kind: "REGULAR",
        date: "2026-03-06",
        regularKey: `${branch.id}:2026-03`,
        topic: names.meetingTopic,
        resolution: null,
        recordedByTelegramId: by,
      },
      [
        { memberId: secretary.id, status: "PRESENT", reason: null },
        { memberId: member.id, status: "PRESENT", reason: null },
      ],
      [{ memberId: member.id, description: "Thăm hộ gia đình chính sách Tân An", dueDate: "2026-04-30" }],
    );
    await repos.dues.setRate({
      memberId: member.id,
      effectiveMonth: "2026-01",
      amount: names.rate,
      basis: "MANUAL",
      basisAmount: null,
      createdByTelegramId: by,
    });
    await repos.dues.addEntry({
      memberId: member.id,
      branchId: branch.id,
      kind: "PAYMENT",
      amount: names.paid,
      reversesEntryId: null,
      collectedBy: null,
      note: null,
      recordedAt: SEED_AT,
      recordedByTelegramId: by,
      months: [{ month: "2026-01", amount: names.paid }],
    });
    await repos.dues.addRemittance({
      branchId: branch.id,
      period: "2026-Q1",
      amount: names.remitted,
      note: null,
      recordedAt: SEED_AT,
      recordedByTelegramId: by,
    });
    await repos.away.createTransfer({
      memberId: member.id,
      branchId: branch.id,
      direction: "OUT",
      kind: "TEMPORARY",
      organisation: names.transferOrganisation,
      letterNumber: "7/GGT",
      letterDate: "2026-03-03",
      state: "INTRODUCED",
      deadline: "2026-04-15",
      arrivedOn: null,
      createdAt: SEED_AT,
      createdByTelegramId: by,
    });
    await repos.away.addResidenceContact({
      branchId: branch.id,
      fullName: names.residenceContact,
      workplaceOrg: "Chi bộ Trạm Y tế",
      address: null,
      phone: null,
      createdAt: SEED_AT,
    });
    await repos.findings.insert(
      [
        {
          key: `R1_ABSENCE:member:${member.id}:2026`,
          rule: "R1_ABSENCE",
          subjectKind: "member",
          subjectId: member.id,
          branchId: branch.id,
          period: "2026",
          severity: "warn",
          facts: { months: ["2026-02"] },
        },
      ],
      SEED_AT,
    );
    return {
      committeeId: commune.id,
      branchIds: [branch.id, archived.id],
      memberIds: [secretary.id, member.id, former.id],
    };
  });

  // The grade and the archiving: through a client of its own, as those repositories are not this seed's subject.
  const db = createDb(options.databaseUrl);
  try {
    await db.evaluation.create({
      data: {
        memberId: seeded.memberIds[1]!,
        branchId: seeded.branchIds[0]!,
        year: 2025,
        grade: "EXCELLENT",
        note: null,
        recordedAt: SEED_AT,
        recordedByTelegramId: String(options.secretaryTelegramId),
      },
    });
    await db.branch.update({ where: { id: seeded.branchIds[1]! }, data: { archivedAt: SEED_AT } });
  } finally {
    await db.$disconnect();
  }
  return seeded;
}
