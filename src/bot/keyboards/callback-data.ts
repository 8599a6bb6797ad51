// Callback data: "<action>:<arg>:<arg>", at most 64 bytes as Telegram requires. Decoding validates
// every argument's shape; it proves nothing about permission: handlers re-check who pressed.
import { z } from "zod";
import { MEMBER_STATES } from "../../domain/members.js";
import { GRADES } from "../../domain/evaluation.js";
import { COMMITTEE_ROLES, PROVINCE_ROLES } from "../../domain/roles.js";

/** Only plain decimal digits, as encode writes them: no signs, spaces, exponents or hex. */
const decimal = z
  .string()
  .regex(/^(0|[1-9]\d{0,9})$/)
  .transform(Number);
const id = decimal.pipe(
  z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
);
const page = decimal.pipe(z.number().int().min(0).max(10_000));
const flowId = z.string().regex(/^[A-Za-z0-9_-]{4,16}$/);
const yyyymm = z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/);
const year = z
  .string()
  .regex(/^\d{4}$/)
  .transform(Number)
  .pipe(z.number().int().min(2000).max(2100));
/** A report period's key: "2026-11", "2026-Q3", "2026-H1", "2026-M9", "2026". */
const reportPeriodKey = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H1|-M9)?$/);
const memberField = z.enum([
  "fullName",
  "birthDate",
  "joinDate",
  "officialDate",
  "arrivalDate",
  "kind",
  "phone",
  "residence",
  "workplace",
]);
const branchInviteRole = z.enum(["BRANCH_SECRETARY", "BRANCH_DEPUTY", "MEMBER"]);

