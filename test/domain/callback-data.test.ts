// Callback data lives in src/bot/keyboards but is pure code: its tests sit with the other pure-code tests.
import { describe, expect, it } from "vitest";
import { ACTIONS, decode, encode, type Action } from "../../src/bot/keyboards/callback-data.js";

const MAX_ID = 2 ** 31 - 1;
type Arg = string | number;

/** A typical and a largest value set for every action; the test below fails when an action is added without samples. */
const SAMPLES = {
  bl: [[0], [10_000]],
  bv: [[1], [MAX_ID]],
  bn: [[]],
  ml: [
    [3, 0],
    [MAX_ID, 10_000],
  ],
  mv: [[42], [MAX_ID]],
  ma: [[7], [MAX_ID]],
  me: [[42], [MAX_ID]],
  mf: [
    [42, "fullName"],
    [42, "birthDate"],
    [42, "joinDate"],
    [42, "officialDate"],
    [42, "kind"],
    [42, "phone"],
    [42, "residence"],
    [MAX_ID, "workplace"],
  ],
  mx: [[42], [MAX_ID]],
  ms: [
    [42, "ACTIVE"],
    [42, "EXEMPT"],
    [42, "REMOVED"],
    [42, "DECEASED"],
    [MAX_ID, "TRANSFERRED_OUT"],
  ],
  mu: [[42], [MAX_ID]],
  mU: [[42], [MAX_ID]],
  mi: [
    [42, "MEMBER"],
    [42, "BRANCH_DEPUTY"],
    [MAX_ID, "BRANCH_SECRETARY"],
  ],
  mm: [[3], [MAX_ID]],
  ik: [["committee"], ["secretary"], ["deputy"], ["member"], ["pending"]],
  ir: [["COMMITTEE_ADMIN"], ["COMMITTEE_OFFICE"], ["COMMITTEE_STANDING"], ["COMMITTEE_INSPECTION"]],
  ip: [
    [3, "MEMBER", 0],
    [3, "BRANCH_DEPUTY", 2],
    [MAX_ID, "BRANCH_SECRETARY", 10_000],
  ],
  ib: [
    ["BRANCH_SECRETARY", 0],
    ["MEMBER", 1],
    ["BRANCH_DEPUTY", 10_000],
  ],
  in: [
    [3, "BRANCH_DEPUTY"],
    [MAX_ID, "BRANCH_SECRETARY"],
  ],
  ix: [[5], [MAX_ID]],
  fk: [
    ["abcd", "OFFICIAL"],
    ["A1b2_C3-d4E5f6G7", "PROBATIONARY"],
  ],
  fs: [["abcd"], ["A1b2_C3-d4E5f6G7"]],
  fc: [["abcd"], ["A1b2_C3-d4E5f6G7"]],
  fy: [["abcd"], ["A1b2_C3-d4E5f6G7"]],
  fn: [["abcd"], ["A1b2_C3-d4E5f6G7"]],
  lg: [["vi"], ["en"]],
  uy: [[]],
  dB: [[1], [MAX_ID]],
  dL: [[1], [MAX_ID]],
  dC: [[7], [MAX_ID]],
  mB: [[7], [MAX_ID]],
  mP: [[7], [MAX_ID]],
  nN: [[1], [MAX_ID]],
  nD: [["abcd", "20270105"]],
  nJ: [
    ["abcd", "REGULAR"],
    ["abcd", "THEMATIC"],
    ["abcd", "EXTRAORDINARY"],
  ],
  nT: [["abcd"]],
  nP: [["abcd"]],
  nA: [[1], [MAX_ID]],
  nE: [[1], [MAX_ID]],
  nR: [
    [1, "SICK"],
    [MAX_ID, "AWAY"],
  ],
  nV: [[1], [MAX_ID]],
  gY: [[1], [MAX_ID]],
  gN: [[1], [MAX_ID]],
  dK: [
    ["abcd", "REGULAR"],
    ["A1b2_C3-d4E5f6G7", "THEMATIC"],
    ["abcd", "EXTRAORDINARY"],
  ],
  dD: [
    ["abcd", "20260315"],
    ["A1b2_C3-d4E5f6G7", "20251231"],
  ],
  st: [
    ["abcd", 1],
    ["A1b2_C3-d4E5f6G7", MAX_ID],
  ],
  sx: [
    ["abcd", 1],
    ["A1b2_C3-d4E5f6G7", MAX_ID],
  ],
  sa: [["abcd"]],
  sr: [["abcd"]],
  sp: [
    ["abcd", 0],
    ["A1b2_C3-d4E5f6G7", 10_000],
  ],
  sn: [["abcd"]],
  rr: [
    ["abcd", "SICK"],
    ["abcd", "WORK"],
    ["abcd", "FAMILY"],
    ["A1b2_C3-d4E5f6G7", "AWAY"],
  ],
  tn: [["abcd"]],
  tm: [
    ["abcd", 1],
    ["A1b2_C3-d4E5f6G7", MAX_ID],
  ],
  tp: [
    ["abcd", 0],
    ["abcd", 10_000],
  ],
  tf: [["abcd"]],
  ae: [[1], [MAX_ID]],
  ea: [[1], [MAX_ID]],
  ed: [[1], [MAX_ID]],
  td: [[1], [MAX_ID]],
  cy: [
    [1, 2026],
    [MAX_ID, 2000],
    [3, 2100],
  ],
  ls: [[1], [MAX_ID]],
  lS: [[1], [MAX_ID]],
  lR: [[3]],
  hY: [[2026], [2100]],
  hC: [[2027]],
  hA: [[2027]],
  hR: [[2027]],
  lL: [["abcd"]],
  pB: [[1], [MAX_ID]],
  pM: [
    [1, "202603"],
    [MAX_ID, "202512"],
  ],
  pO: [[1]],
  pY: [[1, 2025]],
  pS: [[1, "202601"]],
  pL: [
    [1, 2026],
    [MAX_ID, 2000],
  ],
  pR: [[1]],
  pU: [
    [1, "pay", 0],
    [MAX_ID, "book", 3],
    [2, "rate", 0],
    [2, "relief", 10_000],
  ],
  pu: [
    [1, "pay"],
    [MAX_ID, "relief"],
  ],
  px: [[1]],
  pX: [[MAX_ID]],
  pC: [[2026]],
  qt: [
    ["abcd", 1],
    ["A1b2_C3-d4E5f6G7", MAX_ID],
  ],
  qa: [["abcd"]],
  qn: [["abcd"]],
  qp: [["abcd", 0]],
  qe: [["abcd"]],
  qm: [["abcd", 7]],
  qc: [["abcd"]],
  qv: [
    ["abcd", "202601"],
    ["A1b2_C3-d4E5f6G7", "202712"],
  ],
  qd: [["abcd"]],
  qy: [["abcd", 2025]],
  qw: [["abcd"]],
  qo: [["abcd"]],
  qk: [
    ["abcd", "SALARY"],
    ["abcd", "PENSION"],
    ["abcd", "STUDENT"],
    ["abcd", "OTHER"],
    ["abcd", "OTHER_RETIRED"],
    ["abcd", "MANUAL"],
  ],
  ql: [
    ["abcd", "LONG_MEMBERSHIP"],
    ["abcd", "REDUCED_70"],
  ],
  qr: [
    ["abcd", "202603"],
    ["abcd", "2026Q1"],
  ],
  xE: [
    ["abcd", "WORK_AWAY"],
    ["abcd", "ILLNESS"],
    ["abcd", "AGE"],
    ["abcd", "OTHER"],
  ],
  xA: [
    [1, "FORWARD"],
    [MAX_ID, "END"],
    [3, "APPROVE"],
    [3, "REJECT"],
    [3, "RETURN"],
    [3, "WITHDRAW"],
  ],
  xP: [
    [1, 0],
    [MAX_ID, 10_000],
  ],
  xp: [[1]],
  xN: [[]],
  rv: [[1]],
  rm: [[MAX_ID]],
  rP: [
    [1, 0],
    [MAX_ID, 10_000],
  ],
  rp: [[MAX_ID]],
  tO: [[1, 0]],
  to: [[1]],
  tK: [
    ["abcd", "OFFICIAL"],
    ["abcd", "TEMPORARY"],
  ],
  tI: [[1]],
  tc: [
    [1, "ARRIVED"],
    [MAX_ID, "RETURNED"],
  ],
  rA: [[1]],
  rc: [[1]],
  aH: [[1], [MAX_ID]],
  aL: [[0], [10_000]],
  wP: [[1], [MAX_ID]],
  wR: [[1], [MAX_ID]],
  nL: [[]],
  nK: [["VIOLATIONS"], ["REMINDERS"], ["REPORTS"]],
  sE: [["absenceWarnMonths"], ["ruleWindow"], ["attendanceTarget"], ["checkinEveryMonths"]],
  sS: [[]],
  sW: [
    ["abcd", "calendar-year"],
    ["abcd", "rolling-12"],
  ],
  aD: [
    ["abcd", "REMINDED"],
    ["abcd", "VALID_REASON"],
    ["abcd", "PROPOSE_REMOVAL"],
    ["abcd", "OTHER"],
  ],
  rw: [[]],
  rpk: [
    [0, "MONTH"],
    [MAX_ID, "QUARTER"],
    [1, "HALF"],
    [1, "NINE_MONTHS"],
    [0, "YEAR"],
  ],
  rpp: [
    [0, "2026-11"],
    [MAX_ID, "2026-Q3"],
    [1, "2026-H1"],
    [1, "2026-M9"],
    [0, "2026"],
  ],
  pvk: [["MONTH"], ["QUARTER"], ["HALF"], ["NINE_MONTHS"], ["YEAR"]],
  pvp: [["2026-11"], ["2026-Q3"], ["2026-H1"], ["2026-M9"], ["2026"]],
  pvc: [
    [1, "2026-11"],
    [MAX_ID, "2026-M9"],
  ],
  pvn: [[]],
  pvi: [[1], [MAX_ID]],
  pvo: [[]],
  pvr: [["PROVINCE_ADMIN"], ["PROVINCE_ORGANISATION"], ["PROVINCE_INSPECTION"]],
  pvl: [[]],
  pvq: [
    ["r", 1],
    ["i", 2],
  ],
  pvx: [
    ["r", 1],
    ["i", 2],
  ],
  vb: [[0], [10_000]],
  vl: [
    [1, 0],
    [MAX_ID, 10_000],
  ],
  vm: [[1], [MAX_ID]],
  vg: [
    [1, 2026, "EXCELLENT"],
    [MAX_ID, 2100, "NOT_COMPLETED"],
    [3, 2000, "GOOD"],
    [3, 2026, "COMPLETED"],
    [3, 2026, "NOT_GRADED"],
  ],
  vt: [[]],
  vx: [[]],
  mR: [[1], [MAX_ID]],
  mz: [[1], [MAX_ID]],
  yB: [[1], [MAX_ID]],
  yt: [
    ["abcd", 1],
    ["abcd", MAX_ID],
  ],
  ya: [["abcd"]],
  wL: [
    [0, 0],
    [MAX_ID, 10_000],
  ],
  wF: [[1], [MAX_ID]],
  iC: [
    ["abcd", 2, 1],
    ["abcd", 10_000, MAX_ID],
    ["abcd", 7, 0],
  ],
  iE: [
    ["abcd", "windows-1258"],
    ["abcd", "tcvn"],
  ],
} satisfies Record<Action, Arg[][]>;

