// Two communes in one deployment, end to end: the real runtime and its polling loop against the strict fake
// Bot API, on either engine (issue #16's "Done when"). Each commune is set up through the chat as its people
// would (the second one added by the deployment's admin with /xa): two branches, a secretary each, members from a roster file, an invited member, a recorded meeting and
// a month's dues. Then every command of each audience, and every inline button one commune's committee admin,
// secretary and member were sent (and the buttons those lead to), are replayed by the other commune's people
// of the same rank: nothing of the first commune reaches them, and nothing is written but what their own
// harmless commands write for themselves. Last, the province's organisation office asks /baocao and reads one
// line per commune, and one commune's branches, writing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS_BY_AUDIENCE } from "../../src/bot/commands.js";
import { ACTIONS, decode, flowIdOf } from "../../src/bot/keyboards/callback-data.js";
import type { Audience } from "../../src/domain/roles.js";
import type { FakeMessage } from "../fake-telegram/server.js";
import type { FakeUser } from "../fake-telegram/user.js";
import { inviteCodeIn, outboxSettled, startE2E, type E2E } from "../support/e2e.js";
import { queryRows } from "../support/raw-sql.js";
import { onPostgres } from "../support/engine.js";
import { unzipEntries } from "../support/xlsx-files.js";

const has = (fragment: string) => (m: FakeMessage) => (m.text ?? "").includes(fragment);
// 15/03/2026 10:00 in Asia/Ho_Chi_Minh.
const NOW = new Date("2026-03-15T03:00:00Z");
const WAIT = 20_000;

interface CommuneSpec {
  /** The commune's name and place (the first one's come from COMMITTEE_NAME / COMMITTEE_PLACE). */
  name: string;
  place: string;
  admin: { id: number; name: string };
  branches: {
    name: string;
    secretary: { id: number; name: string };
    /** The roster file's other members; the first of branch 0's is invited and links Telegram. */
    members: string[];
  }[];
  member: { id: number };
  /** Every member's monthly dues in this commune. */
  rate: number;
  topic: string;
}

// Names, places, amounts and topics no word of which the other commune uses.
const A: CommuneSpec = {
  name: "Đảng bộ xã Xuân Đông",
  place: "Xuân Đông",
  admin: { id: 1000, name: "Văn phòng Xuân Đông" },
  branches: [
    {
      name: "Chi bộ Ấp Sen Hồng",
      secretary: { id: 2001, name: "Trần Thị Bạch Yến" },
      members: ["Phạm Văn Quyết Thắng", "Hoàng Thị Ngọc Diệp", "Đỗ Văn Trường Sơn"],
    },
    {
      name: "Chi bộ Ấp Lúa Vàng",
      secretary: { id: 2002, name: "Lê Văn Khải Hoàn" },
      members: ["Bùi Thị Thanh Thủy", "Võ Văn Hải Đăng"],
    },
  ],
  member: { id: 3001 },
  rate: 37_000,
  topic: "Học tập chuyên đề chuyển đổi số Sen Hồng",
};
const B: CommuneSpec = {
  name: "Đảng bộ xã Tân Phú",
  place: "Tân Phú",
  admin: { id: 1100, name: "Văn phòng Tân Phú" },
  branches: [
    {
      name: "Chi bộ Ấp Mai Xanh",
      secretary: { id: 2101, name: "Nguyễn Minh Khoa" },
      members: ["Đinh Công Tráng", "Lý Mỹ Duyên", "Tạ Quang Bửu"],
    },
    {
      name: "Chi bộ Ấp Trúc Đào",
      secretary: { id: 2102, name: "Mạc Đăng Dung" },
      members: ["Kiều Phong Vũ", "Cù Huy Cận"],
    },
  ],
  member: { id: 3101 },
  rate: 52_000,
  topic: "Bàn kế hoạch mùa vụ Mai Xanh",
};
const PROVINCE_ADMIN = 9000;
const PROVINCE_OFFICE = 9001;
/** The first commune's Bí thư Đảng ủy, who signs its committee's documents. */
const A_SIGNER = "Châu Văn Liêm Khiết";

const money = (amount: number) => `${amount.toLocaleString("de-DE")} đ`;

/** What nobody outside the commune may read: its place, branches, people, meeting topic and dues figures. */
function secretsOf(c: CommuneSpec): string[] {
  const people = c.branches.flatMap((b) => [b.secretary.name, ...b.members]);
  const first = c.branches[0]!;
  return [
    ...(c === A ? [A_SIGNER] : []),
    c.place,
    c.admin.name,
    c.topic,
    ...c.branches.map((b) => b.name),
    ...people,
    money(c.rate),
    // The month's collection of the first branch (everyone paid) and of the commune.
    money(c.rate * (first.members.length + 1)),
  ];
}