/** Every button the bot sends, by action code. */
export const ACTIONS = {
  /** branch list page */
  bl: [page],
  /** open a branch */
  bv: [id],
  /** create a branch */
  bn: [],
  /** member list of a branch, page */
  ml: [id, page],
  /** open a member */
  mv: [id],
  /** add a member to a branch */
  ma: [id],
  /** choose a field to edit */
  me: [id],
  /** edit one field */
  mf: [id, memberField],
  /** ask how a member leaves the roster */
  mx: [id],
  /** start taking a member off the roster this way (the flow asks the date and paper, then confirms) */
  ms: [id, z.enum(MEMBER_STATES)],
  /** undo a departure recorded today: the flow asks for a confirmation */
  mR: [id],
  /** delete an entry entered by mistake: the flow asks for a confirmation */
  mz: [id],
  /** ask to unlink a member's Telegram */
  mu: [id],
  /** confirm unlink */
  mU: [id],
  /** invitation link for a roster entry with a role */
  mi: [id, branchInviteRole],
  /** import a roster file into a branch */
  mm: [id],
  /** import flow: a namesake row (by its line) is this roster entry, or 0 for a new one */
  iC: [
    flowId,
    page,
    decimal.pipe(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    ),
  ],
  /** import flow: the code page chosen for a CSV file the bytes did not settle */
  iE: [flowId, z.enum(["windows-1258", "tcvn"])],
  /** invitation menu: which kind */
  ik: [z.enum(["committee", "secretary", "deputy", "member", "pending"])],
  /** committee role for a new committee invitation */
  ir: [z.enum(COMMITTEE_ROLES)],
  /** candidates of a branch for a branch invitation role, page */
  ip: [id, branchInviteRole, page],
  /** branch choice for a secretary/deputy invitation, page of branches */
  ib: [z.enum(["BRANCH_SECRETARY", "BRANCH_DEPUTY", "MEMBER"]), page],
  /** a person not yet on the roster becomes the branch's secretary/deputy */
  in: [id, z.enum(["BRANCH_SECRETARY", "BRANCH_DEPUTY"])],
  /** revoke an invitation */
  ix: [id],
  /** flow: choose member kind */
  fk: [flowId, z.enum(["OFFICIAL", "PROBATIONARY"])],
  /** flow: skip an optional step */
  fs: [flowId],
  /** flow: clear an optional field */
  fc: [flowId],
  /** flow: confirm */
  fy: [flowId],
  /** flow: cancel */
  fn: [flowId],
  /** language */
  lg: [z.enum(["vi", "en"])],
  /** self unlink: confirm */
  uy: [],
  /** record a meeting for this branch (after choosing it) */
  dB: [id],
  /** list recent meetings of a branch, to correct one */
  dL: [id],
  /** open a saved meeting for correction */
  dC: [id],
  /** the minutes (biên bản) of a saved meeting, as a Word document */
  mB: [id],
  /** the minutes with other names for the chair and the minute-taker (asked, then typed) */
  mP: [id],
  /** meeting notice: start one for a branch; the flow's date (yyyymmdd), kind, default time, default place */
  nN: [id],
  nD: [flowId, z.string().regex(/^\d{8}$/)],
  nJ: [flowId, z.enum(["REGULAR", "THEMATIC", "EXTRAORDINARY"])],
  nT: [flowId],
  nP: [flowId],
  /** meeting notice: a member will attend, asks to be excused, gives a usual reason */
  nA: [id],
  nE: [id],
  nR: [id, z.enum(["SICK", "WORK", "FAMILY", "AWAY"])],
  /** meeting notice: who answered what */
  nV: [id],
  /** branch group: the secretary confirms or declines linking the group (the request's id) */
  gY: [id],
  gN: [id],
  /** meeting flow: kind */
  dK: [flowId, z.enum(["REGULAR", "THEMATIC", "EXTRAORDINARY"])],
  /** meeting flow: date as yyyymmdd */
  dD: [flowId, z.string().regex(/^\d{8}$/)],
  /** sheet: cycle a member's status */
  st: [flowId, id],
  /** sheet: a member not expected that day */
  sx: [flowId, id],
  /** sheet: everyone present */
  sa: [flowId],
  /** sheet: reset */
  sr: [flowId],
  /** sheet: page */
  sp: [flowId, page],
  /** sheet: done, go on */
  sn: [flowId],
  /** preset reason for the excused member being asked about */
  rr: [flowId, z.enum(["SICK", "WORK", "FAMILY", "AWAY"])],
  /** tasks: add one */
  tn: [flowId],
  /** tasks: member chosen */
  tm: [flowId, id],
  /** tasks: page of members */
  tp: [flowId, page],
  /** tasks: finished, go to confirm */
  tf: [flowId],
  /** a member explains an unexcused absence */
  ae: [id],
  /** secretary accepts an explanation */
  ea: [id],
  /** secretary declines an explanation */
  ed: [id],
  /** mark a task done */
  td: [id],
  /** attendance figures of a branch for a year */
  cy: [id, decimal.pipe(z.number().int().min(2000).max(2100))],
  /** meeting schedule of a branch: show / change */
  ls: [id],
  lS: [id],
  lR: [id],
  /** schedule flow: last day of the month */
  lL: [flowId],
  /** dues menu of a branch */
  pB: [id],
  /** dues checklist of a branch for a month (yyyyMM) */
  pM: [id, yyyymm],
  /** dues: choose another month (this year's), or the months of another year */
  pO: [id],
  pY: [id, year],
  /** dues status of a branch for a month */
  pS: [id, yyyymm],
  /** dues ledger XLSX of a branch for a year */
  pL: [id, year],
  /** dues: remittance, choose the period */
  pR: [id],
  /** dues: choose a member (for: pay, ledger, rate, relief), page */
  pU: [id, z.enum(["pay", "book", "rate", "relief"]), page],
  /** dues: a member chosen for one of those */
  pu: [id, z.enum(["pay", "book", "rate", "relief"])],
  /** dues: reverse an entry (ask, then confirm) */
  px: [id],
  pX: [id],
  /** dues: the committee's view for a year */
  pC: [year],
  /** dues sheet: toggle a member */
  qt: [flowId, id],
  /** dues sheet: everyone pays / nobody */
  qa: [flowId],
  qn: [flowId],
  /** dues sheet: page */
  qp: [flowId, page],
  /** dues sheet: change someone's amount, then the member */
  qe: [flowId],
  qm: [flowId, id],
  /** dues sheet: continue to confirm */
  qc: [flowId],
  /** dues flows: a month chosen (toggle in a member payment; pick elsewhere) */
  qv: [flowId, yyyymm],
  /** dues member payment: months chosen */
  qd: [flowId],
  /** dues member payment: show the months of another year */
  qy: [flowId, year],
  /** dues member payment: choose every month owed now */
  qw: [flowId],
  /** dues member payment: "I collected it" */
  qo: [flowId],
  /** dues amounts: a branch's checklist; tick a member; tick everyone without an amount */
  yB: [id],
  yt: [flowId, id],
  ya: [flowId],
  /** dues rate: category */
  qk: [flowId, z.enum(["SALARY", "PENSION", "STUDENT", "OTHER", "OTHER_RETIRED", "MANUAL"])],
  /** dues relief: kind */
  ql: [
    flowId,
    z.enum(["LONG_MEMBERSHIP", "SOCIAL_PENSION", "POOR_HOUSEHOLD", "REDUCED_30", "REDUCED_50", "REDUCED_70"]),
  ],
  /** exemption request: kind, in the application flow */
  xE: [flowId, z.enum(["WORK_AWAY", "ILLNESS", "AGE", "OTHER"])],
  /** act on an exemption request */
  xA: [id, z.enum(["FORWARD", "RETURN", "APPROVE", "REJECT", "WITHDRAW", "END"])],
  /** a paper application: choose the member (page), then the member */
  xP: [id, page],
  xp: [id],
  /** a new application of one's own */
  xN: [],
  /** self-review: open one, mark it reviewed */
  rv: [id],
  rm: [id],
  /** self-review on paper, recorded by the branch: choose the member (branch, page), then the member */
  rP: [id, page],
  rp: [id],
  /** transfers: choose a member to introduce (page), the member, the kind, incoming, close one */
  tO: [id, page],
  to: [id],
  tK: [flowId, z.enum(["OFFICIAL", "TEMPORARY"])],
  tI: [id],
  tc: [id, z.enum(["ARRIVED", "RETURNED"])],
  /** residence contacts: add one, comment on one */
  rA: [id],
  rc: [id],
  /** alerts: handle a finding, then the decision */
  aH: [id],
  /** alerts: a page of the open findings */
  aL: [page],
  aD: [flowId, z.enum(["REMINDED", "VALID_REASON", "PROPOSE_REMOVAL", "OTHER"])],
  /** notices a committee member receives: open the list, toggle a kind */
  nL: [],
  nK: [z.enum(["VIOLATIONS", "REMINDERS", "REPORTS"])],
  /** a member's away profile, set by an officer */
  wP: [id],
  /** an officer records that a member working away is back home */
  wR: [id],
  /** members away: of a branch (or of every branch, 0), page */
  wL: [
    decimal.pipe(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    ),
    page,
  ],
  /** open a check-in's attachment in the asker's private chat */
  wF: [id],
  /** settings: change one parameter */
  sE: [
    z.enum([
      "absenceWarnMonths",
      "absenceAlertMonths",
      "duesWarnMonths",
      "duesAlertMonths",
      "ruleWindow",
      "duesGraceDays",
      "attendanceTarget",
      "excusedStreak",
      "checkinEveryMonths",
      "digestThreshold",
    ]),
  ],
  /** settings: set the committee secretary's name, printed under the committee documents' signature */
  sS: [],
  /** settings flow: the counting window chosen */
  sW: [flowId, z.enum(["calendar-year", "rolling-12"])],
  /** settings: a year's holidays — show, confirm, add a day, take a day off */
  hY: [year],
  hC: [year],
  hA: [year],
  hR: [year],
  /** dues remittance: period (yyyyMM or yyyyQn) */
  qr: [flowId, z.string().regex(/^\d{4}(0[1-9]|1[0-2]|Q[1-4])$/)],
  /** self-review: an officer or committee member sends their own */
  rw: [],
  /** reports: the kind of period, for the committee (0) or a branch */
  rpk: [
    decimal.pipe(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    ),
    z.enum(["MONTH", "QUARTER", "HALF", "NINE_MONTHS", "YEAR"]),
  ],
  /** reports: issue the report of a period ("2026-11", "2026-Q3", "2026-H1", "2026-M9", "2026") */
  rpp: [
    decimal.pipe(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    ),
    reportPeriodKey,
  ],
  /** province report: the kind of period, then the period, then one commune's drill-down in that period */
  pvk: [z.enum(["MONTH", "QUARTER", "HALF", "NINE_MONTHS", "YEAR"])],
  pvp: [reportPeriodKey],
  pvc: [id, reportPeriodKey],
  /** /xa: add a commune, a new first-admin link for one, invite a province officer (which role) */
  pvn: [],
  pvi: [id],
  pvo: [],
  pvr: [z.enum(PROVINCE_ROLES)],
  /** /xa's province officers: the list; asking to end a role (r) or revoke an invitation (i); doing it */
  pvl: [],
  pvq: [z.enum(["r", "i"]), id],
  pvx: [z.enum(["r", "i"]), id],
  /** evaluation: committee's branch list page, a branch's members (page), a member's evidence sheet */
  vb: [page],
  vl: [id, page],
  vm: [id],
  /** evaluation: a grade chosen on a member's sheet for that year */
  vg: [id, year, z.enum(GRADES)],
  /** evaluation: the committee's tally, and its XLSX export */
  vt: [],
  vx: [],
} as const satisfies Record<string, readonly z.ZodType[]>;