const anyEncode = encode as (action: Action, ...args: Arg[]) => string;

describe("callback data", () => {
  it("has samples for exactly the actions in ACTIONS", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it("has distinct action codes without the separator", () => {
    for (const action of Object.keys(ACTIONS)) expect(action).toMatch(/^[A-Za-z]{1,3}$/);
  });

  for (const [action, cases] of Object.entries(SAMPLES) as [Action, Arg[][]][]) {
    it(`round-trips ${action} for every sample, within 64 bytes`, () => {
      expect(ACTIONS[action].length).toBe(cases[0]!.length);
      for (const args of cases) {
        const data = anyEncode(action, ...args);
        expect(data).toBe([action, ...args.map(String)].join(":"));
        expect(Buffer.byteLength(data, "utf8")).toBeLessThanOrEqual(64);
        expect(decode(data)).toEqual({ action, args });
      }
    });
  }

  it("decodes ids and pages as numbers", () => {
    const decoded = decode("ml:17:3");
    expect(decoded).toEqual({ action: "ml", args: [17, 3] });
    expect(typeof decoded!.args[0]).toBe("number");
  });

  it("rejects undefined and empty data", () => {
    expect(decode(undefined)).toBeNull();
    expect(decode("")).toBeNull();
  });

  it.each(["zz:1", "BV:1", "toString", "constructor:1", "__proto__", "hasOwnProperty:x", ":1", "bv1"])(
    "rejects the unknown action %j",
    (data) => {
      expect(decode(data)).toBeNull();
    },
  );

  it.each(["bv", "bv:1:2", "bn:", "bn:x", "uy:1", "ml:1", "ml:1:2:3", "mf:1", "ip:1:MEMBER", "fk:abcd"])(
    "rejects the wrong argument count in %j",
    (data) => {
      expect(decode(data)).toBeNull();
    },
  );

  it.each([
    "bv:0",
    "bv:-1",
    "bv:1.5",
    "bv:abc",
    "bv:",
    "bv:NaN",
    "bv:Infinity",
    `bv:${MAX_ID + 1}`,
    "ml:0:0",
    "ml:-3:0",
    "mv:2.0000001",
    "ix:-0",
  ])("rejects the bad id in %j", (data) => {
    expect(decode(data)).toBeNull();
  });

  it.each(["bl:-1", "bl:1.5", "bl:10001", "bl:x", "ml:1:-1", "ip:1:MEMBER:2.5"])(
    "rejects the bad page in %j",
    (data) => {
      expect(decode(data)).toBeNull();
    },
  );

  it.each([
    "mf:1:id",
    "mf:1:FULLNAME",
    "ms:1:GONE",
    "ms:1:active",
    "mi:1:COMMITTEE_ADMIN",
    "ik:admin",
    "ir:BRANCH_SECRETARY",
    "ir:MEMBER",
    "ip:1:COMMITTEE_OFFICE:0",
    "ib:COMMITTEE_ADMIN:0",
    "in:1:MEMBER",
    "fk:abcd:official",
    "fk:abcd:EXEMPT",
    "lg:fr",
    "lg:VI",
    "lg:",
  ])("rejects the value outside its list in %j", (data) => {
    expect(decode(data)).toBeNull();
  });

  it.each(["fy:abc", `fy:${"a".repeat(17)}`, "fy:ab!d", "fy:ab cd", "fy:abcđ", "fy:"])(
    "rejects the malformed flow id in %j",
    (data) => {
      expect(decode(data)).toBeNull();
    },
  );

  it("rejects data over 64 bytes even when each part would parse", () => {
    // "bl:000…0" parses as page 0; only its length is wrong.
    const data = `bl:${"0".repeat(62)}`;
    expect(Buffer.byteLength(data)).toBe(65);
    expect(decode(data)).toBeNull();
  });

  it("rejects numbers not written as plain decimal digits (so every accepted data is what encode writes)", () => {
    for (const data of ["bl:", "bv: 5", "bv:5 ", "bv:+5", "bv:1e3", "bv:0x10", "bv:05", "bl:0b1"]) {
      expect(decode(data), data).toBeNull();
    }
  });

  it("throws when encoding more than 64 bytes, counting bytes not characters", () => {
    expect(() => encode("fy", "a".repeat(61))).not.toThrow();
    expect(encode("fy", "a".repeat(61))).toHaveLength(64);
    expect(() => encode("fy", "a".repeat(62))).toThrow(/64 bytes/);
    // 34 characters, 65 bytes.
    expect(() => encode("fy", "đ".repeat(31))).toThrow(/64 bytes/);
  });
});