function rosterCsv(names: string[]): Buffer {
  const rows = ["Họ và tên,Ngày sinh,Ngày vào Đảng,Ngày chính thức"];
  names.forEach((name, i) =>
    rows.push(`${name},0${(i % 9) + 1}/04/1975,0${(i % 9) + 1}/06/2000,0${(i % 9) + 1}/06/2001`),
  );
  return Buffer.from(rows.join("\r\n"), "utf8");
}

interface People {
  admin: FakeUser;
  secretaries: FakeUser[];
  member: FakeUser;
}

/** The commune's admin creates its branches and invites their secretaries, who open their links. */
async function setUpBranches(e2e: E2E, spec: CommuneSpec): Promise<People> {
  const admin = e2e.fake.user(spec.admin.id, { firstName: spec.admin.name, languageCode: "vi" });
  const secretaries: FakeUser[] = [];
  for (const branch of spec.branches) {
    admin.sendText("/chibo");
    admin.pressButton("➕ Thêm chi bộ", await admin.waitForMessage(has("chi bộ"), WAIT));
    await admin.waitForMessage(has("nhập tên chi bộ mới"), WAIT);
    admin.sendText(branch.name);
    admin.pressButton("Bỏ qua", await admin.waitForMessage(has("Ngày thành lập"), WAIT));
    admin.pressButton("✉️ Mời Bí thư", await admin.waitForMessage((m) => (m.text ?? "").startsWith(branch.name), WAIT));
    admin.pressButton("➕ Người chưa có trong danh sách", await admin.waitForMessage(has("cần mời"), WAIT));
    await admin.waitForMessage(has("họ và tên người được mời"), WAIT);
    admin.sendText(branch.secretary.name);
    const code = inviteCodeIn((await admin.waitForMessage(has("?start="), WAIT)).text);
    const secretary = e2e.fake.user(branch.secretary.id, { firstName: "Bí thư", languageCode: "vi" });
    secretary.sendText(`/start ${code}`);
    await secretary.waitForMessage(has("Liên kết thành công"), WAIT);
    await secretary.waitForHandled(WAIT);
    secretaries.push(secretary);
  }
  await admin.waitForHandled(WAIT);
  return { admin, secretaries, member: e2e.fake.user(spec.member.id, { firstName: "Đảng viên", languageCode: "vi" }) };
}

/** Each secretary imports the branch's roster; the first invites a member, who links; dues and a meeting. */
async function setUpBranchRecords(people: People, spec: CommuneSpec): Promise<void> {
  for (const [i, branch] of spec.branches.entries()) {
    const secretary = people.secretaries[i]!;
    secretary.sendText("/dangvien");
    secretary.pressButton("📥 Nhập danh sách từ tệp", await secretary.waitForMessage(has("đảng viên"), WAIT));
    await secretary.waitForMessage(has("gửi tệp danh sách"), WAIT);
    secretary.sendDocument({ fileName: "danh-sach.csv", content: rosterCsv(branch.members) });
    secretary.pressButton("✅ Xác nhận", await secretary.waitForMessage(has("Xem trước"), WAIT));
    await secretary.waitForMessage(has(`thêm ${branch.members.length} đảng viên`), WAIT);

    // Every member's dues from March, and March collected from everyone.
    const everyone = branch.members.length + 1;
    secretary.sendText("/dangphi");
    secretary.pressButton("⚙️ Mức đảng phí", await secretary.waitForMessage(has("Đảng phí —"), WAIT));
    secretary.pressButton(/Chọn tất cả chưa có mức/, await secretary.waitForMessage(has("chưa có mức"), WAIT));
    secretary.pressButton(`➡️ Đặt mức cho ${everyone} đồng chí`, await secretary.waitForMessage(has("☑"), WAIT));
    secretary.pressButton("Gõ số tiền", await secretary.waitForMessage(has("Tính theo"), WAIT));
    await secretary.waitForMessage(has("Gõ mức đảng phí hằng tháng"), WAIT);
    secretary.sendText(String(spec.rate));
    secretary.pressButton("tháng 3/2026", await secretary.waitForMessage(has("Áp dụng từ tháng nào"), WAIT));
    secretary.pressButton("✅ Xác nhận", await secretary.waitForMessage(has("Đồng chí xác nhận"), WAIT));
    await secretary.waitForMessage(has("Mọi đảng viên"), WAIT);
    secretary.sendText("/dangphi");
    secretary.pressButton("📝 Thu đảng phí tháng 3/2026", await secretary.waitForMessage(has("Đảng phí —"), WAIT));
    secretary.pressButton("☑ Tất cả nộp", await secretary.waitForMessage(has("Đã nộp: 0/"), WAIT));
    secretary.pressButton("➡️ Tiếp tục", await secretary.waitForMessage(has(`Đã nộp: ${everyone}/`), WAIT));
    secretary.pressButton("✅ Xác nhận", await secretary.waitForMessage(has(`${everyone} đảng viên nộp`), WAIT));
    await secretary.waitForMessage(has(`Đã ghi ${everyone} khoản đảng phí tháng 3/2026`), WAIT);
    if (i > 0) continue;

    // The branch's regular meeting of March, everyone present.
    secretary.sendText("/diemdanh");
    secretary.pressButton("Thường kỳ", await secretary.waitForMessage(has("chọn loại buổi sinh hoạt"), WAIT));
    secretary.pressButton(/Hôm nay/, await secretary.waitForMessage(has("Ngày sinh hoạt"), WAIT));
    secretary.pressButton(
      "➡️ Tiếp tục",
      await secretary.waitForMessage(has(`${branch.name} — sinh hoạt thường kỳ`), WAIT),
    );
    await secretary.waitForMessage(has("Chủ đề buổi sinh hoạt"), WAIT);
    secretary.sendText(spec.topic);
    secretary.pressButton("Bỏ qua", await secretary.waitForMessage(has("Nghị quyết / kết luận"), WAIT));
    secretary.pressButton("➡️ Xong, xem lại", await secretary.waitForMessage(has("Phân công nhiệm vụ"), WAIT));
    secretary.pressButton("✅ Lưu", await secretary.waitForMessage(has("xác nhận lưu"), WAIT));
    await secretary.waitForMessage(has("Đã lưu buổi sinh hoạt thường kỳ ngày 15/03/2026"), WAIT);

    // The first member on the file is invited and links their Telegram.
    secretary.sendText("/moi");
    secretary.pressButton(/Đảng viên/, await secretary.waitForMessage(has("mời"), WAIT));
    const invitee = branch.members[0]!;
    secretary.pressButton(
      invitee,
      await secretary.waitForMessage((m) => m.buttons.some((b) => b.text === invitee), WAIT),
    );
    const code = inviteCodeIn((await secretary.waitForMessage(has("?start="), WAIT)).text);
    people.member.sendText(`/start ${code}`);
    await people.member.waitForMessage(has("Liên kết thành công"), WAIT);
    await people.member.waitForHandled(WAIT);
  }
}