export type Action = keyof typeof ACTIONS;
type OutputsOf<T extends readonly z.ZodType[]> = { -readonly [K in keyof T]: z.output<T[K]> };
type ArgsOf<A extends Action> = OutputsOf<(typeof ACTIONS)[A]>;
export type Decoded = { [A in Action]: { action: A; args: ArgsOf<A> } }[Action];

const MAX_BYTES = 64;

export function encode<A extends Action>(action: A, ...args: ArgsOf<A>): string {
  const data = [action, ...args.map(String)].join(":");
  if (Buffer.byteLength(data, "utf8") > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${data}`);
  return data;
}

/** The flow id a flow's button carries (its first argument), or null for other buttons. */
export function flowIdOf(decoded: Decoded): string | null {
  const specs = ACTIONS[decoded.action] as readonly z.ZodType[];
  return specs[0] === flowId ? (decoded.args[0] as string) : null;
}

export function decode(data: string | undefined): Decoded | null {
  if (!data || Buffer.byteLength(data, "utf8") > MAX_BYTES) return null;
  const [action, ...rawArgs] = data.split(":");
  if (!action || !Object.hasOwn(ACTIONS, action)) return null;
  const specs = ACTIONS[action as Action] as readonly z.ZodType[];
  if (rawArgs.length !== specs.length) return null;
  const args: unknown[] = [];
  for (const [index, spec] of specs.entries()) {
    const parsed = spec.safeParse(rawArgs[index]);
    if (!parsed.success) return null;
    args.push(parsed.data);
  }
  return { action, args } as unknown as Decoded;
}