/** Every table's rows, each as one canonical string (key order fixed), sorted. */
async function snapshot(url: string): Promise<Map<string, string[]>> {
  const tables = onPostgres
    ? await queryRows(url, `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`)
    : await queryRows(url, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  const result = new Map<string, string[]>();
  for (const { name } of tables) {
    const rows = await queryRows(url, `SELECT * FROM "${String(name)}"`);
    result.set(
      String(name),
      rows
        .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)))))
        .sort(),
    );
  }
  return result;
}

interface TableChange {
  added: Record<string, unknown>[];
  removed: Record<string, unknown>[];
}

/** What changed between two snapshots, per table (a changed row is one removed and one added). */
function changes(before: Map<string, string[]>, after: Map<string, string[]>): Map<string, TableChange> {
  const result = new Map<string, TableChange>();
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const earlier = new Set(before.get(table) ?? []);
    const later = new Set(after.get(table) ?? []);
    const added = [...later]
      .filter((row) => !earlier.has(row))
      .map((row) => JSON.parse(row) as Record<string, unknown>);
    const removed = [...earlier]
      .filter((row) => !later.has(row))
      .map((row) => JSON.parse(row) as Record<string, unknown>);
    if (added.length || removed.length) result.set(table, { added, removed });
  }
  return result;
}

/** The text of a document the bot sent: an Office file's XML text, or the bytes of a plain one. */
async function documentText(bytes: Buffer): Promise<string> {
  if (bytes.subarray(0, 2).toString("latin1") !== "PK") return bytes.toString("utf8");
  const entries = await unzipEntries(bytes);
  return entries
    .filter((entry) => entry.name.endsWith(".xml"))
    .map((entry) =>
      entry.data
        .toString("utf8")
        .replace(/<[^>]+>/g, "")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, "&"),
    )
    .join("\n");
}

/** Everything a chat was shown since an event: texts, captions, buttons, documents (names and contents). */
async function shownSince(e2e: E2E, chatId: number, since: number): Promise<string[]> {
  const shown: string[] = [];
  for (const event of e2e.fake.events) {
    if (event.seq <= since) continue;
    if (event.kind === "callbackAnswered") {
      if (event.answer.text === undefined) continue;
      if (e2e.fake.callbackQuery(event.answer.callback_query_id)?.userId === chatId) shown.push(event.answer.text);
      continue;
    }
    if ((event.kind !== "sent" && event.kind !== "edited") || event.chatId !== chatId) continue;
    const m = event.message;
    if (m.sender !== "bot") continue;
    shown.push(m.text ?? "", m.caption ?? "", ...m.buttons.map((b) => `${b.text} ${b.url ?? ""}`));
    if (m.reply_markup && "keyboard" in m.reply_markup)
      shown.push(...m.reply_markup.keyboard.flat().map((b) => b.text));
    if (m.document) {
      shown.push(m.document.file_name ?? "");
      const file = e2e.fake.file(m.document.file_id);
      if (file) shown.push(await documentText(file.bytes));
    }
  }
  return shown;
}

/** The buttons a chat was sent or shown since an event, with the message each was on. */
function buttonsSince(e2e: E2E, chatId: number, since: number): Map<string, number> {
  const found = new Map<string, number>();
  for (const event of e2e.fake.events) {
    if (event.seq <= since || (event.kind !== "sent" && event.kind !== "edited") || event.chatId !== chatId) continue;
    for (const button of event.message.buttons)
      if (button.callback_data !== undefined && !found.has(button.callback_data))
        found.set(button.callback_data, event.message.message_id);
  }
  return found;
}

const lastEventSeq = (e2e: E2E) => e2e.fake.events.at(-1)?.seq ?? 0;
const actionOf = (data: string) => data.split(":")[0]!;
// Pressed by their own holder while capturing, these would end the capture: unlinking one's own Telegram (uy),
// confirming the unlinking of a member's (mU). They are replayed all the same: last, uy the very last.
const NOT_PRESSED_WHILE_CAPTURING = new Set(["uy", "mU"]);
const ORDER = (data: string) => (actionOf(data) === "uy" ? 3 : actionOf(data) === "mU" ? 2 : data === "lg:vi" ? 1 : 0);
const RECORD_ID = ACTIONS.bv[0];
// The reports' and the list of members away's first argument: a branch, or 0 for the whole commune.
const SCOPE_FIRST = new Set(["rpk", "rpp", "wL"]);

/**
 * What a press explores, while capturing: buttons that differ only in an argument naming no record (a period,
 * a page, a year, a choice) lead to the same screens, so one of them is pressed; a flow's buttons are stale once
 * the flow is cancelled, so none is. Every one of them is replayed.
 */
function explorationKey(data: string): string | null {
  const decoded = decode(data);
  if (!decoded || flowIdOf(decoded) !== null) return null;
  const specs = ACTIONS[decoded.action] as readonly unknown[];
  const args = decoded.args.map((arg, i) =>
    specs[i] === RECORD_ID || (i === 0 && SCOPE_FIRST.has(decoded.action)) ? String(arg) : "*",
  );
  return [decoded.action, ...args].join(":");
}

/** Waits until the bot has confirmed the last update each of these users sent. */
async function handled(users: FakeUser[]): Promise<void> {
  for (const user of users) if (user.lastUpdateId !== undefined) await user.waitForHandled(60_000);
}

interface Capture {
  audience: Audience;
  commands: string[];
  /** Every button's data the person was sent, in the order first seen. */
  buttons: string[];
}

const CAPTURE_WAVES = 2;

/**
 * Each person sends every command of their audience (each followed by /cancel), then presses the buttons they
 * were sent, wave after wave, each press followed by /cancel: what a person of that rank can reach. The people
 * act at once (each chat's updates are handled in order); a wave ends when the bot has handled all of them.
 */
async function capture(e2e: E2E, who: { user: FakeUser; audience: Audience }[]): Promise<Capture[]> {
  const captures = who.map(({ audience }) => ({
    audience,
    commands: COMMANDS_BY_AUDIENCE[audience].map((c) => `/${c}`),
    buttons: [] as string[],
  }));
  const explored = who.map(() => new Set<string>());
  let since = lastEventSeq(e2e);
  for (const [i, { user }] of who.entries())
    for (const command of captures[i]!.commands) {
      user.sendText(command);
      user.sendText("/cancel");
    }
  await handled(who.map((w) => w.user));
  for (let wave = 0; ; wave++) {
    const toPress: [string, number][][] = [];
    for (const [i, { user }] of who.entries()) {
      const known = new Set(captures[i]!.buttons);
      const fresh = [...buttonsSince(e2e, user.id, since)].filter(([data]) => !known.has(data));
      captures[i]!.buttons.push(...fresh.map(([data]) => data));
      toPress.push(
        fresh
          .filter(([data]) => {
            const key = explorationKey(data);
            if (key === null || NOT_PRESSED_WHILE_CAPTURING.has(actionOf(data)) || explored[i]!.has(key)) return false;
            explored[i]!.add(key);
            return true;
          })
          .sort(([x], [y]) => ORDER(x) - ORDER(y)),
      );
    }
    if (wave === CAPTURE_WAVES || toPress.every((list) => list.length === 0)) break;
    since = lastEventSeq(e2e);
    for (const [i, { user }] of who.entries())
      for (const [data, messageId] of toPress[i]!) {
        user.pressData(data, messageId);
        user.sendText("/cancel");
      }
    await handled(who.map((w) => w.user));
  }
  return captures;
}

interface Replay {
  /** Per replaying person: everything they were shown. */
  shown: Map<number, string[]>;
  /** Per person of the captured commune: everything they were sent meanwhile (nothing, it should be). */
  sentToOthers: Map<number, string[]>;
  /** The updates the replay sent. */
  updates: number;
  changes: Map<string, TableChange>;
}

/**
 * The other commune's people send the same commands and press every captured button (with /cancel between),
 * uy (unlinking one's own Telegram) last.
 */
/**
 * Every full export (/xuatdulieu) a committee member was told is being prepared has been sent (or has failed):
 * exports are written in the background, after the update is handled, one at a time.
 */
async function exportsSettled(e2e: E2E, timeoutMs: number): Promise<void> {
  const texts = () =>
    e2e.fake.events.flatMap((e) =>
      e.kind === "sent" && e.message.sender === "bot" && e.message.text ? [e.message.text] : [],
    );
  const count = (prefixes: string[]) => texts().filter((t) => prefixes.some((p) => t.startsWith(p))).length;
  await e2e.fake._waitFor(
    () =>
      count(["Đã gửi tệp dữ liệu đầy đủ", "Xin lỗi đồng chí, chưa tạo được tệp dữ liệu", "Tệp dữ liệu ("]) >=
      count(["Đang chuẩn bị tệp dữ liệu đầy đủ"])
        ? true
        : undefined,
    timeoutMs,
    () => new Error(`full exports not done within ${timeoutMs} ms`),
  );
}

async function replay(e2e: E2E, who: { user: FakeUser; capture: Capture }[], others: FakeUser[]): Promise<Replay> {
  await exportsSettled(e2e, 120_000);
  await outboxSettled(e2e, 60_000);
  const before = await snapshot(e2e.dbUrl);
  const since = lastEventSeq(e2e);
  let updates = 0;
  for (const { user, capture } of who) {
    for (const command of capture.commands) {
      user.sendText(command);
      user.sendText("/cancel");
      updates += 2;
    }
    // A forged press comes on a message of the presser's own chat, as a modified client would send it.
    const onMessage = user.lastMessage()?.message_id ?? 1;
    // Only buttons are pressed from here: a flow one of them starts waits for no typed answer, and the next
    // press is handled on its own. One /cancel at the end closes whatever is left open.
    for (const data of [...capture.buttons].sort((x, y) => ORDER(x) - ORDER(y))) {
      user.pressData(data, onMessage);
      updates += 1;
    }
    user.sendText("/cancel");
    updates += 1;
  }
  await handled(who.map((w) => w.user));
  await exportsSettled(e2e, 120_000);
  await outboxSettled(e2e, 60_000);
  const after = await snapshot(e2e.dbUrl);
  const shown = new Map<number, string[]>();
  for (const { user } of who) shown.set(user.id, await shownSince(e2e, user.id, since));
  const sentToOthers = new Map<number, string[]>();
  for (const user of others) sentToOthers.set(user.id, await shownSince(e2e, user.id, since));
  return { shown, sentToOthers, updates, changes: changes(before, after) };
}

interface Tenant {
  committeeId: number;
  /** Its committee-wide report numbers' issuer (committeeKey). */
  issuer: string;
  branchIds: number[];
}

async function tenantOf(e2e: E2E, spec: CommuneSpec): Promise<Tenant> {
  const communes = await queryRows(e2e.dbUrl, `SELECT "id", "name" FROM "Committee" ORDER BY "id"`);
  const index = communes.findIndex((c) => c.name === spec.name);
  const committeeId = Number(communes[index]!.id);
  const branches = await queryRows(e2e.dbUrl, `SELECT "id" FROM "Branch" WHERE "committeeId" = ${committeeId}`);
  return {
    committeeId,
    issuer: index === 0 ? "committee" : `committee:${committeeId}`,
    branchIds: branches.map((b) => Number(b.id)),
  };
}

/**
 * What the replay may write, all of it the replaying people's own doing in their own commune: the updates'
 * bookkeeping, their language (lg), their notice choices (nK), their own commune's or branch's reports (rpp),
 * their own commune's holidays of a year confirmed (hC), their own Telegram unlinked (uy, pressed last).
 * Anything else fails the test.
 */
async function expectOnlyOwnWrites(e2e: E2E, result: Replay, replayers: FakeUser[], own: Tenant): Promise<void> {
  const ids = new Set(replayers.map((u) => String(u.id)));
  const users = await queryRows(e2e.dbUrl, `SELECT "id", "telegramId" FROM "User"`);
  const ownUserIds = new Set(users.filter((u) => ids.has(String(u.telegramId))).map((u) => Number(u.id)));
  const ownIssuers = new Set([own.issuer, ...own.branchIds.map((id) => `branch:${id}`)]);
  const columnsChanged = (change: TableChange, key: string) =>
    change.added.flatMap((row) => {
      const was = change.removed.find((r) => r[key] === row[key]);
      expect(was, `a row appeared: ${JSON.stringify(row)}`).toBeDefined();
      return Object.keys(row).filter((column) => JSON.stringify(row[column]) !== JSON.stringify(was![column]));
    });
  for (const [table, change] of result.changes) {
    const rows = [...change.added, ...change.removed];
    switch (table) {
      // One row per update handled, nothing else.
      case "ProcessedUpdate":
        expect(change.removed).toEqual([]);
        expect(change.added).toHaveLength(result.updates);
        break;
      // Who holds what for how long (the sender's lease is renewed as it runs): coordination, no data.
      case "Lease":
        break;
      case "User":
        for (const row of rows) expect(ids, JSON.stringify(row)).toContain(String(row.telegramId));
        expect(new Set(columnsChanged(change, "id"))).toSatisfy((columns: Set<string>) =>
          [...columns].every((c) => ["locale", "memberId", "linkedAt"].includes(c)),
        );
        break;
      // A secretary who unlinks their own Telegram gives up the branch role.
      case "RoleAssignment":
        for (const row of rows) expect(ownUserIds, JSON.stringify(row)).toContain(Number(row.userId));
        expect(new Set(columnsChanged(change, "id"))).toEqual(new Set(["revokedAt"]));
        break;
      // A year's holidays confirmed (hC names a year, nothing of the other commune): the commune's own calendar.
      case "CommitteeHolidayYear":
      case "CommitteeSetting":
        for (const row of rows) expect(Number(row.committeeId), JSON.stringify(row)).toBe(own.committeeId);
        break;
      // The deployment's own rows are the first commune's calendar: only its people may change them.
      case "HolidayYear":
      case "Setting":
        expect(own.issuer, `${table} changed by the second commune: ${JSON.stringify(change)}`).toBe("committee");
        break;
      case "NotificationPreference":
        for (const row of rows) expect(ids, JSON.stringify(row)).toContain(String(row.telegramId));
        break;
      case "Report":
        expect(change.removed).toEqual([]);
        for (const row of change.added) {
          expect(ownIssuers, JSON.stringify(row)).toContain(row.issuer);
          expect(ids, JSON.stringify(row)).toContain(String(row.issuedByTelegramId));
        }
        break;
      case "AuditLog":
        expect(change.removed).toEqual([]);
        for (const row of change.added) {
          expect(ids, JSON.stringify(row)).toContain(String(row.actorTelegramId));
          expect(
            ["notices.choose", "report.issue", "telegram.unlink", "user.locale", "settings.holidays", "data.export"],
            JSON.stringify(row),
          ).toContain(row.action);
          // The full export a committee member replays is their own commune's.
          if (row.action === "data.export")
            expect([row.entity, Number(row.entityId)], JSON.stringify(row)).toEqual(["Committee", own.committeeId]);
        }
        break;
      default:
        expect.fail(`${table} changed: ${JSON.stringify(change).slice(0, 2000)}`);
    }
  }
}

describe("two communes in one deployment, over the fake Bot API", () => {
  let e2e: E2E;
  const people = new Map<CommuneSpec, People>();
  const captured = new Map<CommuneSpec, Capture[]>();
  let captureSince = 0;
  const ranks = (c: CommuneSpec) => {
    const p = people.get(c)!;
    return [
      { user: p.admin, audience: "committee" as const },
      { user: p.secretaries[0]!, audience: "secretary" as const },
      { user: p.member, audience: "member" as const },
    ];
  };

  beforeAll(async () => {
    e2e = await startE2E({ now: NOW, admins: [String(A.admin.id)] });
    // Commune A is the deployment's first, made at first start from COMMITTEE_NAME; ADMIN_TELEGRAM_IDS its admin.
    people.set(A, await setUpBranches(e2e, A));
    // Commune B: the deployment's admin (a PROVINCE_ADMIN role) adds it with /xa and gets its first admin's
    // invitation link, which B's admin opens.
    await e2e.running.store.transaction(async (repos) => {
      const user = await repos.users.upsert(String(PROVINCE_ADMIN), "Văn phòng Tỉnh ủy", null);
      await repos.users.grantRole(user.id, "PROVINCE_ADMIN", null, "seed", NOW);
    });
    const province = e2e.fake.user(PROVINCE_ADMIN, { firstName: "Tỉnh ủy", languageCode: "vi" });
    province.sendText("/xa");
    province.pressButton("➕ Thêm đảng bộ xã", await province.waitForMessage(has("Các Đảng bộ xã"), WAIT));
    await province.waitForMessage(has("nhập tên Đảng bộ xã mới"), WAIT);
    province.sendText(B.name);
    await province.waitForMessage(has(`nhập địa danh của ${B.name}`), WAIT);
    province.sendText(B.place);
    await province.waitForMessage(has("nhập họ và tên người sẽ làm quản trị"), WAIT);
    province.sendText(B.admin.name);
    const code = inviteCodeIn((await province.waitForMessage(has("?start="), WAIT)).text);
    const adminB = e2e.fake.user(B.admin.id, { firstName: "Quản trị", languageCode: "vi" });
    adminB.sendText(`/start ${code}`);
    await adminB.waitForMessage(has("Liên kết thành công"), WAIT);
    await adminB.waitForHandled(WAIT);
    people.set(B, await setUpBranches(e2e, B));
    // The first commune's admin names its Bí thư Đảng ủy, who signs its committee's documents.
    const adminA = people.get(A)!.admin;
    adminA.sendText("/caidat");
    adminA.pressButton(
      "✏️ Họ tên Bí thư Đảng ủy (người ký văn bản)",
      await adminA.waitForMessage(has("Bí thư Đảng ủy"), WAIT),
    );
    await adminA.waitForMessage(has("Họ và tên đồng chí Bí thư Đảng ủy"), WAIT);
    adminA.sendText(A_SIGNER);
    await adminA.waitForMessage(has(`Đã lưu: văn bản của Đảng ủy in họ tên người ký là đồng chí ${A_SIGNER}`), WAIT);
    await setUpBranchRecords(people.get(A)!, A);
    await setUpBranchRecords(people.get(B)!, B);
    // What each commune's people reach, both captured before either replay (whose last press unlinks).
    captureSince = lastEventSeq(e2e);
    const both = await capture(e2e, [...ranks(A), ...ranks(B)]);
    captured.set(A, both.slice(0, 3));
    captured.set(B, both.slice(3));
  }, 240_000);
  afterAll(async () => e2e?.dispose());

  it("sets both communes up through the chat, and each one's people reach its records", async () => {
    for (const spec of [A, B]) {
      const tenant = await tenantOf(e2e, spec);
      expect(tenant.branchIds).toHaveLength(2);
      const [members] = await queryRows(
        e2e.dbUrl,
        `SELECT count(*) AS n FROM "Member" WHERE "branchId" IN (${tenant.branchIds.join(",")})`,
      );
      expect(members!.n).toBe(spec.branches.reduce((n, b) => n + b.members.length + 1, 0));
      const [meetings] = await queryRows(
        e2e.dbUrl,
        `SELECT count(*) AS n FROM "Meeting" WHERE "branchId" IN (${tenant.branchIds.join(",")})`,
      );
      expect(meetings!.n).toBe(1);
      const [dues] = await queryRows(
        e2e.dbUrl,
        `SELECT sum("amount") AS n FROM "DuesEntry" WHERE "branchId" IN (${tenant.branchIds.join(",")})`,
      );
      expect(Number(dues!.n)).toBe(spec.rate * Number(members!.n));
      // The capture reached the records: member cards, the meeting, the dues of each branch.
      const [admin, secretary, member] = captured.get(spec)!;
      expect(admin!.buttons.length).toBeGreaterThan(100);
      expect(secretary!.buttons.length).toBeGreaterThan(100);
      expect(member!.buttons.length).toBeGreaterThan(3);
      for (const branchId of tenant.branchIds) expect(admin!.buttons).toContain(`pM:${branchId}:202603`);
      expect(secretary!.buttons.filter((b) => b.startsWith("mv:")).length).toBeGreaterThan(3);
      expect(secretary!.buttons.some((b) => b.startsWith("dC:"))).toBe(true);
    }
  });

  it("shows each commune's people nothing of the other's while they go through their own records", async () => {
    for (const [own, other] of [
      [A, B],
      [B, A],
    ] as const)
      for (const { user } of ranks(own)) {
        const all = (await shownSince(e2e, user.id, captureSince)).join("\n");
        for (const secret of secretsOf(other)) expect(all, `${user.id} was shown ${secret}`).not.toContain(secret);
      }
  });

  for (const [from, to] of [
    [A, B],
    [B, A],
  ] as const)
    it(`replays what ${from.place}'s people reached as ${to.place}'s: nothing seen, nothing written`, async () => {
      const replayers = ranks(to).map((r) => r.user);
      const result = await replay(
        e2e,
        replayers.map((user, i) => ({ user, capture: captured.get(from)![i]! })),
        [...people.get(from)!.secretaries, ...ranks(from).map((r) => r.user)],
      );
      const secrets = secretsOf(from);
      for (const [chatId, texts] of result.shown) {
        expect(texts.length, `${chatId} was answered`).toBeGreaterThan(50);
        const all = texts.join("\n");
        for (const secret of secrets) expect(all, `${chatId} was shown ${secret}`).not.toContain(secret);
        // What they were shown is read: their own commune's branch is in it.
        expect(all).toContain(to.branches[0]!.name);
      }
      // The documents were read too: the committee's reports (XLSX) of its own commune, and its full export.
      expect(result.shown.get(ranks(to)[0]!.user.id)!.join("\n")).toMatch(/\.xlsx/);
      expect(result.shown.get(ranks(to)[0]!.user.id)!.join("\n")).toMatch(/du-lieu-dang-bo-[\d-]+\.xlsx/);
      for (const [chatId, texts] of result.sentToOthers) expect(texts, `sent to ${chatId}`).toEqual([]);
      await expectOnlyOwnWrites(e2e, result, replayers, await tenantOf(e2e, to));
    }, 240_000);

  it("gives the province's organisation office a report with both communes, writing nothing", async () => {
    // The Ban Tổ chức Tỉnh ủy: a province role, assigned as the deployment's admin would.
    await e2e.running.store.transaction(async (repos) => {
      const user = await repos.users.upsert(String(PROVINCE_OFFICE), "Ban Tổ chức Tỉnh ủy", null);
      await repos.users.grantRole(user.id, "PROVINCE_ORGANISATION", null, "seed", NOW);
    });
    const office = e2e.fake.user(PROVINCE_OFFICE, { firstName: "Ban Tổ chức", languageCode: "vi" });
    office.sendText("/start");
    await office.waitForMessage(has("Ban Tổ chức Tỉnh ủy"), WAIT);
    await office.waitForHandled(WAIT);

    const before = await snapshot(e2e.dbUrl);
    const since = lastEventSeq(e2e);
    office.sendText("/baocao");
    office.pressButton("Tháng", await office.waitForMessage(has("Báo cáo tổng hợp các Đảng bộ xã (chỉ xem)"), WAIT));
    const periods = await office.waitForMessage((m) => m.buttons.some((b) => b.callback_data === "pvp:2026-03"), WAIT);
    office.pressButton((b) => b.callback_data === "pvp:2026-03", periods);
    const report = await office.waitForMessage(has("Báo cáo tổng hợp các Đảng bộ xã — "), WAIT);
    const line = (spec: CommuneSpec) => {
      const members = spec.branches.reduce((n, b) => n + b.members.length + 1, 0);
      const dues = money(spec.rate * members);
      return `${members} đảng viên; sinh hoạt thường kỳ 1, chuyên đề 0; tỷ lệ dự sinh hoạt 100,0%, vắng không lý do 0; đảng phí đã thu ${dues}/${dues} (100,0%)`;
    };
    expect(report.text).toContain(`• ${A.name}: 2 chi bộ, ${line(A)}`);
    expect(report.text).toContain(`• ${B.name}: 2 chi bộ, ${line(B)}`);
    // Communes by Vietnamese name: Tân Phú before Xuân Đông; the province's totals.
    expect(report.text!.indexOf(B.name)).toBeLessThan(report.text!.indexOf(A.name));
    const all = money(A.rate * 7 + B.rate * 7);
    expect(report.text).toContain(
      `Toàn tỉnh (2 Đảng bộ xã): 4 chi bộ, 14 đảng viên; sinh hoạt thường kỳ 2, chuyên đề 0; tỷ lệ dự sinh hoạt 100,0%, vắng không lý do 0; đảng phí đã thu ${all}/${all} (100,0%)`,
    );
    for (const spec of [A, B]) for (const branch of spec.branches) expect(report.text).not.toContain(branch.name);

    // The drill-down into one commune: its branches, none of the other's.
    office.pressButton(B.name, report);
    const drill = await office.waitForMessage(has(`📑 ${B.name} — `), WAIT);
    for (const branch of B.branches) expect(drill.text).toContain(`• ${branch.name}: `);
    for (const secret of secretsOf(A)) expect(drill.text).not.toContain(secret);
    await office.waitForHandled(WAIT);
    expect((await shownSince(e2e, PROVINCE_OFFICE, since)).join("\n")).not.toMatch(
      /Trần Thị Bạch Yến|Nguyễn Minh Khoa/,
    );

    // Read-only: no report number, no audit, nothing written but the updates' bookkeeping.
    const written = changes(before, await snapshot(e2e.dbUrl));
    written.delete("Lease");
    // Four updates: /baocao, the kind of period, the period, the commune.
    expect(written.get("ProcessedUpdate")?.added).toHaveLength(4);
    written.delete("ProcessedUpdate");
    expect(Object.fromEntries(written)).toEqual({});
  });
});
